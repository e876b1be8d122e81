"""How objects look in the API. Ids are the database ids and stay stable; units also have codes.

Read serializers are plain; the write serializers further down only validate the shape of a
request, and the views hand the values to the business functions in ``followup``.
"""

import copy
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.numbers import NumberTooLarge, check_size, too_large_field_message
from followup import scales
from followup.models import Action, Assessment, FollowUpOccasion, Forecast, Measurement
from followup.status import Status
from organisation import access
from organisation.models import OrgUnit
from scorecards import adoption
from scorecards.models import (
    Goal,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    Strategy,
    Target,
)

from .exceptions import EXISTS, RULE
from .strict import StrictTypes

DECISION_FIELDS = ["decided_by", "decided_on", "paragraph", "diary_number"]
VALUE = {"max_digits": 18, "decimal_places": 4}


class NumberField(serializers.DecimalField):
    """A decimal that says "talet är för stort" (``core.numbers``) for a number its column
    cannot hold, before DRF counts digits or rounds — also for an infinity ("Infinity", or
    ``1e309``, which JSON reads as one)."""

    def to_internal_value(self, data):
        try:
            infinite = Decimal(str(data).strip()).is_infinite()  # "Infinity", or 1e309 as JSON
        except (ArithmeticError, ValueError):
            infinite = False  # DRF's own parse names what is not a number
        if infinite:
            self._too_large()
        return super().to_internal_value(data)

    def validate_precision(self, value):
        try:
            check_size(value, whole_digits=self._whole_digits())
        except NumberTooLarge:
            self._too_large()
        return super().validate_precision(value)

    def _whole_digits(self) -> int:
        return (self.max_digits or 18) - (self.decimal_places or 0)

    def _too_large(self):
        message = too_large_field_message(self._whole_digits())
        raise serializers.ValidationError(message, code="too_large")


def _value_field(**kwargs) -> NumberField:
    return NumberField(**VALUE, **kwargs)


class WrittenValueField(NumberField):
    """A value to save: any number, passed on as written. Its decimals, size, plausible range
    and month are ``followup.entry.check_value``'s to judge, with the same code and message as
    on the entry page and in an import (DRF's own "no more than 4 decimal places" would say it
    differently)."""

    names_what_was_written = True  # api.strict says "”1e24”: talet är för stort …" as the page does

    def __init__(self, **kwargs):
        super().__init__(**VALUE, **kwargs)  # what the schema tells callers is stored

    def validate_precision(self, value):
        return value  # the write path's rule, not the field's

    def quantize(self, value):
        return value  # never rounded: more decimals than stored is refused, not changed


def _written_value_field(**kwargs) -> WrittenValueField:
    return WrittenValueField(**kwargs)


# --- reading -------------------------------------------------------------------------------


class UnitSerializer(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "parent",
            "description",
            "kolada_id",
            "active_from",
            "active_until",
            "replaced_by",
            "is_active",
        ]


class ProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = GoalProgramme
        fields = ["id", "name", "vision", "description", "start_year", "end_year", *DECISION_FIELDS]


class PerspectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = Perspective
        fields = ["id", "name", "slug", "description", "colour", "icon", "order", "active"]


class ScorecardSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    perspectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "unit",
            "unit_code",
            "year",
            "programme",
            "status",
            "introduction",
            "perspectives",
            *DECISION_FIELDS,
        ]


class GoalResultSerializer(serializers.Serializer):
    """The goal's status suggested from its metrics (``followup.status``) up to ``month``.

    Without a month it is the latest known status, as the scorecard page shows it.
    """

    month = serializers.IntegerField(min_value=1, max_value=12, allow_null=True)
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    label = serializers.CharField()


