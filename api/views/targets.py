"""Targets: read by everyone who sees the metric, written by those who may edit it."""

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from organisation import access
from scorecards import adoption
from scorecards.models import (
    Metric,
    Target,
)

from .. import filters as f
from .. import serializers as s
from .base import ApiViewSet


@extend_schema_view(
    list=extend_schema(summary="Målvärden", tags=["mätetal"]),
    retrieve=extend_schema(summary="Ett målvärde", tags=["mätetal"]),
    create=extend_schema(
        summary="Nytt målvärde",
        description="Kräver ägar-/redaktörsroll för styrkortets enhet.",
        tags=["mätetal"],
        request=s.TargetCreateSerializer,
        responses={201: s.TargetSerializer},
    ),
    update=extend_schema(
        summary="Ändra ett målvärde",
        tags=["mätetal"],
        request=s.TargetUpdateSerializer,
        responses={200: s.TargetSerializer},
    ),
    partial_update=extend_schema(
        summary="Ändra delar av ett målvärde",
        tags=["mätetal"],
        request=s.TargetUpdateSerializer,
        responses={200: s.TargetSerializer},
    ),
)
class TargetViewSet(ApiViewSet):
    serializer_class = s.TargetSerializer
    filters = [
        f.unit("metric__goal__scorecard__unit"),
        f.year("year"),
        f.ref("metric", "metric_id", "Id för mätetalet på målet."),
        f.ref("goal", "metric__goal_id", "Målets id."),
        f.ref("indicator", "metric__indicator_id", "Mätetalsdefinitionens id."),
    ]

    def base_queryset(self):
        return (
            Target.objects.filter(
                access.visible_scorecards_q(self.user, "metric__goal__scorecard__")
            )
            .select_related("metric__indicator", "metric__goal__scorecard__unit")
            .order_by("metric_id", "year", "pk")
        )

    def create(self, request, *args, **kwargs):
        data = s.TargetCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        metric = data.validated_data["metric"]
        self._require_edit(metric)
        reason = s.require_reason(data, metric.goal.scorecard)
        target = Target(**data.validated_data)
        return self._save(target, status.HTTP_201_CREATED, reason)

    def update(self, request, *args, partial=False, **kwargs):
        target = self.get_object()
        self._require_edit(target.metric)
        data = s.TargetUpdateSerializer(
            target, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        reason = s.require_reason(data, target.metric.goal.scorecard)
        before = target.label
        for name, value in data.validated_data.items():
            setattr(target, name, value)
        return self._save(target, status.HTTP_200_OK, reason, before=before)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _require_edit(self, metric: Metric) -> None:
        if not access.can_edit(self.user, metric.goal.scorecard.unit):
            raise PermissionDenied(_("Du får inte ändra målvärden i det här styrkortet."))

    def _save(self, target: Target, code: int, reason: str, *, before: str = "") -> Response:
        """Saves; on an adopted scorecard marks the change as the target page does."""
        target._history_user = self.user
        with transaction.atomic():
            adoption.with_history_reason(target, reason).save()
            metric = target.metric
            what = _("Målvärde %(year)s för %(name)s: %(label)s") % {
                "year": target.year,
                "name": metric.indicator.name,
                "label": f"{before} → {target.label}" if before else target.label,
            }
            adoption.record_change(
                metric.goal.scorecard, self.user, reason, kind="target", obj=target,
                goal=metric.goal, what=what,
            )  # fmt: skip
        target = self.base_queryset().get(pk=target.pk)
        return Response(s.TargetSerializer(target).data, status=code)
