"""How the pages name the municipality: "Exempelby kommun", "kommunen", "kommunens".

Every text that speaks of the whole municipality takes its words from ``municipality_words()``
(templates: the context variable ``MUNICIPALITY_WORDS``), never a hard-coded "staden": a kommun, a stad
and a region each read right, in Swedish and in English. The name and designation come from the
current settings source: the first-run settings row when the project has one (``core.site``),
otherwise ``MUNICIPALITY_NAME`` and ``MUNICIPALITY_DESIGNATION``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

DESIGNATIONS = ("kommun", "stad", "region")


@dataclass(frozen=True)
class MunicipalityWords:
    name: str  # "Exempelby kommun"
    designation: str  # "kommun", "stad" or "region"

    # Each form is translated when asked, so a page in English reads "the municipality's".
    @property
    def definite(self) -> str:
        """The definite form: "kommunen", "staden" or "regionen"."""
        return str(_FORMS[self.designation][0])

    @property
    def genitive(self) -> str:
        """The genitive: "kommunens", "stadens" or "regionens"."""
        return str(_FORMS[self.designation][1])

    @property
    def definite_cap(self) -> str:
        return capfirst(self.definite)

    @property
    def genitive_cap(self) -> str:
        return capfirst(self.genitive)


_FORMS = {
    "kommun": (gettext_lazy("kommunen"), gettext_lazy("kommunens")),
    "stad": (gettext_lazy("staden"), gettext_lazy("stadens")),
    "region": (gettext_lazy("regionen"), gettext_lazy("regionens")),
}


def municipality_words() -> MunicipalityWords:
    """The name and designation of the municipality this instance serves, with their forms."""
    name, designation = _current_settings()
    designation = (designation or "").strip().lower()
    if designation not in DESIGNATIONS:
        designation = _designation_from_name(name)
    return MunicipalityWords(name=name, designation=designation)


def _current_settings() -> tuple[str, str]:
    try:  # the first-run settings row, where the project has one
        from core.site import site_settings
    except ImportError:
        return settings.MUNICIPALITY_NAME, getattr(settings, "MUNICIPALITY_DESIGNATION", "")
    current = site_settings()
    return current.name, current.designation


def _designation_from_name(name: str) -> str:
    """The designation in the name: "Helsingborgs stad" is a stad, "Region Skåne" a region; anything else a kommun."""
    words = name.lower().split()
    for designation in ("stad", "region"):
        if designation in words:
            return designation
    return "kommun"


def period_label(end_month: int, year: int | None = None, *, start_month: int = 1) -> str:
    """ "januari–april 2026" ("January–April 2026" in English); one month alone, "januari 2026"."""
    first, last = MONTHS[start_month], MONTHS[end_month]
    months = str(first) if start_month == end_month else f"{first}–{last}"
    return f"{months} {year}" if year else months


# Django's own message speaks of a "slug"; people who name units and metrics never have to.
CODE_INVALID = gettext_lazy(
    "Koden får bara innehålla bokstäverna a–z (utan å, ä och ö), siffror, bindestreck och "
    "understreck, inga mellanslag. Till exempel: miljo-2."
)
