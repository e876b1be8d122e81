"""Assessments of goals at a follow-up occasion, written through ``followup.assessments``."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followup.assessments import save_assessment
from followup.models import (
    Assessment,
    FollowUpOccasion,
)
from organisation import access
from scorecards.models import Goal

from .. import filters as f
from .. import serializers as s
from .base import ApiViewSet, _problem, _visible_goals


@extend_schema_view(
    list=extend_schema(summary="Bedömningar", tags=["uppföljning"]),
    retrieve=extend_schema(summary="En bedömning", tags=["uppföljning"]),
    create=extend_schema(
        summary="Ny bedömning av ett mål vid ett uppföljningstillfälle",
        description=(
            "Kräver rapportörsroll för styrkortets enhet. En bedömning som avviker från den "
            "föreslagna behöver `deviation_comment`. Finns redan en bedömning: 409."
        ),
        tags=["uppföljning"],
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer},
    ),
    update=extend_schema(
        summary="Ändra en bedömning",
        description="`version` ska vara den lästa; har någon annan sparat under tiden: 409.",
        tags=["uppföljning"],
        request=s.AssessmentUpdateSerializer,
        responses={200: s.AssessmentSerializer},
    ),
    partial_update=extend_schema(
        summary="Ändra delar av en bedömning",
        description="`version` krävs även här.",
        tags=["uppföljning"],
        request=s.AssessmentUpdateSerializer,
        responses={200: s.AssessmentSerializer},
    ),
)
class AssessmentViewSet(ApiViewSet):
    serializer_class = s.AssessmentSerializer
    filters = [
        f.unit("goal__scorecard__unit"),
        f.year("occasion__year"),
        f.month("occasion__end_month"),
        f.ref("goal", "goal_id", "Målets id."),
        f.ref("scorecard", "goal__scorecard_id", "Styrkortets id."),
        f.ref("occasion", "occasion_id", "Uppföljningstillfällets id."),
    ]

    def base_queryset(self):
        return (
            Assessment.objects.filter(access.visible_scorecards_q(self.user, "goal__scorecard__"))
            .select_related("occasion", "goal__scorecard__unit")
            .order_by("occasion__year", "occasion__end_month", "goal_id", "pk")
        )

    def represent_current(self, assessment: Assessment) -> dict:
        return s.AssessmentSerializer(assessment).data

    def create(self, request, *args, **kwargs):
        data = s.AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        goal = (
            _visible_goals(self.user)
            .select_related("scorecard__unit")
            .filter(pk=values["goal"])
            .first()
        )
        if goal is None:
            raise _problem([{"pointer": "#/goal", "detail": _("Målet finns inte.")}])
        occasion = FollowUpOccasion.objects.filter(pk=values["occasion"]).first()
        if occasion is None:
            raise _problem(
                [{"pointer": "#/occasion", "detail": _("Uppföljningstillfället finns inte.")}]
            )
        return self._save(goal, occasion, values, version=0, code=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        assessment = self.get_object()
        self._require_report(assessment.goal)
        data = s.AssessmentUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "version" not in values:
            raise _problem([{"pointer": "#/version", "detail": _("Ange versionen du har läst.")}])
        current = {
            "status": assessment.status,
            "analysis": assessment.analysis,
            "forecast": assessment.forecast,
            "deviation_comment": assessment.deviation_comment,
        }
        return self._save(
            assessment.goal,
            assessment.occasion,
            {**current, **values},
            version=values["version"],
            code=status.HTTP_200_OK,
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _require_report(self, goal: Goal) -> None:
        if not access.can_report(self.user, goal.scorecard.unit):
            raise PermissionDenied(_("Du får inte bedöma mål i det här styrkortet."))

    def _save(self, goal: Goal, occasion: FollowUpOccasion, values, *, version, code):
        self._require_report(goal)
        saved = save_assessment(
            goal=goal, occasion=occasion, user=self.user, data=values, version=version
        )
        saved = self.base_queryset().get(pk=saved.pk)
        return Response(s.AssessmentSerializer(saved).data, status=code)
