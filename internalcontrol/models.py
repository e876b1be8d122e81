"""Internal control (internkontroll, KL 6 kap.): per nämnd/styrelse and year a risk register, a
plan adopted with a decision, controls per chosen risk and their results per occasion.

The rules (matrix placement, adopting, results and the deviation's action) are in
``internalcontrol.rules``."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from followup.models import Action, FollowUpOccasion
from organisation.models import OrgUnit
from scorecards.models import Decision

LEVELS = [MinValueValidator(2), MaxValueValidator(6)]
SCALE = [MinValueValidator(1), MaxValueValidator(6)]


class ControlPlan(Decision):
    """A unit's internal control plan for a year; adopted when its decision has a date."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("nämnd/styrelse"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    probability_levels = models.PositiveSmallIntegerField(
        _("nivåer för sannolikhet"), default=4, validators=LEVELS
    )
    consequence_levels = models.PositiveSmallIntegerField(
        _("nivåer för konsekvens"), default=4, validators=LEVELS
    )
    is_public = models.BooleanField(
        _("offentlig"), default=False, help_text=_("Visa planen och resultaten för alla.")
    )
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_control_plan_per_year")
        ]
        verbose_name = _("internkontrollplan")
        verbose_name_plural = _("internkontrollplaner")

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("control_plan_detail", args=[self.pk])

    @property
    def is_adopted(self) -> bool:
        return self.decided_on is not None


class Risk(models.Model):
    """A risk in the plan's register: process, risk, probability × consequence."""

    plan = models.ForeignKey(ControlPlan, on_delete=models.CASCADE, related_name="risks")
    process = models.CharField(_("process"), max_length=200)
    title = models.CharField(_("risk"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    probability = models.PositiveSmallIntegerField(_("sannolikhet"), validators=SCALE)
    consequence = models.PositiveSmallIntegerField(_("konsekvens"), validators=SCALE)
    chosen = models.BooleanField(
        _("granskas i planen"), default=True, help_text=_("Risken får kontroller i årets plan.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-chosen", "process", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risker")

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.probability * self.consequence


class Control(models.Model):
    """A control of a chosen risk: what is checked, how, how often, by whom and when."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="controls")
    title = models.CharField(_("kontroll"), max_length=300)
    method = models.TextField(_("metod"), blank=True)
    frequency = models.CharField(_("frekvens"), max_length=100, blank=True)
    owner = models.CharField(_("ansvarig"), max_length=200)
    timing = models.CharField(_("tidpunkt"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "pk"]
        verbose_name = _("kontroll")
        verbose_name_plural = _("kontroller")

    def __str__(self) -> str:
        return self.title


class ResultKind(models.TextChoices):
    OK = "ok", _("Utan anmärkning")
    DEVIATION = "deviation", _("Med avvikelse")


class ControlResult(models.Model):
    """A control's result at a follow-up occasion; a deviation has its improvement action."""

    control = models.ForeignKey(Control, on_delete=models.CASCADE, related_name="results")
    occasion = models.ForeignKey(
        FollowUpOccasion, on_delete=models.PROTECT, related_name="control_results"
    )
    result = models.CharField(_("resultat"), max_length=10, choices=ResultKind.choices)
    comment = models.TextField(_("kommentar"), blank=True)
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["control", "occasion"], name="one_control_result_per_occasion"
            )
        ]
        verbose_name = _("kontrollresultat")
        verbose_name_plural = _("kontrollresultat")

    def __str__(self) -> str:
        return f"{self.control} – {self.occasion}: {self.get_result_display()}"
