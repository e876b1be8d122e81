"""Goal programmes, perspectives, scorecards, goals, strategies, indicators, metrics and targets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.numbers import format_number
from organisation.models import OrgUnit


class Decision(models.Model):
    """The decision behind an adopted programme, scorecard or target, so anyone can trace it."""

    decided_by = models.CharField(_("beslutande organ"), max_length=200, blank=True)
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)
    paragraph = models.CharField(_("paragraf"), max_length=20, blank=True, help_text="§ 123")
    diary_number = models.CharField(_("diarienummer"), max_length=60, blank=True)

    class Meta:
        abstract = True

    @property
    def decision_text(self) -> str:
        parts = [self.decided_by]
        if self.decided_on:
            parts.append(self.decided_on.isoformat())
        if self.paragraph:
            parts.append(self.paragraph if "§" in self.paragraph else f"§ {self.paragraph}")
        if self.diary_number:
            parts.append(f"dnr {self.diary_number}")
        return ", ".join(p for p in parts if p)


class GoalProgramme(Decision):
    name = models.CharField(_("namn"), max_length=200)
    vision = models.TextField(_("vision"))
    description = models.TextField(_("beskrivning"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("första år"))
    end_year = models.PositiveSmallIntegerField(_("sista år"))

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("målprogram")
        verbose_name_plural = _("målprogram")

    def __str__(self) -> str:
        return f"{self.name} {self.start_year}–{self.end_year}"

    def get_absolute_url(self) -> str:
        return reverse("programme_detail", args=[self.pk])

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("Sista år kan inte vara före första år.")})

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class PerspectiveIcon(models.TextChoices):
    PEOPLE = "people", _("Människor")
    COINS = "coins", _("Mynt")
    BUILDING = "building", _("Byggnad")
    LEAF = "leaf", _("Löv")
    CIRCLE = "circle", _("Cirkel")


class Perspective(models.Model):
    name = models.CharField(_("namn"), max_length=100)
    slug = models.SlugField(unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    colour = models.CharField(
        _("färg"), max_length=7, default="#005EA5", help_text=_("Hex-färg, t.ex. #005EA5.")
    )
    icon = models.CharField(
        _("ikon"), max_length=40, choices=PerspectiveIcon.choices, default=PerspectiveIcon.CIRCLE
    )
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("perspektiv")
        verbose_name_plural = _("perspektiv")

    def __str__(self) -> str:
        return self.name


class ScorecardStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    ADOPTED = "adopted", _("Fastställt")
    ARCHIVED = "archived", _("Arkiverat")


class ScorecardQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=ScorecardStatus.DRAFT)

    def for_unit(self, unit):
        return self.filter(unit=unit)

    def in_year(self, year: int):
        return self.filter(year=year)


class Scorecard(Decision):
    """One unit's goals for one year: draft → adopted (fastställt) → archived."""

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.PROTECT, related_name="scorecards"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    programme = models.ForeignKey(
        GoalProgramme,
        verbose_name=_("målprogram"),
        on_delete=models.PROTECT,
        related_name="scorecards",
    )
    perspectives = models.ManyToManyField(Perspective, verbose_name=_("perspektiv"))
    status = models.CharField(
        _("status"), max_length=10, choices=ScorecardStatus.choices, default=ScorecardStatus.DRAFT
    )
    introduction = models.TextField(_("inledning"), blank=True)
    history = HistoricalRecords(excluded_fields=["perspectives"])

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_scorecard_per_unit_and_year")
        ]
        # Lists of goals run newest year first, scorecard by scorecard: with this index the
        # database walks the scorecards in that order and sorts only one scorecard's goals at
        # a time, so a page costs the same in a city of 100 units as in one of 1,000.
        indexes = [models.Index(fields=["-year", "unit"], name="scorecard_newest_year_first")]
        verbose_name = _("styrkort")
        verbose_name_plural = _("styrkort")

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("scorecard_detail", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status != ScorecardStatus.DRAFT

    @property
    def is_draft(self) -> bool:
        return self.status == ScorecardStatus.DRAFT


class Goal(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("styrkort"), on_delete=models.CASCADE, related_name="goals"
    )
    perspective = models.ForeignKey(
        Perspective, verbose_name=_("perspektiv"), on_delete=models.PROTECT, related_name="goals"
    )
    title = models.CharField(_("mål"), max_length=300)
    description = models.TextField(_("beskrivning"), blank=True)
    prioritised = models.BooleanField(_("prioriterat"), default=False)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)
    contributes_to = models.ManyToManyField(
        "self",
        verbose_name=_("bidrar till"),
        symmetrical=False,
        blank=True,
        related_name="contributions",
        help_text=_("Mål i en överordnad enhets styrkort samma år (målkedjan)."),
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    history = HistoricalRecords(excluded_fields=["contributes_to"])

    class Meta:
        ordering = ["perspective__order", "order", "pk"]
        verbose_name = _("mål")
        verbose_name_plural = _("mål")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("goal_chain", args=[self.pk])


class Strategy(models.Model):
    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="strategies"
    )
    text = models.TextField(_("strategi"))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")

    def __str__(self) -> str:
        return self.text[:80]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Högre är bättre")
    LOWER = "lower", _("Lägre är bättre")
    RANGE = "range", _("Inom ett intervall")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Månad")
    TERTIAL = "tertial", _("Tertial")
    YEARLY = "yearly", _("År")


