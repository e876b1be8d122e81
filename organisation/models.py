"""The organisation: a tree of units that changes over time, and who holds which role where."""

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from tree_queries.models import TreeNode
from tree_queries.query import TreeQuerySet


class UnitKind(models.TextChoices):
    MUNICIPALITY = "kommun", _("Kommun")
    BOARD = "styrelse", _("Styrelse")
    COMMITTEE = "namnd", _("Nämnd")
    COMPANY = "bolag", _("Bolag")
    ADMINISTRATION = "forvaltning", _("Förvaltning")
    DEPARTMENT = "avdelning", _("Avdelning")
    UNIT = "enhet", _("Enhet")


class OrgUnitQuerySet(TreeQuerySet):
    def active(self, on: date | None = None):
        on = on or date.today()
        return self.filter(
            models.Q(active_from__isnull=True) | models.Q(active_from__lte=on),
            models.Q(active_until__isnull=True) | models.Q(active_until__gte=on),
        )

    def roots(self):
        return self.filter(parent__isnull=True)


class OrgUnit(TreeNode):
    """A unit of the municipality. Never deleted: deactivated with a date so history stays readable.

    The tree (``parent``, ``ancestors()``, ``descendants()``) comes from django-tree-queries, which
    answers ancestor and descendant questions in one recursive CTE on SQLite and PostgreSQL alike.
    """

    name = models.CharField(_("namn"), max_length=200)
    short_name = models.CharField(_("kortnamn"), max_length=60, blank=True)
    kind = models.CharField(_("typ"), max_length=20, choices=UnitKind.choices)
    code = models.SlugField(
        _("kod"), max_length=60, unique=True, help_text=_("Stabil identifierare, t.ex. 'msn'.")
    )
    description = models.TextField(_("beskrivning"), blank=True)
    kolada_id = models.CharField(
        _("Kolada-id"), max_length=20, blank=True, help_text=_("Kommunens id i Kolada, t.ex. 1283.")
    )
    active_from = models.DateField(_("aktiv från"), null=True, blank=True)
    active_until = models.DateField(
        _("aktiv till"), null=True, blank=True, help_text=_("Sätts när enheten avvecklas.")
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("ersatt av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    order = models.PositiveIntegerField(_("ordning"), default=0)

    objects = OrgUnitQuerySet.as_manager(with_tree_fields=False)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("organisationsenhet")
        verbose_name_plural = _("organisationsenheter")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unit_detail", args=[self.code])

    @property
    def is_active(self) -> bool:
        today = date.today()
        return (self.active_from is None or self.active_from <= today) and (
            self.active_until is None or self.active_until >= today
        )

    def deactivate(self, *, on: date, replaced_by: "OrgUnit | None" = None) -> None:
        self.active_until = on
        self.replaced_by = replaced_by
        self.save(update_fields=["active_until", "replaced_by"])


class Role(models.TextChoices):
    ADMIN = "admin", _("Administratör")
    EDITOR = "editor", _("Ägare/redaktör")
    REPORTER = "reporter", _("Rapportör")
    READER = "reader", _("Läsare")


class RoleAssignment(models.Model):
    """A person's role in one unit; it applies to the unit and every unit below it.

    Change roles through ``organisation.roles`` so that every change is audited.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", _("Tilldelad i Styrkort")
        SSO = "sso", _("Från inloggningstjänsten")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    source = models.CharField(
        _("källa"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )

    class Meta:
        unique_together = [("user", "unit", "role")]
        verbose_name = _("roll")
        verbose_name_plural = _("roller")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
