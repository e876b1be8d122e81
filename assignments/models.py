"""Assignments (uppdrag): a decision gives one or more units a task to carry out and report back.

The rules (statuses, closing, overdue, saving without lost updates) live in ``assignments.rules``;
the models only hold the data.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followup.models import FollowUpOccasion
from organisation.models import OrgUnit
from scorecards.models import Decision, Goal


class AssignmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Ej påbörjat")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Genomfört")
    ABANDONED = "abandoned", _("Avslutat, ej genomfört")
    REPLACED = "replaced", _("Ersatt")


class Assignment(Decision):
    """An assignment from a decision (``decided_by``, ``decided_on``, § and diarienummer).

    ``issuer`` is the unit whose body decided (kommunen for fullmäktige, kommunstyrelsen...): its
    editors register and close the assignment. Once the decision has a date it is public.
    """

    issuer = models.ForeignKey(
        OrgUnit,
        verbose_name=_("utfärdare"),
        on_delete=models.PROTECT,
        related_name="issued_assignments",
    )
    title = models.CharField(_("rubrik"), max_length=300)
    text = models.TextField(_("uppdragets text"))
    deadline = models.DateField(_("ska vara klart"), null=True, blank=True)
    goals = models.ManyToManyField(
        Goal, verbose_name=_("mål som uppdraget stödjer"), blank=True, related_name="assignments"
    )
    closed_on = models.DateField(_("avslutat"), null=True, blank=True)
    close_decided_by = models.CharField(_("avslutande beslut: organ"), max_length=200, blank=True)
    close_decided_on = models.DateField(_("avslutande beslut: datum"), null=True, blank=True)
    close_paragraph = models.CharField(_("avslutande beslut: paragraf"), max_length=20, blank=True)
    close_diary_number = models.CharField(
        _("avslutande beslut: diarienummer"), max_length=60, blank=True
    )
    close_comment = models.TextField(_("varför uppdraget avslutas"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    # The goal links are not in the history: restoring an old backup (loaddata) sets them again,
    # and a history of many-to-many fields would record that as a change.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_on", "pk"]
        verbose_name = _("uppdrag")
        verbose_name_plural = _("uppdrag")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assignment_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        """The decision is taken (it has a date): anyone may read the assignment."""
        return self.decided_on is not None

    @property
    def is_closed(self) -> bool:
        return self.closed_on is not None


class AssignmentReceiver(models.Model):
    """One receiving unit of an assignment; each follows it up on its own."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="receivers")
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("mottagare"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "unit"], name="one_receiver_per_unit")
        ]
        verbose_name = _("mottagare av uppdrag")
        verbose_name_plural = _("mottagare av uppdrag")

    def __str__(self) -> str:
        return f"{self.assignment} – {self.unit}"


class AssignmentReport(models.Model):
    """A receiving unit's status of the assignment at a follow-up occasion, with a comment."""

    receiver = models.ForeignKey(
        AssignmentReceiver, on_delete=models.CASCADE, related_name="reports"
    )
    occasion = models.ForeignKey(
        FollowUpOccasion, on_delete=models.PROTECT, related_name="assignment_reports"
    )
    status = models.CharField(_("status"), max_length=20, choices=AssignmentStatus.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["occasion__year", "occasion__end_month"]
        constraints = [
            models.UniqueConstraint(
                fields=["receiver", "occasion"], name="one_assignment_report_per_occasion"
            )
        ]
        verbose_name = _("rapport om uppdrag")
        verbose_name_plural = _("rapporter om uppdrag")

    def __str__(self) -> str:
        return f"{self.receiver} – {self.occasion}: {self.get_status_display()}"