class MetricResultSerializer(serializers.Serializer):
    """The metric's value for January up to ``month`` compared with that year's target.

    Without a month it is the latest known value, as the scorecard page shows it: a yearly
    metric without this year's value yet shows last year's (``year`` says which).
    """

    month = serializers.IntegerField(min_value=1, max_value=12, allow_null=True)
    year = serializers.IntegerField(help_text="Året värdet och målvärdet gäller.")
    value = _value_field(allow_null=True)
    status = serializers.ChoiceField(choices=[s.value for s in Status])
    label = serializers.CharField()
    target = serializers.IntegerField(allow_null=True)
    covers = serializers.CharField(
        help_text="Vad värdet och statusen avser, t.ex. 'utfall t.o.m. april 2026' eller "
        "'helår 2025'; tomt utan värde."
    )
    target_so_far = serializers.CharField(
        help_text="För mätetal som summeras över året: den del av årets målvärde som värdet "
        "jämförs med, t.ex. 'målvärde t.o.m. april: max 50 kWh/m²'; annars tomt."
    )


class GoalSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="scorecard.unit_id", read_only=True)
    year = serializers.IntegerField(source="scorecard.year", read_only=True)
    contributes_to = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = Goal
        fields = [
            "id",
            "scorecard",
            "unit",
            "year",
            "perspective",
            "title",
            "description",
            "prioritised",
            "order",
            "contributes_to",
            "result",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_contributes_to(self, goal) -> list[int]:
        # Prefetched with only the goals this caller may see (the chain may lead to drafts).
        return [g.pk for g in goal.visible_contributes_to]

    @extend_schema_field(GoalResultSerializer)
    def get_result(self, goal) -> dict:
        status, month = goal.api_result
        return {"month": month, "status": status.value, "label": status.label}


class StrategySerializer(serializers.ModelSerializer):
    class Meta:
        model = Strategy
        fields = ["id", "goal", "text", "order"]


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "decimals",
            "frequency",
            "source",
            "kolada_kpi",
            "aggregation",
            "aggregation_weight",
            "year_value",
            "plausible_min",
            "plausible_max",
        ]


class MetricSerializer(serializers.ModelSerializer):
    scorecard = serializers.IntegerField(source="goal.scorecard_id", read_only=True)
    unit = serializers.IntegerField(source="goal.scorecard.unit_id", read_only=True)
    year = serializers.IntegerField(source="goal.scorecard.year", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = Metric
        fields = [
            "id",
            "goal",
            "scorecard",
            "unit",
            "year",
            "indicator",
            "indicator_code",
            "weight",
            "order",
            "result",
        ]

    @extend_schema_field(MetricResultSerializer)
    def get_result(self, metric) -> dict:
        return metric.api_result  # MetricResultSerializer's answer (api.rows.metric_results)


class TargetSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "metric",
            "year",
            "comparator",
            "value",
            "value_high",
            "tolerance",
            "label",
            *DECISION_FIELDS,
        ]


class OccasionSerializer(serializers.ModelSerializer):
    locked = serializers.BooleanField(source="is_locked", read_only=True)

    class Meta:
        model = FollowUpOccasion
        fields = ["id", "year", "kind", "name", "end_month", "deadline", "locked", "locked_at"]


class ValueSerializer(serializers.ModelSerializer):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "unit",
            "unit_code",
            "year",
            "month",
            "value",
            "comment",
            "source",
            "updated_at",
            "version",
        ]


@extend_schema_field(
    {
        "type": "integer",
        "readOnly": True,
        "deprecated": True,
        "description": "Föråldrat namn på `occasion`, samma värde. Använd `occasion`.",
    }
)
class DeprecatedOccasionField(serializers.IntegerField):
    """``period``: the first name of an assessment's ``occasion``, kept for existing callers."""


class AssessmentSerializer(serializers.ModelSerializer):
    occasion = serializers.IntegerField(
        source="occasion_id", read_only=True, help_text="Uppföljningstillfällets id (/occasions/)."
    )
    period = DeprecatedOccasionField(source="occasion_id", read_only=True)
    year = serializers.IntegerField(source="occasion.year", read_only=True)
    month = serializers.IntegerField(source="occasion.end_month", read_only=True)
    status_label = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "goal",
            "occasion",
            "period",
            "year",
            "month",
            "status",
            "status_label",
            "suggested",
            "analysis",
            "forecast",
            "deviation_comment",
            "updated_at",
            "version",
        ]

    def get_status_label(self, assessment) -> str:
        choice = scales.choice_for(assessment.status)
        return str(choice.label) if choice else assessment.status


