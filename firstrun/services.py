"""What the first-run setup writes: the first administrator, the preset perspectives, the
follow-up calendar. Keyword-only functions, each one transaction."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import SiteSettings
from core.site import site_settings
from followup.models import FollowUpOccasion, OccasionKind
from organisation import access
from organisation.models import OrgUnit, Role, UnitKind
from organisation.roles import role_assign
from scorecards.models import Perspective, Scorecard

# The four perspectives of balanced scorecards in Swedish municipalities. Stored as content in
# Swedish (like everything a municipality writes); edited like any other perspective afterwards.
PRESET_PERSPECTIVES = [
    (
        "medborgare",
        "Medborgare",
        "#0b5394",
        "people",
        "Hur vi möter invånarnas behov: service, trygghet, utbildning och livskvalitet.",
    ),
    (
        "ekonomi",
        "Ekonomi",
        "#1e7b34",
        "coins",
        "En långsiktigt hållbar ekonomi där skattepengarna används effektivt.",
    ),
    (
        "organisation",
        "Organisation",
        "#8a4baf",
        "building",
        "Medarbetare, ledarskap och arbetssätt – en attraktiv arbetsgivare.",
    ),
    (
        "framtid",
        "Framtid",
        "#b35900",
        "leaf",
        "Hållbar utveckling, klimat och miljö – för kommande generationer.",
    ),
]


@dataclass(frozen=True)
class OccasionPreset:
    kind: str
    name: str
    end_month: int
    deadline: tuple[int, int, int]  # (years after, month, day)


# The usual Swedish calendar: a tertial report after April, the interim report after August and
# the annual report early next year.
CALENDAR_PRESET = [
    OccasionPreset(OccasionKind.TERTIAL, "Tertialrapport", 4, (0, 5, 8)),
    OccasionPreset(OccasionKind.INTERIM, "Delårsrapport", 8, (0, 9, 10)),
    OccasionPreset(OccasionKind.ANNUAL, "Årsredovisning", 12, (1, 2, 6)),
]


def needs_setup() -> bool:
    """An empty instance: setup not marked done and no scorecard yet (the demo city has many)."""
    return not site_settings().setup_done and not Scorecard.objects.exists()


def setup_wanted(user) -> bool:
    """Whether ``user`` should be led to the setup: its administrator, on an empty instance."""
    return access.can_set_up(user) and needs_setup()


def setup_complete() -> None:
    row = SiteSettings.load()
    row.setup_completed_at = timezone.now()
    row.save(update_fields=["setup_completed_at", "updated_at"])


def unique_code(name: str, taken: set[str] | None = None) -> str:
    """A unit code from a name ('Miljöförvaltningen' → 'miljoforvaltningen'), made unique."""
    base = (slugify(name) or "enhet")[:50]
    taken = taken if taken is not None else set()
    code, n = base, 2
    while code in taken or OrgUnit.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


@transaction.atomic
def admin_create(*, username: str, email: str, name: str, password: str, unit: OrgUnit):
    """A person with the Administratör role at ``unit`` (the top of the organisation)."""
    first, _sep, last = name.strip().partition(" ")
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, first_name=first, last_name=last
    )
    role_assign(user=user, unit=unit, role=Role.ADMIN, by=None)
    return user


@transaction.atomic
def root_unit_create(*, name: str, designation: str = "") -> OrgUnit:
    """The top unit of an empty organisation; its name becomes the municipality's name."""
    unit = OrgUnit.objects.create(name=name, kind=UnitKind.MUNICIPALITY, code=unique_code(name))
    row = SiteSettings.load()
    row.name = row.name or name
    row.designation = row.designation or designation
    row.save()
    return unit


@transaction.atomic
def perspectives_preset() -> int:
    """The four preset perspectives; those that exist (by slug) are left as they are."""
    created = 0
    for order, (slug, name, colour, icon, description) in enumerate(PRESET_PERSPECTIVES):
        _obj, new = Perspective.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "colour": colour,
                "icon": icon,
                "description": description,
                "order": order,
            },
        )
        created += new
    return created


def preset_deadline(year: int, preset: OccasionPreset) -> date:
    later, month, day = preset.deadline
    return date(year + later, month, day)


@transaction.atomic
def calendar_create(*, year: int, occasions: list[tuple[OccasionPreset, date]]) -> int:
    """The chosen occasions of ``year``; an occasion that exists for its month is left as it is."""
    created = 0
    for preset, deadline in occasions:
        _obj, new = FollowUpOccasion.objects.get_or_create(
            year=year,
            end_month=preset.end_month,
            defaults={"kind": preset.kind, "name": preset.name, "deadline": deadline},
        )
        created += new
    return created


def unique_perspective_slug(name: str) -> str:
    base = (slugify(name) or "perspektiv")[:40]
    slug, n = base, 2
    while Perspective.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
