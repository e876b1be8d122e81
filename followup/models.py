"""Follow-up: actual values, follow-up occasions, assessments and improvement actions."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.migrations_safe import RandomUUID
from core.wording import period_label
from organisation.models import OrgUnit
from scorecards.models import Goal, Indicator, Metric, Scorecard, Source, Strategy


class MeasurementQuerySet(models.QuerySet):
    def for_unit(self, unit):
        return self.filter(unit=unit)

    def in_year(self, year: int):
        return self.filter(year=year)

    def up_to(self, year: int, month: int):
        return self.filter(models.Q(year__lt=year) | models.Q(year=year, month__lte=month))


class Measurement(models.Model):
    """An actual value (utfall) of an indicator for one unit and one period.

    A period is identified by its year and its last month: a monthly value for March is (2026, 3),
    a tertial value for T1 is (2026, 4) and a yearly value is (2026, 12). That keeps every
    frequency on one axis, so "everything up to August" is a single filter.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mätetal"), on_delete=models.PROTECT, related_name="measurements"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="measurements"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"), help_text=_("Periodens sista månad."))
    value = models.DecimalField(_("utfall"), max_digits=18, decimal_places=4)
    comment = models.TextField(_("kommentar"), blank=True)
    source = models.CharField(
        _("källa"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"], name="one_value_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="month_in_range"
            ),
        ]
        indexes = [models.Index(fields=["unit", "year", "indicator"])]
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.unit} {self.year}-{self.month:02d}: {self.value}"


