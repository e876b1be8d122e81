"""Economy: monthly amounts per unit, income-statement row and version, and the mappings that
turn an accounting system's objects and accounts into units and rows.

Signs are those of the accounts (SIE): income negative, costs positive. So a row's or a unit's
sum is its net cost (nettokostnad), and the deviation budget − utfall is positive when the
result is better than budgeted, for income and cost rows alike.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisation.models import OrgUnit

MAX_AMOUNT = 10**13  # kronor; far above any municipality's budget, below the column's limit


class Version(models.TextChoices):
    ACTUAL = "utfall", _("Utfall")
    BUDGET = "budget", _("Budget")
    # A forecast is the whole year's expected outcome, given in a month: the amount stored in
    # month m is the full-year figure as forecast then, not that month's share.
    FORECAST = "prognos", _("Prognos")


class StatementRow(models.Model):
    """A row of the income statement the economy pages show (configurable; the default rows are
    the Kommun-Bas groups, see economy.mapping.DEFAULT_ROWS)."""

    name = models.CharField(_("namn"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("ordning"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("resultaträkningsrad")
        verbose_name_plural = _("resultaträkningsrader")

    def __str__(self) -> str:
        return self.name


class AccountRule(models.Model):
    """Accounts beginning with ``prefix`` belong to ``row``; the longest matching prefix wins, so
    a whole account number maps one account."""

    prefix = models.CharField(_("konto eller kontots början"), max_length=10, unique=True)
    row = models.ForeignKey(
        StatementRow, verbose_name=_("rad"), on_delete=models.CASCADE, related_name="rules"
    )

    class Meta:
        ordering = ["prefix"]
        verbose_name = _("kontomappning")
        verbose_name_plural = _("kontomappningar")

    def __str__(self) -> str:
        return f"{self.prefix} → {self.row}"


class ObjectMapping(models.Model):
    """An object of the accounting system's dimension (ansvar, kostnadsställe) and the unit its
    amounts belong to; without a unit it is known but not yet mapped (listed on the mapping page
    and in every import's preview)."""

    dimension = models.PositiveSmallIntegerField(_("dimension"))
    code = models.CharField(_("objektkod"), max_length=60)
    name = models.CharField(_("namn i ekonomisystemet"), max_length=200, blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("enhet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["dimension", "code"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="economy_object_once")
        ]
        verbose_name = _("objektmappning")
        verbose_name_plural = _("objektmappningar")

    def __str__(self) -> str:
        return f"{self.dimension}/{self.code} {self.name}"


class Amount(models.Model):
    """One month's amount of one unit, row and version."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    row = models.ForeignKey(StatementRow, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"))
    version = models.CharField(_("version"), max_length=10, choices=Version.choices)
    amount = models.DecimalField(_("belopp"), max_digits=16, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "row", "year", "month", "version"], name="economy_amount_once"
            ),
            # Enforced by SQLite and PostgreSQL alike: an import that breaks it writes nothing.
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12)
                & models.Q(amount__gt=-MAX_AMOUNT, amount__lt=MAX_AMOUNT),
                name="economy_amount_sane",
            ),
        ]
        indexes = [models.Index(fields=["year", "version"], name="economy_amount_year")]
        permissions = [("import_economy", _("Får importera ekonomi och ändra mappningar"))]
        verbose_name = _("belopp")
        verbose_name_plural = _("belopp")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.row_id} {self.year}-{self.month:02} {self.version}"


class ForecastNote(models.Model):
    """The comment a nämnd gives with its forecast in a month."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"))
    month = models.PositiveSmallIntegerField(_("månad"))
    comment = models.TextField(_("kommentar"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="economy_note_once")
        ]
        verbose_name = _("prognoskommentar")
        verbose_name_plural = _("prognoskommentarer")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year}-{self.month:02}"


class ImportState(models.TextChoices):
    PREVIEW = "preview", _("Väntar på bekräftelse")
    APPLIED = "applied", _("Genomförd")
    FAILED = "failed", _("Avbruten, inget sparades")


class EconomyImportQuerySet(models.QuerySet):
    def stale(self, *, hours: int = 24):
        cutoff = timezone.now() - timedelta(hours=hours)
        return self.filter(state=ImportState.PREVIEW, created_at__lt=cutoff)


class EconomyImport(models.Model):
    """One economy file between preview and confirmation, then what it did. The file's amounts
    are kept summed per object (or unit code), account, month and version in ``plan``, so the
    confirming request needs no file on disk; mappings are applied when confirming."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    filename = models.CharField(_("fil"), max_length=255)
    dimension = models.PositiveSmallIntegerField(_("dimension"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("år"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        _("läge"), max_length=10, choices=ImportState.choices, default=ImportState.PREVIEW
    )
    summary = models.JSONField(default=dict)
    plan = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = EconomyImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ekonomiimport")
        verbose_name_plural = _("ekonomiimporter")

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
