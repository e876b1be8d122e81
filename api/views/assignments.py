"""Assignments (uppdrag): read within rights, written by the issuer's editors, statuses reported by
the receiving units' reporters. Every rule is ``assignments.rules``: 409 on a stale ``version`` or
a locked occasion, 422 when a rule is broken."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from assignments import rules
from assignments.models import Assignment, AssignmentReceiver, AssignmentReport, AssignmentStatus
from followup.models import FollowUpOccasion
from organisation import access
from scorecards.models import Goal

from .. import filters as f
from ..serializers import TEXT_MAX, StrictTypes, UnitRefField, _id_field, _text
from .base import ApiViewSet, _problem

# --- serializers ------------------------------------------------------------------------------


class AssignmentReportSerializer(serializers.ModelSerializer):
    occasion = serializers.IntegerField(source="occasion_id", read_only=True)

    class Meta:
        model = AssignmentReport
        fields = ["occasion", "status", "comment", "updated_at", "version"]


class AssignmentReceiverSerializer(serializers.ModelSerializer):
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    latest_status = serializers.CharField(read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()
    reports = AssignmentReportSerializer(many=True, read_only=True)

    class Meta:
        model = AssignmentReceiver
        fields = ["id", "unit", "unit_code", "latest_status", "is_overdue", "reports"]

    def get_is_overdue(self, receiver) -> bool:
        return rules.is_receiver_overdue(receiver)


class AssignmentSerializer(serializers.ModelSerializer):
    issuer = serializers.IntegerField(source="issuer_id", read_only=True)
    goals = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    receivers = AssignmentReceiverSerializer(many=True, read_only=True)
    is_public = serializers.BooleanField(read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id", "issuer", "decided_by", "decided_on", "paragraph", "diary_number", "title",
            "text", "deadline", "goals", "receivers", "closed_on", "close_decided_by",
            "close_decided_on", "close_paragraph", "close_diary_number", "close_comment",
            "is_public", "updated_at", "version",
        ]  # fmt: skip


class AssignmentWriteSerializer(StrictTypes, serializers.Serializer):
    issuer = UnitRefField(help_text="Den utfärdande enheten (id eller kod).")
    decided_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    decided_on = serializers.DateField(required=False, allow_null=True)
    paragraph = serializers.CharField(max_length=20, required=False, allow_blank=True)
    diary_number = serializers.CharField(max_length=60, required=False, allow_blank=True)
    title = serializers.CharField(max_length=300)
    text = serializers.CharField(max_length=TEXT_MAX)
    deadline = serializers.DateField(required=False, allow_null=True)
    receivers = serializers.ListField(child=UnitRefField(), allow_empty=False, max_length=200)
    goals = serializers.ListField(child=_id_field(), required=False, max_length=200)
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, default=0, help_text="0 för ett nytt uppdrag."
    )


class AssignmentStatusSerializer(StrictTypes, serializers.Serializer):
    unit = UnitRefField(help_text="Den mottagande enheten (id eller kod).")
    occasion = _id_field(help_text="Uppföljningstillfällets id (se /occasions/).")
    status = serializers.ChoiceField(choices=AssignmentStatus.choices)
    comment = _text(default="")
    version = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text="0: en ny rapport; annars den lästa."
    )


# --- the endpoint -----------------------------------------------------------------------------

WRITE = {"request": AssignmentWriteSerializer, "responses": {200: AssignmentSerializer}}


@extend_schema_view(
    list=extend_schema(summary="Uppdrag", tags=["uppdrag"]),
    retrieve=extend_schema(summary="Ett uppdrag", tags=["uppdrag"]),
    create=extend_schema(
        summary="Nytt uppdrag",
        description="Kräver ägar-/redaktörsroll i den utfärdande enheten.",
        tags=["uppdrag"],
        request=AssignmentWriteSerializer,
        responses={201: AssignmentSerializer},
    ),
    update=extend_schema(
        summary="Ändra ett uppdrag",
        description="`version` ska vara den lästa; har någon annan sparat under tiden: 409.",
        tags=["uppdrag"],
        **WRITE,
    ),
    report=extend_schema(
        summary="Rapportera en mottagares status vid ett uppföljningstillfälle",
        description=(
            "Kräver rapportörsroll i den mottagande enheten. ”abandoned” och ”replaced” kräver "
            "en kommentar. Låst tillfälle eller annan version: 409."
        ),
        tags=["uppdrag"],
        request=AssignmentStatusSerializer,
        responses={200: AssignmentSerializer},
    ),
)
class AssignmentViewSet(ApiViewSet):
    serializer_class = AssignmentSerializer
    http_method_names = ["get", "post", "put", "head", "options"]
    filters = [
        f.Filter("issuer", "issuer", "unit", "Den utfärdande enhetens kod eller id."),
        f.Filter("receiver", "receivers__unit", "unit", "En mottagande enhets kod eller id."),
        f.Filter(
            "overdue",
            lambda overdue: (
                rules.overdue_assignments_q() if overdue else ~rules.overdue_assignments_q()
            ),
            "bool",
            "Försenade uppdrag: passerat slutdatum och inte slutrapporterade av alla mottagare.",
        ),
    ]

    def base_queryset(self):
        receivers = rules.with_latest(AssignmentReceiver.objects.select_related("unit"))
        reports = AssignmentReport.objects.select_related("occasion").order_by(
            "occasion__year", "occasion__end_month"
        )
        return (
            Assignment.objects.filter(access.visible_assignments_q(self.user))
            .prefetch_related(
                Prefetch(
                    "receivers", queryset=receivers.prefetch_related(Prefetch("reports", reports))
                ),
                "goals",
            )
            .distinct()
            .order_by("pk")
        )

    def represent_current(self, obj) -> dict:
        if isinstance(obj, AssignmentReport):
            return AssignmentReportSerializer(obj).data
        return AssignmentSerializer(self.base_queryset().get(pk=obj.pk)).data

    def create(self, request, *args, **kwargs):
        return self._write(Assignment(), request.data, 0, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        assignment = self.get_object()
        self._require_manage(assignment.issuer)
        return self._write(assignment, request.data, None, status.HTTP_200_OK)

    def _require_manage(self, issuer) -> None:
        if not access.can_manage_assignments(self.user, issuer):
            raise PermissionDenied(_("Du får inte ändra uppdrag från den här enheten."))

    def _write(self, assignment: Assignment, body, version, code) -> Response:
        data = AssignmentWriteSerializer(data=body)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        self._require_manage(values["issuer"])
        receivers, goal_ids = values.pop("receivers"), values.pop("goals", None)
        version = values.pop("version") if version is None else version
        goals = None
        if goal_ids is not None:
            goals = list(
                Goal.objects.filter(access.visible_scorecards_q(self.user, "scorecard__")).filter(
                    pk__in=goal_ids
                )
            )
            if len(goals) != len(set(goal_ids)):
                raise _problem([{"pointer": "#/goals", "detail": _("Ett mål finns inte.")}])
        for name, value in values.items():
            setattr(
                assignment,
                name,
                "" if value is None and name not in ("decided_on", "deadline") else value,
            )
        saved = rules.assignment_save(
            assignment=assignment, user=self.user, receivers=receivers, goals=goals, version=version
        )
        return Response(
            AssignmentSerializer(self.base_queryset().get(pk=saved.pk)).data, status=code
        )

    @action(detail=True, methods=["post"])
    def report(self, request, *args, **kwargs):
        assignment = self.get_object()
        data = AssignmentStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        receiver = assignment.receivers.filter(unit=values["unit"]).select_related("unit").first()
        if receiver is None:
            raise _problem([{"pointer": "#/unit", "detail": _("Enheten har inte fått uppdraget.")}])
        if not access.can_report_assignment(self.user, receiver):
            raise PermissionDenied(_("Du får inte rapportera för den här enheten."))
        occasion = FollowUpOccasion.objects.filter(pk=values["occasion"]).first()
        if occasion is None:
            raise _problem(
                [{"pointer": "#/occasion", "detail": _("Uppföljningstillfället finns inte.")}]
            )
        rules.report_save(
            receiver=receiver,
            occasion=occasion,
            user=self.user,
            status=values["status"],
            comment=values["comment"],
            version=values["version"],
        )
        return Response(AssignmentSerializer(self.base_queryset().get(pk=assignment.pk)).data)
