"""Actions (åtgärder) on goals."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followup.actions import overdue_q, with_overdue
from followup.models import (
    Action,
    ActionState,
)
from organisation import access
from organisation.models import OrgUnit

from .. import filters as f
from .. import serializers as s
from .base import ApiViewSet


@extend_schema_view(
    list=extend_schema(summary="Aktiviteter", tags=["uppföljning"]),
    retrieve=extend_schema(summary="En aktivitet", tags=["uppföljning"]),
    create=extend_schema(
        summary="Ny aktivitet",
        description="Kräver rapportörsroll för styrkortets enhet.",
        tags=["uppföljning"],
        request=s.ActionCreateSerializer,
        responses={201: s.ActionSerializer},
    ),
    update=extend_schema(
        summary="Ändra en aktivitet",
        tags=["uppföljning"],
        request=s.ActionUpdateSerializer,
        responses={200: s.ActionSerializer},
    ),
    partial_update=extend_schema(
        summary="Ändra delar av en aktivitet",
        tags=["uppföljning"],
        request=s.ActionUpdateSerializer,
        responses={200: s.ActionSerializer},
    ),
)
class ActionViewSet(ApiViewSet):
    serializer_class = s.ActionSerializer
    filters = [
        f.unit("goal__scorecard__unit"),
        f.year("goal__scorecard__year"),
        f.ref("goal", "goal_id", "Målets id."),
        f.ref("scorecard", "goal__scorecard_id", "Styrkortets id."),
        f.Filter("state", "state", "choice", "Status.", choices=tuple(ActionState.values)),
        f.Filter(
            "overdue",
            lambda overdue: overdue_q() if overdue else ~overdue_q(),
            "bool",
            "Försenade aktiviteter: passerat slutdatum och fortfarande planerade eller pågående.",
        ),
    ]

    def base_queryset(self):
        visible = Action.objects.filter(access.visible_scorecards_q(self.user, "goal__scorecard__"))
        return with_overdue(visible).order_by("goal_id", "due_date", "pk")

    def create(self, request, *args, **kwargs):
        data = s.ActionCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        action = Action(**data.validated_data)
        return self._save(action, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        action = self.get_object()
        self._require_report(action.goal_id)
        data = s.ActionUpdateSerializer(
            action, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(action, name, value)
        return self._save(action, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _require_report(self, goal_id: int) -> None:
        unit = OrgUnit.objects.get(scorecards__goals=goal_id)
        if not access.can_report(self.user, unit):
            raise PermissionDenied(_("Du får inte ändra aktiviteter i det här styrkortet."))

    def _save(self, action: Action, code: int) -> Response:
        self._require_report(action.goal_id)
        action._history_user = self.user
        action.save()
        saved = self.base_queryset().get(pk=action.pk)
        return Response(s.ActionSerializer(saved).data, status=code)
