"""The year's reports: templates (rapportmallar), one report per unit and occasion, and its sections.

The rules (who may write, mark ready, approve, send back and complete; the version guard) are in
``yearreports.workflow``; the models only hold what was decided.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followup.models import FollowUpOccasion, OccasionKind
from organisation.models import OrgUnit


class ReportTemplate(models.Model):
    """A report's shape for one kind of occasion in one year: its ordered sections."""

    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag av tillfälle"), max_length=10, choices=OccasionKind.choices)
    year = models.PositiveSmallIntegerField(_("år"))
    introduction = models.TextField(_("inledning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "year"], name="one_template_per_kind_and_year")
        ]
        verbose_name = _("rapportmall")
        verbose_name_plural = _("rapportmallar")

    def __str__(self) -> str:
        return f"{self.name} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("yearreports:template_detail", args=[self.pk])


class SectionShape(models.Model):
    """What a template section and a report section share: heading, guidance, what is written."""

    heading = models.CharField(_("rubrik"), max_length=200)
    guidance = models.TextField(_("anvisning"), blank=True)
    free_text = models.BooleanField(_("fritext"), default=True)
    # Keys of yearreports.blocks.REGISTRY, in order.
    blocks = models.JSONField(_("datablock"), default=list, blank=True)
    mandatory = models.BooleanField(_("obligatoriskt"), default=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.heading


class TemplateSection(SectionShape):
    template = models.ForeignKey(ReportTemplate, on_delete=models.CASCADE, related_name="sections")
    history = HistoricalRecords()

    class Meta(SectionShape.Meta):
        verbose_name = _("mallavsnitt")
        verbose_name_plural = _("mallavsnitt")


class ReportState(models.TextChoices):
    WRITING = "writing", _("Skrivs")
    COMPLETED = "completed", _("Fastställd")


class Report(models.Model):
    """One unit's report at one occasion, made by sending a template to the unit.

    Completed: ``document`` holds the yearreports.document.Document as it stood, and nothing
    about the report changes any more."""

    template = models.ForeignKey(
        ReportTemplate, verbose_name=_("rapportmall"), on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip
    occasion = models.ForeignKey(
        FollowUpOccasion, verbose_name=_("uppföljningstillfälle"), on_delete=models.PROTECT,
        related_name="reports",
    )  # fmt: skip
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="reports"
    )
    deadline = models.DateField(_("sista dag"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("senast påmind"), null=True, blank=True)
    state = models.CharField(
        _("läge"), max_length=10, choices=ReportState.choices, default=ReportState.WRITING
    )
    completed_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    decision_body = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decision_date = models.DateField(_("beslutsdatum"), null=True, blank=True)
    decision_paragraph = models.CharField(_("paragraf"), max_length=20, blank=True)
    decision_diary_number = models.CharField(_("diarienummer"), max_length=60, blank=True)
    document = models.JSONField(_("fastställt dokument"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["occasion", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "unit", "template"], name="one_report_per_unit_and_occasion"
            )
        ]
        verbose_name = _("rapport")
        verbose_name_plural = _("rapporter")

    def __str__(self) -> str:
        return f"{self.template.name} {self.occasion.year} – {self.unit}"

    def get_absolute_url(self) -> str:
        return reverse("yearreports:report_detail", args=[self.pk])

    @property
    def is_completed(self) -> bool:
        return self.state == ReportState.COMPLETED

    @property
    def due(self):
        return self.deadline or self.occasion.deadline


class SectionState(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    READY = "ready", _("Klar")
    APPROVED = "approved", _("Godkänd")


SECTION_ICONS = {"draft": "✎", "ready": "◔", "approved": "✓"}


class ReportSection(SectionShape):
    """A section of one report: its text and state; ``own`` for a section the unit added."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections")
    template_section = models.ForeignKey(
        TemplateSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    own = models.BooleanField(_("eget avsnitt"), default=False)
    hidden = models.BooleanField(_("dold"), default=False)
    text = models.TextField(_("text"), blank=True)
    state = models.CharField(
        _("läge"), max_length=10, choices=SectionState.choices, default=SectionState.DRAFT
    )
    returned_reason = models.TextField(_("skäl till återsändning"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta(SectionShape.Meta):
        verbose_name = _("avsnitt")
        verbose_name_plural = _("avsnitt")

    def get_absolute_url(self) -> str:
        return reverse("yearreports:section_edit", args=[self.pk])

    @property
    def state_icon(self) -> str:
        return SECTION_ICONS[self.state]