class Source(models.TextChoices):
    MANUAL = "manual", _("Manuell inmatning")
    FILE = "file", _("Filimport")
    API = "api", _("API")
    KOLADA = "kolada", _("Kolada")
    ECONOMY = "economy", _("Ekonomi")


class EconomyFigure(models.TextChoices):
    """Figures derived from the imported economy (economy.metrics), per unit and month, over the
    unit's subtree, year to date."""

    NET_COST = "net_cost", _("Nettokostnad (kr)")
    BUDGET_DEVIATION = "budget_deviation", _("Budgetavvikelse (kr)")
    BUDGET_USED = "budget_used", _("Andel av budget förbrukad (%)")
    RESULT = "result", _("Resultat (kr)")


class Aggregation(models.TextChoices):
    NONE = "none", _("Ingen")
    SUM = "sum", _("Summa")
    MEAN = "mean", _("Medelvärde")
    WEIGHTED_MEAN = "weighted_mean", _("Viktat medelvärde")


class YearValue(models.TextChoices):
    LAST = "last", _("Senaste värdet")
    SUM = "sum", _("Summa")
    MEAN = "mean", _("Medelvärde")


class TargetProfile(models.TextChoices):
    """How a cumulative indicator's annual target is spread over the year."""

    PRO_RATA = "pro_rata", _("Jämnt över året")
    LAST_YEAR = "last_year", _("Som förra årets utfall månad för månad")


