"""The organisation: a tree of units that changes over time, and who holds which role where."""

from datetime import date

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, When
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable
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


# Ancestors and descendants by recursive queries anchored at the one unit asked about, so they
# read one row per level (ancestors) or per unit below (descendants) through the parent index.
# django-tree-queries' own ``ancestors()``/``descendants()`` number the whole tree first (a CTE
# over every unit, twice for ancestors): 11 ms at 1,051 units against 1.2 ms at 101. ``MAX_DEPTH``
# stops a walk should a cycle ever be stored (``TreeNode.clean`` refuses them).
MAX_DEPTH = 64
_UP = (
    "WITH RECURSIVE up (id, parent_id, depth) AS ("
    " SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
    " UNION ALL SELECT u.id, u.parent_id, up.depth + 1 FROM {table} u"
    " JOIN up ON u.id = up.parent_id WHERE up.depth < {max})"
    " SELECT id FROM up ORDER BY depth DESC"
)
# Every unit above any of a set of units: the same walk, anchored at each of them.
_UP_FROM_MANY = (
    "WITH RECURSIVE up (id, parent_id, depth) AS ("
    " SELECT id, parent_id, 0 FROM {table} WHERE id IN ({anchors})"
    " UNION SELECT u.id, u.parent_id, up.depth + 1 FROM {table} u"
    " JOIN up ON u.id = up.parent_id WHERE up.depth < {max})"
    " SELECT DISTINCT id FROM up WHERE depth > 0"
)
_DOWN = (
    "WITH RECURSIVE down (id, depth) AS ("
    " SELECT id, 0 FROM {table} WHERE id = %s"
    " UNION ALL SELECT u.id, down.depth + 1 FROM {table} u"
    " JOIN down ON u.parent_id = down.id WHERE down.depth < {max})"
    " SELECT id FROM down"
)


def _sql(template: str) -> str:
    table = connection.ops.quote_name(OrgUnit._meta.db_table)
    return template.format(table=table, max=MAX_DEPTH)


class _WithPath(ModelIterable):
    """Units of an ``ancestors()`` answer carry ``tree_path`` and ``tree_depth``, as
    django-tree-queries' did, so ``access.level`` on them needs no query of its own."""

    path: list[int] = []

    def __iter__(self):
        for unit in super().__iter__():
            depth = self.path.index(unit.pk)
            unit.tree_path, unit.tree_depth = self.path[: depth + 1], depth
            yield unit


class OrgUnitQuerySet(TreeQuerySet):
    def path_ids(self, of) -> list[int]:
        """The ids from the root down to ``of`` (a unit or an id), ``of`` included: one query
        that walks up the parents, none for a unit read with tree fields or asked before."""
        path = getattr(of, "tree_path", None)
        if path is not None:
            return list(path)
        pk = getattr(of, "pk", of)
        known = getattr(of, "_styrkort_path", None)
        if known is not None and known[0] == (pk, of.parent_id):
            return list(known[1])
        with connection.cursor() as cursor:
            cursor.execute(_sql(_UP), [pk])
            path = [row[0] for row in cursor.fetchall()]
        if isinstance(of, OrgUnit):  # asked again in the same request: no query
            of._styrkort_path = ((pk, of.parent_id), path)
        return list(path)

    def ancestor_ids(self, of, *, include_self: bool = False) -> list[int]:
        """The ancestors' ids, root first (``of`` last with ``include_self``)."""
        if not include_self and getattr(of, "parent_id", 0) is None:
            return []
        path = self.path_ids(of)
        return path if include_self else path[:-1]

    def ids_above(self, unit_ids) -> set[int]:
        """The ids of every unit above any of ``unit_ids``, in one query that walks up from
        them: it reads the units' paths, not the whole tree."""
        ids = sorted({int(pk) for pk in unit_ids})
        if not ids:
            return set()
        anchors = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(_sql(_UP_FROM_MANY.replace("{anchors}", anchors)), ids)
            return {row[0] for row in cursor.fetchall()}

    def ancestors(self, of, *, include_self: bool = False):
        """Ancestors ordered from the root down, like django-tree-queries' method, without its
        query over the whole tree: the path's ids (see ``path_ids``), then those rows."""
        path = self.path_ids(of) if getattr(of, "parent_id", 0) is not None or include_self else []
        ids = path if include_self else path[:-1]
        if not ids:
            return self.none()
        order = Case(*(When(pk=pk, then=depth) for depth, pk in enumerate(ids)))
        found = self.filter(pk__in=ids).order_by(order)
        found._iterable_class = type("WithPath", (_WithPath,), {"path": path})
        return found

    def descendants(self, of, *, include_self: bool = False):
        """The units below ``of`` (and ``of`` with ``include_self``), by a recursive query
        anchored at ``of`` that reads only its subtree. Unordered, without tree fields: callers
        use the ids (``values``/``values_list``) or filter on them."""
        pk = getattr(of, "pk", of)
        # The SQL is a constant with the table name quoted by Django; the id is a parameter.
        found = self.filter(pk__in=RawSQL(_sql(_DOWN), [pk]))  # noqa: S611
        return found if include_self else found.exclude(pk=pk)

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

    The tree is the ``parent`` column. ``ancestors()`` and ``descendants()`` walk it from the unit
    asked about (``OrgUnitQuerySet``); ``with_tree_fields()`` (django-tree-queries) numbers the
    whole tree in one recursive CTE, for pages that show the whole tree.
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
