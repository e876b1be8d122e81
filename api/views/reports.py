"""The year's reports (yearreports): reports with their unit, occasion, state and downloads;
their sections, readable within the caller's rights and written through ``yearreports.workflow``
(the same rules as the pages: writers write and mark ready, the owner approves or sends back)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followup.assessments import StaleVersion as ApiStale
from organisation import access
from yearreports import workflow
from yearreports.models import Report, ReportSection, ReportState, SectionState

from .. import filters as f
from .base import ApiViewSet, _problem

TEXT_MAX = 200_000


class ReportSerializer(serializers.ModelSerializer):
    docx = serializers.SerializerMethodField(help_text="Rapporten som Word-fil.")
    pdf = serializers.SerializerMethodField(help_text="Rapporten som PDF.")
    sections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    title = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id", "title", "unit", "occasion", "template", "state", "deadline", "completed_at",
            "decision_body", "decision_date", "decision_paragraph", "decision_diary_number",
            "sections", "docx", "pdf",
        ]  # fmt: skip

    def _url(self, report, name: str) -> str:
        from django.urls import reverse

        path = reverse(f"yearreports:{name}", args=[report.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_docx(self, report) -> str:
        return self._url(report, "docx")

    def get_pdf(self, report) -> str:
        return self._url(report, "pdf")

    def get_title(self, report) -> str:
        return f"{report.template.name} {report.occasion.year}"


class ReportSectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportSection
        fields = [
            "id", "report", "heading", "guidance", "order", "free_text", "blocks", "mandatory",
            "own", "hidden", "text", "state", "returned_reason", "version", "updated_at",
        ]  # fmt: skip


class ReportSectionUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0,
        help_text="Versionen som ändringen bygger på; skiljer den sig svarar API:et 409.",
    )
    text = serializers.CharField(
        required=False, allow_blank=True, max_length=TEXT_MAX,
        help_text="Avsnittets text i den tillåtna HTML-delmängden (annat tas bort).",
    )  # fmt: skip
    state = serializers.ChoiceField(
        required=False, choices=SectionState.choices,
        help_text="ready: klarmarkera (skribent); approved: godkänn, draft: skicka tillbaka (ägare).",
    )  # fmt: skip
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="Skäl när draft skickas tillbaka.",
    )


@extend_schema_view(
    list=extend_schema(summary="Rapporter", tags=["rapporter"]),
    retrieve=extend_schema(summary="En rapport", tags=["rapporter"]),
)
class ReportViewSet(ApiViewSet):
    serializer_class = ReportSerializer
    filters = [
        f.unit("unit"),
        f.year("occasion__year"),
        f.ref("occasion", "occasion_id", "Uppföljningstillfällets id."),
        f.Filter("state", "state", "choice", "Läge.", choices=tuple(ReportState.values)),
    ]

    def base_queryset(self):
        return (
            Report.objects.filter(access.visible_reports_q(self.user))
            .select_related("template", "occasion")
            .prefetch_related("sections")
            .order_by("pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Rapportavsnitt", tags=["rapporter"]),
    retrieve=extend_schema(summary="Ett rapportavsnitt", tags=["rapporter"]),
    partial_update=extend_schema(
        summary="Skriv i ett avsnitt eller ändra dess läge",
        description=(
            "`version` ska vara den lästa; har någon annan sparat under tiden: 409. Skribenter "
            "(rapportör, redaktör) skriver och klarmarkerar, enhetens ägare godkänner eller "
            "skickar tillbaka med skäl. En fastställd rapport ändras inte: 422."
        ),
        tags=["rapporter"],
        request=ReportSectionUpdateSerializer,
        responses={200: ReportSectionSerializer},
    ),
)
class ReportSectionViewSet(ApiViewSet):
    serializer_class = ReportSectionSerializer
    http_method_names = ["get", "patch", "head", "options"]
    filters = [f.ref("report", "report_id", "Rapportens id."), f.year("report__occasion__year")]

    def base_queryset(self):
        return (
            ReportSection.objects.filter(access.visible_reports_q(self.user, "report__"))
            .select_related("report__unit")
            .order_by("report_id", "order", "pk")
        )

    def partial_update(self, request, *args, **kwargs):
        section = self.get_object()
        if not access.can_write_report(self.user, section.report):
            raise PermissionDenied
        data = ReportSectionUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        version = values["version"]
        try:
            if "text" in values:
                section = workflow.write(section, self.user, text=values["text"], version=version)
                version = section.version
            if "state" in values:
                section = self._move(section, values["state"], values.get("reason", ""), version)
        except workflow.StaleVersion as stale:
            raise ApiStale(str(stale), current=None) from stale
        except workflow.Refused as refused:
            raise _problem([{"pointer": "#", "detail": str(refused)}], str(refused)) from refused
        saved = self.base_queryset().get(pk=section.pk)
        return Response(ReportSectionSerializer(saved).data, status=status.HTTP_200_OK)

    def _move(self, section, state: str, reason: str, version: int):
        current = ReportSection.objects.get(pk=section.pk)
        if state == current.state:
            return current
        move = {
            SectionState.READY: lambda: workflow.mark_ready(section, self.user, version=version),
            SectionState.APPROVED: lambda: workflow.approve(section, self.user, version=version),
            SectionState.DRAFT: lambda: workflow.send_back(
                section, self.user, reason=reason, version=version
            ),
        }[state]
        return move()

    def represent_current(self, current):
        return None