class Forecast(models.Model):
    """A reporter's prognos helår: the value an indicator is expected to reach for the whole year,
    for one unit, given at a follow-up occasion (``month`` is the occasion's last month).

    Keyed like ``Measurement`` so that locking, the version guard and history are the same as for
    values (``followup.forecasts.forecasts_save``); shown apart from actual values everywhere.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mätetal"), on_delete=models.PROTECT, related_name="forecasts"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="forecasts"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(
        _("månad"), help_text=_("Sista månaden i uppföljningstillfället prognosen gavs vid.")
    )
    value = models.DecimalField(_("prognos helår"), max_digits=18, decimal_places=4)
    comment = models.TextField(_("kommentar"), blank=True)
    source = models.CharField(
        _("källa"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registrerat av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("ändrat"), auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"], name="one_forecast_per_occasion"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="forecast_month_in_range"
            ),
        ]
        verbose_name = _("prognos")
        verbose_name_plural = _("prognoser")

    def __str__(self) -> str:
        return f"{self.indicator.name} {self.unit} {self.year}-{self.month:02d}: {self.value}"


class OccasionKind(models.TextChoices):
    MONTH = "month", _("Månadsrapport")
    TERTIAL = "tertial", _("Tertialrapport")
    INTERIM = "interim", _("Delårsrapport")
    ANNUAL = "annual", _("Årsredovisning")
    OTHER = "other", _("Eget slag")


class FollowUpOccasion(models.Model):
    """A follow-up occasion (uppföljningstillfälle) reporting on ``start_month``–``end_month``.

    Values and assessments are read up to ``end_month`` (the period axis of ``Measurement``);
    ``start_month`` says which months the report describes: 1 for a year-to-date report (tertial,
    delår, helår), the month itself for a monthly report.
    """

    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("typ"), max_length=10, choices=OccasionKind.choices)
    name = models.CharField(_("namn"), max_length=100)
    # db_default: the previous release, which does not know the column, still creates occasions
    # (docs/migrations.md); every existing occasion covered January onwards.
    start_month = models.PositiveSmallIntegerField(_("från och med månad"), default=1, db_default=1)
    end_month = models.PositiveSmallIntegerField(_("till och med månad"))
    deadline = models.DateField(_("sista dag för rapportering"))
    locked_at = models.DateTimeField(_("låst"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["year", "end_month"]
        constraints = [
            models.UniqueConstraint(fields=["year", "end_month"], name="one_occasion_per_month")
        ]
        verbose_name = _("uppföljningstillfälle")
        verbose_name_plural = _("uppföljningstillfällen")

    def __str__(self) -> str:
        return f"{self.title} {self.year}"

    @property
    def title(self) -> str:
        """The name as pages show it: a name that is just its kind's Swedish name ("Tertialrapport")
        reads in the interface's language; a name of the municipality's own stays as written."""
        if self.kind in OccasionKind.values:
            label = OccasionKind(self.kind).label
            with translation.override("sv"):
                swedish = str(label)
            if self.name == swedish:
                return str(label)
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def period_label(self) -> str:
        """ "januari–april 2026", or "mars 2026" for one month (the one rule: core.wording)."""
        return period_label(self.end_month, self.year, start_month=self.start_month)


class OccasionUnitLock(models.Model):
    """An occasion locked for one unit's subtree: the unit and every unit below it, for the
    occasion's months and assessments. A subtree administrator locks their own units this way;
    a city-wide lock (``FollowUpOccasion.locked_at``) locks every unit."""

    # No index but the unique constraint's (occasion first): the table holds a few rows a year,
    # and a migration builds no index outside it (docs/migrations.md).
    occasion = models.ForeignKey(
        FollowUpOccasion, on_delete=models.CASCADE, related_name="unit_locks", db_index=False
    )
    unit = models.ForeignKey(
        "organisation.OrgUnit", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    locked_at = models.DateTimeField(_("låst"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        ordering = ["occasion", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["occasion", "unit"], name="one_unit_lock_per_occasion")
        ]
        verbose_name = _("låsning för enhet")
        verbose_name_plural = _("låsningar för enheter")

    def __str__(self) -> str:
        return f"{self.occasion} – {self.unit}"


class OccasionLog(models.Model):
    """Every lock and reopening, with who, when and why (and the unit, for a subtree's lock)."""

    class Action(models.TextChoices):
        LOCK = "lock", _("Låst")
        REOPEN = "reopen", _("Öppnad igen")

    occasion = models.ForeignKey(FollowUpOccasion, on_delete=models.CASCADE, related_name="log")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(_("skäl"), blank=True)
    # The unit's name as it was, for a subtree's lock; blank for the whole municipality's.
    unit_name = models.CharField(_("enhet"), max_length=200, blank=True, db_default="", default="")

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.occasion} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class ReminderSent(models.Model):
    """A reminder e-mail that went out: one per person, occasion and day. A reminder job that is
    run again (after a killed worker, or queued twice) skips the people listed here."""

    occasion = models.ForeignKey(FollowUpOccasion, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("dag"))
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "user", "day"], name="one_reminder_per_person_and_day"
            )
        ]
        verbose_name = _("skickad påminnelse")
        verbose_name_plural = _("skickade påminnelser")

    def __str__(self) -> str:
        return f"{self.occasion} {self.user} {self.day}"


class Assessment(models.Model):
    """A person's assessment of a goal at a follow-up occasion, with analysis and forecast."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="assessments")
    occasion = models.ForeignKey(
        FollowUpOccasion, on_delete=models.PROTECT, related_name="assessments"
    )
    suggested = models.CharField(_("föreslagen bedömning"), max_length=20, blank=True)
    status = models.CharField(_("bedömning"), max_length=20)
    analysis = models.TextField(_("analys"), blank=True)
    forecast = models.TextField(_("prognos för året"), blank=True)
    # Bedömd måluppfyllelse vid årets slut, on the occasion's scale; "" when not given. Apart
    # from ``status`` (the goal now); ``forecast`` is its comment, required when it departs
    # from what the metrics' forecasts suggest (``followup.forecasts``).
    forecast_status = models.CharField(
        _("bedömd måluppfyllelse vid årets slut"),
        max_length=20,
        blank=True,
        default="",
        db_default="",
    )
    deviation_comment = models.TextField(_("motivering av avvikelse"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["goal", "occasion"], name="one_assessment_per_occasion")
        ]
        verbose_name = _("bedömning")
        verbose_name_plural = _("bedömningar")

    def __str__(self) -> str:
        return f"{self.goal} – {self.occasion}"

    @property
    def forecast_choice(self):
        """The forecast assessment's step of the scale (None when not given)."""
        from .scales import choice_for  # scales reads the site's settings, which read models

        return choice_for(self.forecast_status) if self.forecast_status else None