class Indicator(models.Model):
    """What is measured, defined once and reused by every scorecard that follows it up."""

    name = models.CharField(_("namn"), max_length=300)
    code = models.SlugField(_("kod"), max_length=60, unique=True)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.CharField(_("enhet"), max_length=40, blank=True, help_text="%, kWh/m², kr …")
    direction = models.CharField(
        _("riktning"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    decimals = models.PositiveSmallIntegerField(_("decimaler"), default=1)
    frequency = models.CharField(
        _("frekvens"), max_length=10, choices=Frequency.choices, default=Frequency.YEARLY
    )
    source = models.CharField(
        _("källa"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    kolada_kpi = models.CharField(
        _("Kolada-KPI"), max_length=20, blank=True, help_text=_("T.ex. N00090.")
    )
    economy_figure = models.CharField(
        _("ekonomiskt nyckeltal"),
        max_length=20,
        choices=EconomyFigure.choices,
        blank=True,
        default="",
        db_default="",
        help_text=_(
            "När källan är Ekonomi: vilket tal ur den inlästa ekonomin som fyller värdena."
        ),
    )
    aggregation = models.CharField(
        _("sammanvägning av underliggande enheter"),
        max_length=20,
        choices=Aggregation.choices,
        default=Aggregation.NONE,
    )
    aggregation_weight = models.ForeignKey(
        "self",
        verbose_name=_("vikt för viktat medelvärde"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Mätetalet vars värden väger enheterna, t.ex. antal anställda."),
    )
    year_value = models.CharField(
        _("årsvärde av månadsvärden"),
        max_length=10,
        choices=YearValue.choices,
        default=YearValue.LAST,
    )
    target_profile = models.CharField(
        _("målvärdet över året"),
        max_length=10,
        choices=TargetProfile.choices,
        default=TargetProfile.PRO_RATA,
        db_default=TargetProfile.PRO_RATA,
        help_text=_(
            "För mätetal vars årsvärde är summan av månadernas: hur stor del av årets målvärde "
            "som ska vara nådd efter varje månad."
        ),
    )
    plausible_min = models.DecimalField(
        _("rimligt minimum"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    plausible_max = models.DecimalField(
        _("rimligt maximum"), max_digits=18, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("mätetal")
        verbose_name_plural = _("mätetal")

    def __str__(self) -> str:
        return f"{self.name} ({self.unit})" if self.unit else self.name

    def get_absolute_url(self) -> str:
        return reverse("indicator_detail", args=[self.pk])

    def clean(self):
        if self.source == Source.KOLADA and not self.kolada_kpi:
            raise ValidationError({"kolada_kpi": _("Ange Kolada-KPI när källan är Kolada.")})
        if self.source == Source.ECONOMY and not self.economy_figure:
            raise ValidationError(
                {"economy_figure": _("Välj ekonomiskt nyckeltal när källan är Ekonomi.")}
            )
        if self.aggregation == Aggregation.WEIGHTED_MEAN and not self.aggregation_weight_id:
            raise ValidationError(
                {"aggregation_weight": _("Ett viktat medelvärde behöver ett mätetal att väga med.")}
            )

    def due_in(self, month: int) -> bool:
        """Whether a value for the period ending in ``month`` is expected."""
        if self.frequency == Frequency.MONTHLY:
            return True
        if self.frequency == Frequency.TERTIAL:
            return month in (4, 8, 12)
        return month == 12

    def format(self, value: Decimal | None) -> str:
        if value is None:
            return "–"
        return format_number(value, self.decimals)


class Metric(models.Model):
    """An indicator used on a goal; its values are the indicator's values for the goal's unit."""

    goal = models.ForeignKey(
        Goal, verbose_name=_("mål"), on_delete=models.CASCADE, related_name="metrics"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mätetal"), on_delete=models.PROTECT, related_name="metrics"
    )
    weight = models.DecimalField(_("vikt"), max_digits=6, decimal_places=2, default=Decimal(1))
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["goal", "indicator"], name="indicator_once_per_goal")
        ]
        # Metrics are listed goal by goal in their order (the API's list among others): read in
        # this index's order they need no sort, however many metrics the city has.
        indexes = [models.Index(fields=["goal", "order"], name="metric_in_goal_order")]
        verbose_name = _("mätetal på mål")
        verbose_name_plural = _("mätetal på mål")

    def __str__(self) -> str:
        return str(self.indicator)


class Comparator(models.TextChoices):
    LTE = "lte", _("högst (≤)")
    GTE = "gte", _("minst (≥)")
    EQ = "eq", _("lika med (=)")
    RANGE = "range", _("inom intervall")


class Target(Decision):
    """A metric's target value for one year, and how close counts as "close"."""

    metric = models.ForeignKey(
        Metric, verbose_name=_("mätetal"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    comparator = models.CharField(_("jämförelse"), max_length=10, choices=Comparator.choices)
    value = models.DecimalField(_("målvärde"), max_digits=18, decimal_places=4)
    value_high = models.DecimalField(
        _("övre gräns"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Bara för intervall."),
    )
    tolerance = models.DecimalField(
        _("tolerans"),
        max_digits=18,
        decimal_places=4,
        default=Decimal(0),
        help_text=_("Hur långt från målet ett värde får ligga och ändå räknas som nära."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "year"], name="one_target_per_metric_year")
        ]
        verbose_name = _("målvärde")
        verbose_name_plural = _("målvärden")

    def __str__(self) -> str:
        return self.label

    def clean(self):
        if self.comparator == Comparator.RANGE:
            if self.value_high is None:
                raise ValidationError({"value_high": _("Ett intervall behöver en övre gräns.")})
            if self.value is not None and self.value_high < self.value:
                raise ValidationError(
                    {"value_high": _("Övre gränsen kan inte vara lägre än den undre.")}
                )
        elif self.value_high is not None:
            raise ValidationError({"value_high": _("Övre gräns anges bara för intervall.")})
        if self.tolerance is not None and self.tolerance < 0:
            raise ValidationError({"tolerance": _("Toleransen kan inte vara negativ.")})

    @property
    def label(self) -> str:
        fmt = self.metric.indicator.format
        unit = f" {self.metric.indicator.unit}" if self.metric.indicator.unit else ""
        if self.comparator == Comparator.RANGE:
            return f"{fmt(self.value)}–{fmt(self.value_high)}{unit}"
        value = f"{fmt(self.value)}{unit}"
        if self.comparator == Comparator.LTE:
            return gettext("max %(value)s") % {"value": value}
        if self.comparator == Comparator.GTE:
            return gettext("minst %(value)s") % {"value": value}
        return value


class AdoptedVersion(models.Model):
    """A scorecard as it was adopted: its goals, strategies, metrics, targets and the names of its
    unit and indicators, frozen at the decision. Adopting again (a new decision) adds a version."""

    scorecard = models.ForeignKey(
        Scorecard,
        verbose_name=_("styrkort"),
        on_delete=models.CASCADE,
        related_name="adopted_versions",
    )
    number = models.PositiveSmallIntegerField(_("version"))
    adopted_at = models.DateTimeField(_("fastställt"), default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("beslut"), max_length=400, blank=True)
    snapshot = models.JSONField(_("innehåll vid beslutet"))

    class Meta:
        ordering = ["scorecard", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "number"], name="one_adopted_version_number"
            )
        ]
        verbose_name = _("fastställd version")
        verbose_name_plural = _("fastställda versioner")

    def __str__(self) -> str:
        return f"{self.scorecard} v{self.number}"


class ChangeAfterAdoption(models.Model):
    """A change to an adopted scorecard without a new decision ("ändrat efter beslut"): what
    changed, who changed it, when and why. Shown on the scorecard page and in the history."""

    scorecard = models.ForeignKey(
        Scorecard,
        verbose_name=_("styrkort"),
        on_delete=models.CASCADE,
        related_name="changes_after_adoption",
    )
    version = models.ForeignKey(
        AdoptedVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    # The goal the change concerns, to mark it on the page; none for the scorecard itself.
    goal = models.ForeignKey(
        Goal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes_after_adoption",
    )
    kind = models.CharField(_("typ"), max_length=20)  # goal, target, strategy, metric, scorecard
    object_id = models.PositiveIntegerField(null=True, blank=True)
    what = models.CharField(_("ändring"), max_length=400)
    reason = models.TextField(_("skäl"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("ändrat"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("ändring efter beslut")
        verbose_name_plural = _("ändringar efter beslut")

    def __str__(self) -> str:
        return f"{self.scorecard}: {self.what}"
