"""Kolada: the KPI catalogue, cached values for benchmarks, and the record of every sync."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit
from scorecards.models import Indicator


class MunicipalityType(models.TextChoices):
    MUNICIPALITY = "K", _("Kommun")
    REGION = "L", _("Region")
    BOTH = "A", _("Kommun och region")


class KoladaKpiQuerySet(models.QuerySet):
    def search(self, query: str):
        """KPIs whose id or title contains every word of ``query`` (case-insensitive, also åäö).

        An exact id comes first, then titles starting with the query, then the rest by title.
        """
        words = query.lower().split()
        qs = self
        for word in words:
            qs = qs.filter(search_text__contains=word)
        text = query.strip()
        return qs.annotate(
            hit=models.Case(
                models.When(id__iexact=text, then=0),
                models.When(title__istartswith=text, then=1),
                default=2,
                output_field=models.IntegerField(),
            )
        ).order_by("hit", "title", "id")


class KoladaKpi(models.Model):
    """One key figure (nyckeltal) from Kolada's catalogue."""

    id = models.CharField(_("id"), max_length=20, primary_key=True)
    title = models.CharField(_("titel"), max_length=400)
    description = models.TextField(_("beskrivning"), blank=True)
    unit = models.CharField(
        _("enhet"),
        max_length=60,
        blank=True,
        help_text=_("Härledd ur titeln när den går att läsa."),
    )
    is_divided_by_gender = models.BooleanField(_("uppdelad på kön"), default=False)
    municipality_type = models.CharField(
        _("avser"), max_length=1, choices=MunicipalityType.choices, blank=True
    )
    auspice = models.CharField(_("regi"), max_length=1, blank=True)
    operating_area = models.CharField(_("verksamhetsområde"), max_length=200, blank=True)
    perspective = models.CharField(_("perspektiv"), max_length=100, blank=True)
    prel_publication_date = models.DateField(_("preliminär publicering"), null=True, blank=True)
    publication_date = models.DateField(_("publicering"), null=True, blank=True)
    publ_period = models.CharField(_("senast publicerade period"), max_length=10, blank=True)
    has_ou_data = models.BooleanField(_("har data för organisatoriska enheter"), default=False)
    search_text = models.TextField(editable=False, default="")

    objects = KoladaKpiQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("Kolada-KPI")
        verbose_name_plural = _("Kolada-KPI:er")

    def __str__(self) -> str:
        return f"{self.id} {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = self.make_search_text(self.id, self.title)
        super().save(*args, **kwargs)

    @staticmethod
    def make_search_text(kpi_id: str, title: str) -> str:
        # SQLite's LIKE folds ASCII only; lowering in Python makes "Årets" match "årets" anywhere.
        return f"{kpi_id} {title}".lower()


class KoladaMunicipality(models.Model):
    """A municipality (K) or region (L, including 0000 Riket) as Kolada names it."""

    id = models.CharField(_("id"), max_length=10, primary_key=True)
    title = models.CharField(_("namn"), max_length=200)
    type = models.CharField(_("typ"), max_length=1, blank=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Kolada-kommun")
        verbose_name_plural = _("Kolada-kommuner")

    def __str__(self) -> str:
        return self.title


class KoladaMunicipalityGroup(models.Model):
    """A group of municipalities, such as Kolada's "Liknande kommuner" for this city."""

    id = models.CharField(_("id"), max_length=20, primary_key=True)
    title = models.CharField(_("namn"), max_length=300)
    members = models.ManyToManyField(KoladaMunicipality, related_name="groups")

    class Meta:
        verbose_name = _("Kolada-kommungrupp")
        verbose_name_plural = _("Kolada-kommungrupper")

    def __str__(self) -> str:
        return self.title


class Gender(models.TextChoices):
    TOTAL = "T", _("Totalt")
    WOMEN = "K", _("Kvinnor")
    MEN = "M", _("Män")


class KoladaValue(models.Model):
    """A cached Kolada value, so benchmark pages work without reaching Kolada."""

    kpi = models.CharField(_("KPI"), max_length=20)
    municipality = models.CharField(_("kommun"), max_length=10)
    year = models.PositiveSmallIntegerField(_("år"))
    gender = models.CharField(_("kön"), max_length=1, choices=Gender.choices)
    value = models.DecimalField(_("värde"), max_digits=18, decimal_places=4)
    count = models.PositiveIntegerField(null=True, blank=True)
    fetched_at = models.DateTimeField(_("hämtat"), auto_now=True)

    class Meta:
        ordering = ["kpi", "municipality", "year", "gender"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "municipality", "year", "gender"], name="one_kolada_value"
            )
        ]
        indexes = [models.Index(fields=["kpi", "year"])]
        verbose_name = _("Kolada-värde")
        verbose_name_plural = _("Kolada-värden")

    def __str__(self) -> str:
        return f"{self.kpi} {self.municipality} {self.year} {self.gender}: {self.value}"


class SyncRunQuerySet(models.QuerySet):
    def succeeded(self):
        return self.filter(status=SyncRun.Status.SUCCEEDED)

    def active(self):
        """Runs that are queued or under way (a dead one is closed by ``kolada.sync``)."""
        return self.filter(status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING])