class SummaryAnalysis(models.Model):
    """The summary analysis of a whole scorecard at one occasion."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="summaries")
    occasion = models.ForeignKey(FollowUpOccasion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("sammanfattande analys"))
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "occasion"], name="one_summary_per_occasion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorecard} – {self.occasion}"


class ActionState(models.TextChoices):
    PLANNED = "planned", _("Planerad")
    ONGOING = "ongoing", _("Pågår")
    DONE = "done", _("Klar")
    CANCELLED = "cancelled", _("Avbruten")


class Action(models.Model):
    """Improvement work (aktivitet/åtgärd) for a goal, optionally started from a metric."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    strategy = models.ForeignKey(
        Strategy, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    metric = models.ForeignKey(
        Metric, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("aktivitet"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    owner = models.CharField(_("ansvarig"), max_length=200)
    start_date = models.DateField(_("start"), null=True, blank=True)
    due_date = models.DateField(_("klart senast"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=10, choices=ActionState.choices, default=ActionState.PLANNED
    )
    progress = models.TextField(_("lägesbeskrivning"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")

    def __str__(self) -> str:
        return self.title


class GoalStatus(models.Model):
    """A goal's suggested status and assessed status, kept up to date on every change to what
    they depend on (values, targets, indicators, units, assessments: ``followup.signals``).

    Roll-ups along the goal chain read thousands of goals; computing each from its values would
    make the city's page grow with the city. ``followup.rollup`` refreshes these rows in the same
    transaction as the change, so the next request already sees the new status.
    """

    goal = models.OneToOneField(
        Goal, primary_key=True, on_delete=models.CASCADE, related_name="stored_status"
    )
    status = models.CharField(max_length=20)
    # The owners' judgement: the status of the goal's latest assessment this year, where its
    # scale's choice is a status ("" when none). Roll-ups count it before the suggestion.
    assessed = models.CharField(max_length=20, blank=True, default="", db_default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.goal_id}: {self.assessed or self.status}"


class RollupChange(models.Model):
    """One row per change that can alter a roll-up along the goal chain (statuses, chain links,
    goals, scorecards), written in the same transaction as the change.

    The roll-ups' version is built from these rows (``followup.rollup.rollup_version``) so that it
    moves the moment such a change commits — also when transactions commit out of id order, when
    old rows are pruned, and when ids start over after a restore (the newest row's random token) —
    and a roll-up cached under a version is never served after a change.
    """

    # db_default: code that does not know the column (the previous release, during an upgrade
    # or after a rollback) still inserts rows, each with its own token.
    token = models.UUIDField(default=uuid.uuid4, db_default=RandomUUID(), editable=False)
    # The scorecard whose cached roll-ups and overview the change concerns; empty: every
    # scorecard's (a structural change, a full refresh, or a write by the previous release,
    # which does not know the column). A plain number, not a key: a change outlives what it
    # names, and removing a scorecard must not wait on this log.
    scorecard = models.IntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["scorecard"], name="rollupchange_scorecard")]

    def __str__(self) -> str:
        return str(self.pk)


class OccasionNames(models.Model):
    """The names a locked occasion's reports show, taken when it was locked: units, goals,
    perspectives, strategies and indicators of the year's scorecards. A unit renamed later keeps
    its old name in the locked report (``followup.locked_names``); reopening drops them."""

    occasion = models.OneToOneField(
        FollowUpOccasion, primary_key=True, on_delete=models.CASCADE, related_name="names_at_lock"
    )
    taken_at = models.DateTimeField(auto_now_add=True)
    names = models.JSONField()

    def __str__(self) -> str:
        return str(self.occasion)
