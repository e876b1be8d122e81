"""Query-string filters of the list endpoints, declared once for both filtering and the schema.

Each view lists its filters; ``apply`` turns the query string into a ``Q`` and answers 400 with
the parameter's name for a value it cannot read. Units are named by code or id.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .exceptions import VALIDATION, Problem

YEAR_MIN, YEAR_MAX = 1900, 2200
ID_MAX = 2**63 - 1  # the database's largest id; larger numbers would overflow the query
_ID = re.compile(r"[0-9]{1,19}")
_CODE = re.compile(r"[-a-zA-Z0-9_]{1,60}")


@dataclass(frozen=True)
class Filter:
    name: str
    lookup: str | Callable[[object], Q]  # a field lookup, or a function of the value
    kind: str  # "int", "id", "unit", "bool" or "choice"
    description: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = field(default_factory=tuple)

    def parameter(self) -> OpenApiParameter:
        schema = self.schema()
        if schema is None:
            schema = OpenApiTypes.BOOL if self.kind == "bool" else OpenApiTypes.STR
        return OpenApiParameter(
            self.name,
            schema,
            OpenApiParameter.QUERY,
            description=self.description,
            enum=list(self.choices) or None,
        )

    def schema(self) -> dict | None:
        if self.kind == "id":
            return {"type": "integer", "minimum": 1, "maximum": ID_MAX}
        if self.kind == "int":
            return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}
        if self.kind == "unit":
            return {"type": "string", "pattern": f"^{_CODE.pattern}$"}
        return None

    def q(self, raw: str) -> Q:
        if self.kind == "unit":
            return unit_q(self.lookup, raw, self.name)
        if self.kind == "bool":
            if raw.lower() not in ("true", "false", "1", "0"):
                raise _bad(self.name, _("Ange true eller false."))
            return self._q(raw.lower() in ("true", "1"))
        if self.kind == "choice":
            if raw not in self.choices:
                raise _bad(
                    self.name, _("Välj ett av: %(choices)s.") % {"choices": ", ".join(self.choices)}
                )
            return self._q(raw)
        low, high = (1, ID_MAX) if self.kind == "id" else (self.minimum, self.maximum)
        return self._q(parse_int(raw, self.name, low, high))

    def _q(self, value) -> Q:
        return self.lookup(value) if callable(self.lookup) else Q(**{self.lookup: value})


def _bad(name: str, message: str) -> Problem:
    return Problem(
        _("Parametern %(name)s har ett ogiltigt värde.") % {"name": name},
        type=VALIDATION,
        errors=[{"parameter": name, "detail": message}],
    )


def unknown_parameters(unknown: list[str], allowed: list[str]) -> Problem:
    if allowed:
        hint = _("Tillåtna parametrar här: %(names)s.") % {"names": ", ".join(allowed)}
    else:
        hint = _("Här finns inga parametrar.")
    return Problem(
        ngettext(
            "Okänd parameter: %(names)s. %(hint)s",
            "Okända parametrar: %(names)s. %(hint)s",
            len(unknown),
        )
        % {"names": ", ".join(unknown), "hint": hint},
        type=VALIDATION,
        errors=[{"parameter": name, "detail": hint, "code": "unknown"} for name in unknown],
    )


def pagination_parameters(paginator) -> list[str]:
    """The query parameters a list's paginator reads (page or cursor, and page_size)."""
    if paginator is None:
        return []
    names = ("page_query_param", "cursor_query_param", "page_size_query_param")
    found = [getattr(paginator, name, None) for name in names]
    found += getattr(paginator, "refused_query_params", ())
    return [name for name in found if name]


def parse_int(raw: str, name: str, low: int | None, high: int | None) -> int:
    if not re.fullmatch(r"-?[0-9]{1,19}", raw.strip()):
        raise _bad(name, _("Ange ett heltal."))
    number = int(raw)
    if (low is not None and number < low) or (high is not None and number > high):
        raise _bad(
            name, _("Ange ett heltal från %(low)s till %(high)s.") % {"low": low, "high": high}
        )
    return number


def unit_q(lookup: str, raw: str, name: str = "unit") -> Q:
    """Units by code, or by id when the value is a number (a code that is a number counts too)."""
    if not _CODE.fullmatch(raw):
        raise _bad(name, _("Ange enhetens kod eller id."))
    q = Q(**{f"{lookup}__code": raw})
    if _ID.fullmatch(raw) and int(raw) <= ID_MAX:
        q |= Q(**{f"{lookup}_id": int(raw)})
    return q


def apply(filters: list[Filter], params) -> Q:
    q = Q()
    for f in filters:
        raw = params.get(f.name)
        if raw is not None:
            q &= f.q(raw)
    return q


def unit(lookup: str) -> Filter:
    return Filter("unit", lookup, "unit", "Enhetens kod eller id.")


def year(lookup: str) -> Filter:
    return Filter("year", lookup, "int", "År, t.ex. 2026.", YEAR_MIN, YEAR_MAX)


def month(lookup: str, name: str = "period") -> Filter:
    return Filter(name, lookup, "int", "Periodens sista månad, 1–12.", 1, 12)


def ref(name: str, lookup: str, description: str) -> Filter:
    return Filter(name, lookup, "id", description)
