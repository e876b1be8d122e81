"""Internal control: risks and controls, read within rights (plans are not public unless they say
so); a control's result at an occasion written by the unit's reporters through
``internalcontrol.rules`` (409 on a stale ``version`` or a locked occasion, 422 on a rule)."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followup.models import FollowUpOccasion
from internalcontrol import rules
from internalcontrol.models import Control, ControlResult, ResultKind, Risk
from organisation import access

from .. import filters as f
from ..serializers import StrictTypes, _id_field, _text
from .base import ApiViewSet, _problem


class RiskSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="plan.unit_id", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    level = serializers.SerializerMethodField()

    class Meta:
        model = Risk
        fields = ["id", "plan", "unit", "year", "process", "title", "description", "probability",
                  "consequence", "level", "chosen"]  # fmt: skip

    def get_level(self, risk) -> str:
        return rules.level(risk.plan, risk.probability, risk.consequence)[0]


class ControlResultSerializer(serializers.ModelSerializer):
    occasion = serializers.IntegerField(source="occasion_id", read_only=True)

    class Meta:
        model = ControlResult
        fields = ["occasion", "result", "comment", "action", "updated_at", "version"]


class ControlSerializer(serializers.ModelSerializer):
    results = ControlResultSerializer(many=True, read_only=True)

    class Meta:
        model = Control
        fields = ["id", "risk", "title", "method", "frequency", "owner", "timing", "results"]


class ControlResultWriteSerializer(StrictTypes, serializers.Serializer):
    occasion = _id_field(help_text="Uppföljningstillfällets id (se /occasions/).")
    result = serializers.ChoiceField(choices=ResultKind.choices)
    comment = _text(default="", help_text="Krävs vid avvikelse; en åtgärd skapas då.")
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="0: ett nytt resultat; annars det lästa."
    )


@extend_schema_view(
    list=extend_schema(summary="Risker", tags=["internkontroll"]),
    retrieve=extend_schema(summary="En risk", tags=["internkontroll"]),
)
class RiskViewSet(ApiViewSet):
    serializer_class = RiskSerializer
    http_method_names = ["get", "head", "options"]
    filters = [f.unit("plan__unit"), f.year("plan__year")]

    def base_queryset(self):
        return (
            Risk.objects.filter(access.visible_plans_q(self.user, "plan__"))
            .select_related("plan")
            .order_by("pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Kontroller", tags=["internkontroll"]),
    retrieve=extend_schema(summary="En kontroll", tags=["internkontroll"]),
    result=extend_schema(
        summary="Rapportera en kontrolls resultat vid ett uppföljningstillfälle",
        description="Kräver rapportörsroll i planens enhet. Annan version eller låst tillfälle: 409.",
        tags=["internkontroll"],
        request=ControlResultWriteSerializer,
        responses={200: ControlSerializer},
    ),
)
class ControlViewSet(ApiViewSet):
    serializer_class = ControlSerializer
    http_method_names = ["get", "post", "head", "options"]
    filters = [f.unit("risk__plan__unit"), f.year("risk__plan__year")]

    def base_queryset(self):
        results = ControlResult.objects.select_related("occasion").order_by(
            "occasion__year", "occasion__end_month"
        )
        return (
            Control.objects.filter(access.visible_plans_q(self.user, "risk__plan__"))
            .select_related("risk__plan__unit")
            .prefetch_related(Prefetch("results", results))
            .order_by("pk")
        )

    def represent_current(self, obj) -> dict:
        return ControlResultSerializer(obj).data

    @action(detail=True, methods=["post"])
    def result(self, request, *args, **kwargs):
        control = self.get_object()
        if not access.can_report(self.user, control.risk.plan.unit):
            raise PermissionDenied(_("Du får inte rapportera för den här enheten."))
        data = ControlResultWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        occasion = FollowUpOccasion.objects.filter(pk=values["occasion"]).first()
        if occasion is None:
            raise _problem(
                [{"pointer": "#/occasion", "detail": _("Uppföljningstillfället finns inte.")}]
            )
        rules.result_save(
            control=control, occasion=occasion, user=self.user, result=values["result"],
            comment=values["comment"], version=values["version"],
        )  # fmt: skip
        return Response(ControlSerializer(self.base_queryset().get(pk=control.pk)).data)