class ActionSerializer(serializers.ModelSerializer):
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "goal",
            "strategy",
            "metric",
            "title",
            "description",
            "owner",
            "start_date",
            "due_date",
            "state",
            "progress",
            "is_overdue",
        ]


# --- writing -------------------------------------------------------------------------------

ID_MAX = 2**63 - 1
TEXT_MAX = 20_000
_CODE = r"^[-a-zA-Z0-9_]{1,60}$"


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": ID_MAX},
            {"type": "string", "pattern": _CODE},
        ],
        "description": "Enhetens id eller kod.",
    }
)
class UnitRefField(serializers.Field):
    """A unit named by id (a number) or code (a string)."""

    default_error_messages = {
        "missing": _("Enheten finns inte."),
        "invalid": _("Ange id eller kod."),
    }

    def to_internal_value(self, data) -> OrgUnit:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("invalid")
        if isinstance(data, int):
            unit = OrgUnit.objects.filter(pk=data).first() if 0 < data <= ID_MAX else None
        else:
            unit = OrgUnit.objects.filter(code=data).first() if len(data) <= 60 else None
        if unit is None:
            self.fail("missing")
        return unit

    def to_representation(self, value) -> int:
        return value.pk


def _id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def _text(**kwargs) -> serializers.CharField:
    return serializers.CharField(allow_blank=True, required=False, max_length=TEXT_MAX, **kwargs)


class ValueRowSerializer(StrictTypes, serializers.Serializer):
    indicator = _id_field(help_text="Mätetalets id.")
    value = _written_value_field(
        allow_null=True, help_text="Utfallet; null tar bort ett sparat värde för perioden."
    )
    comment = _text(default="")
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
        help_text=(
            "Versionen som ändringen bygger på (0 = inget värde ännu). Skilde den sig från den "
            "sparade har någon annan ändrat under tiden, och inget sparas. Utelämnad: ingen kontroll."
        ),
    )


class BulkValuesSerializer(StrictTypes, serializers.Serializer):
    unit = UnitRefField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12, help_text="Periodens sista månad.")
    rows = ValueRowSerializer(many=True, allow_empty=False, max_length=5000)

    def validate_rows(self, rows):
        seen = set()
        for row in rows:
            if row["indicator"] in seen:
                raise serializers.ValidationError(
                    _("Mätetalet %(id)s finns på flera rader.") % {"id": row["indicator"]},
                    code=RULE,
                )
            seen.add(row["indicator"])
        return rows


class ValueWriteSerializer(ValueRowSerializer):
    unit = UnitRefField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12, help_text="Periodens sista månad.")
    value = _written_value_field(help_text="Utfallet.")


class BulkValuesResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(min_value=0)
    updated = serializers.IntegerField(min_value=0)
    deleted = serializers.IntegerField(min_value=0)
    values = ValueSerializer(many=True)


class ForecastSerializer(ValueSerializer):
    """A prognos helår: as a value, ``month`` the occasion's last month, ``value`` the year's."""

    class Meta(ValueSerializer.Meta):
        model = Forecast


class BulkForecastsResultSerializer(BulkValuesResultSerializer):
    values = ForecastSerializer(many=True)