class SyncRun(models.Model):
    """One run of the Kolada sync: when, what it did, and why it failed if it did."""

    class Phase(models.TextChoices):
        QUEUED = "queued", _("Väntar på arbetaren")
        CHECKING = "checking", _("Kontrollerar KPI:er")
        FETCHING = "fetching", _("Hämtar värden från Kolada")
        WRITING = "writing", _("Sparar värden")
        DONE = "done", _("Klar")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Köad")
        RUNNING = "running", _("Pågår")
        SUCCEEDED = "succeeded", _("Klar")
        FAILED = "failed", _("Misslyckades")

    started_at = models.DateTimeField(_("startad"))
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("startad av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_date = models.DateField(_("ändringar sedan"), null=True, blank=True)
    scope = models.JSONField(
        _("omfattning"), default=dict, help_text=_("KPI:er och kommuner som hämtades.")
    )
    added = models.PositiveIntegerField(_("nya"), default=0)
    changed = models.PositiveIntegerField(_("ändrade"), default=0)
    deleted = models.PositiveIntegerField(_("borttagna"), default=0)
    unchanged = models.PositiveIntegerField(_("oförändrade"), default=0)
    skipped = models.PositiveIntegerField(_("överhoppade"), default=0)
    conflicts = models.PositiveIntegerField(_("konflikter"), default=0)
    error = models.TextField(_("felmeddelande"), blank=True)
    log = models.TextField(_("rapport"), blank=True)
    # Progress, written while the run works (kolada.sync.RunProgress, in transactions of their
    # own, so the page sees it while the values themselves are written all or nothing).
    phase = models.CharField(
        _("steg"), max_length=10, choices=Phase.choices, blank=True, default="", db_default=""
    )
    kpis_total = models.PositiveIntegerField(_("KPI:er totalt"), default=0, db_default=0)
    kpis_done = models.PositiveIntegerField(_("KPI:er klara"), default=0, db_default=0)
    rows_fetched = models.PositiveIntegerField(_("hämtade värden"), default=0, db_default=0)
    values_written = models.PositiveIntegerField(_("skrivna värden"), default=0, db_default=0)
    # The last sign of life of the process running it: a run whose heartbeat is older than
    # KOLADA_SYNC_STALE_SECONDS belonged to a process that died, and is marked failed.
    heartbeat_at = models.DateTimeField(_("senaste livstecken"), null=True, blank=True)
    job_id = models.CharField(
        _("jobb"),
        max_length=64,
        blank=True,
        default="",
        db_default="",
        help_text=_("Bakgrundsjobbet som kör synkroniseringen."),
    )

    objects = SyncRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]
        get_latest_by = "started_at"
        constraints = [
            # At most one run queued or running: two syncs started at the same moment both pass
            # the "is one under way?" check, and only the database can tell them apart. The
            # index key is a constant, so every active row has the same key (kolada.runs turns
            # the refused insert into "En synkronisering pågår redan").
            models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_kolada_sync_run",
            )
        ]
        verbose_name = _("Kolada-synkronisering")
        verbose_name_plural = _("Kolada-synkroniseringar")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    @property
    def log_lines(self) -> list[str]:
        return [line for line in self.log.splitlines() if line.strip()]

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class BenchmarkRefresh(models.Model):
    """One "Hämta senaste värden från Kolada" on a benchmark page, carried out by the worker.

    The page queues it and answers at once; the row says what became of it (its values, or why
    Kolada could not give them). One refresh per KPI may be queued or running at a time.
    """

    Status = SyncRun.Status

    kpi = models.CharField(_("KPI"), max_length=20)
    municipalities = models.JSONField(_("kommuner"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("begärd av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("begärd"))
    started_at = models.DateTimeField(_("startad"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klar"), null=True, blank=True)
    values_fetched = models.PositiveIntegerField(_("hämtade värden"), default=0)
    error = models.TextField(_("felmeddelande"), blank=True)
    job_id = models.CharField(_("jobb"), max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_benchmark_refresh_per_kpi",
            )
        ]
        verbose_name = _("Kolada-jämförelse, hämtning")
        verbose_name_plural = _("Kolada-jämförelser, hämtningar")

    def __str__(self) -> str:
        return f"{self.kpi} {self.requested_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    is_active = SyncRun.is_active  # queued or running: the same rule as a sync run


class SyncConflictQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved=False)


class SyncConflict(models.Model):
    """A Kolada value the sync did not write, because a person's value (or a lock) is in the way.

    An administrator settles it: accept Kolada's value, or keep the current one.
    """

    class Resolution(models.TextChoices):
        ACCEPTED = "accepted", _("Kolada-värdet används")
        KEPT = "kept", _("Nuvarande värde behålls")
        OBSOLETE = "obsolete", _("Inaktuell – värdena stämmer nu överens")

    run = models.ForeignKey(
        SyncRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="conflict_set"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("mätetal"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"), default=12)
    kolada_value = models.DecimalField(
        _("Kolada-värde"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Tomt när Kolada har tagit bort värdet."),
    )
    current_value = models.DecimalField(
        _("nuvarande värde"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    current_source = models.CharField(_("nuvarande källa"), max_length=10, blank=True)
    reason = models.TextField(_("orsak"), blank=True)
    created_at = models.DateTimeField(_("upptäckt"), auto_now_add=True)
    resolved = models.BooleanField(_("avgjord"), default=False)
    resolution = models.CharField(
        _("beslut"), max_length=10, choices=Resolution.choices, blank=True
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("avgjord den"), null=True, blank=True)

    objects = SyncConflictQuerySet.as_manager()

    class Meta:
        ordering = ["resolved", "indicator__name", "year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "month"],
                condition=models.Q(resolved=False),
                name="one_open_kolada_conflict_per_value",
            )
        ]
        verbose_name = _("Kolada-konflikt")
        verbose_name_plural = _("Kolada-konflikter")

    def __str__(self) -> str:
        return (
            f"{self.indicator} {self.unit} {self.year}: {self.current_value} / {self.kolada_value}"
        )