class _ScaleChoiceField(serializers.ChoiceField):
    """The assessment scale's choices, read when a serializer is made (``bind``), not when this
    module is imported: the scale is chosen on a page (SiteSettings) while the process runs."""

    def __init__(self, **kwargs):
        super().__init__(choices=[], **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.choices = [c.value for c in scales.get_scale().choices]


class AssessmentUpdateSerializer(StrictTypes, serializers.Serializer):
    status = _ScaleChoiceField()
    analysis = _text()
    forecast = _text()
    deviation_comment = _text(
        help_text="Krävs när bedömningen avviker från den föreslagna (se målets result)."
    )
    version = serializers.IntegerField(
        min_value=0,
        max_value=2**31 - 1,
        help_text="Versionen som ändringen bygger på; skiljer den sig svarar API:et 409.",
    )


class AssessmentCreateSerializer(AssessmentUpdateSerializer):
    goal = _id_field()
    occasion = _id_field(help_text="Uppföljningstillfällets id (se /occasions/).")
    version = serializers.IntegerField(
        min_value=0, max_value=0, default=0, help_text="0: en ny bedömning."
    )


class _VisibleOnly:
    """Related objects in a request must be ones the caller may see; others "do not exist"."""

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        below_goal = access.visible_scorecards_q(user, "goal__scorecard__")
        querysets = {
            "goal": Goal.objects.filter(access.visible_scorecards_q(user, "scorecard__")),
            "strategy": Strategy.objects.filter(below_goal),
            "metric": Metric.objects.filter(below_goal),
        }
        for name, queryset in querysets.items():
            if name in fields:
                fields[name].queryset = queryset
        return fields


class ActionUpdateSerializer(StrictTypes, _VisibleOnly, serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "strategy",
            "metric",
            "title",
            "description",
            "owner",
            "start_date",
            "due_date",
            "state",
            "progress",
        ]

    def goal_for(self, attrs) -> Goal:
        return self.instance.goal

    def validate(self, attrs):
        goal = self.goal_for(attrs)
        errors = {}
        strategy = attrs.get("strategy", getattr(self.instance, "strategy", None))
        if strategy is not None and strategy.goal_id != goal.pk:
            errors["strategy"] = _("Strategin hör till ett annat mål.")
        metric = attrs.get("metric", getattr(self.instance, "metric", None))
        if metric is not None and metric.goal_id != goal.pk:
            errors["metric"] = _("Mätetalet hör till ett annat mål.")
        start = attrs.get("start_date", getattr(self.instance, "start_date", None))
        due = attrs.get("due_date", getattr(self.instance, "due_date", None))
        if start and due and due < start:
            errors["due_date"] = _("Slutdatumet kan inte vara före startdatumet.")
        if errors:
            raise serializers.ValidationError(errors, code=RULE)
        return attrs


class ActionCreateSerializer(ActionUpdateSerializer):
    class Meta(ActionUpdateSerializer.Meta):
        fields = ["goal", *ActionUpdateSerializer.Meta.fields]

    def goal_for(self, attrs) -> Goal:
        return attrs["goal"]


class TargetUpdateSerializer(StrictTypes, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: NumberField,
    }
    # Read by the view, never stored on the target: the "ändrat efter beslut" mark keeps it.
    reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=adoption.REASON_MAX,
        help_text=_(
            "Varför målvärdet ändras. Krävs när styrkortet är fastställt: ändringen markeras "
            "då som ändrad efter beslut, med vem, när och varför."
        ),
    )

    class Meta:
        model = Target
        fields = [
            "comparator",
            "value",
            "value_high",
            "tolerance",
            *DECISION_FIELDS,
            "reason",
        ]
        validators = []  # Target.clean and the one-per-year rule are checked in validate()

    def validate(self, attrs):
        self.change_reason = attrs.pop("reason", "").strip()
        target = copy.copy(self.instance) if self.instance is not None else Target()
        for name, value in attrs.items():
            setattr(target, name, value)
        if target.tolerance is None:
            target.tolerance = attrs["tolerance"] = Decimal(0)
        try:
            target.clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict, code=RULE) from None
        return attrs


def require_reason(data: TargetUpdateSerializer, card: Scorecard) -> str:
    """The reason for a change to ``card``; none needed unless it is adopted. Checked after the
    caller's right to edit, so a reader still hears 403. Missing on an adopted scorecard: a
    well-formed request that breaks a rule of the stored data, 422 naming ``reason``."""
    if adoption.needs_reason(card) and not data.change_reason:
        message = _("Ange ett skäl (reason): styrkortet är fastställt, och ändringen markeras.")
        raise serializers.ValidationError({"reason": [message]}, code=RULE)
    return data.change_reason


class TargetCreateSerializer(_VisibleOnly, TargetUpdateSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)

    class Meta(TargetUpdateSerializer.Meta):
        fields = ["metric", "year", *TargetUpdateSerializer.Meta.fields]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if Target.objects.filter(metric=attrs["metric"], year=attrs["year"]).exists():
            raise serializers.ValidationError(
                {"year": _("Mätetalet har redan ett målvärde för %(year)s.") % attrs}, code=EXISTS
            )
        return attrs
