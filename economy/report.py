"""The driftredovisning block for reports (issue 18's documents): budget, utfall, avvikelse and
prognos per nämnd, in the shape of yearreports.document (a table block; every cell as text).
The coordinator wires ``driftredovisning_blocks`` into the report block registry."""

from django.utils.translation import gettext as _

from organisation.models import OrgUnit, UnitKind

from .figures import Line, economy
from .templatetags.economy import kronor, percent


def _cells(name: str, line: Line) -> list[str]:
    return [
        name,
        kronor(line.budget),
        kronor(line.actual_ytd),
        kronor(line.deviation_ytd),
        percent(line.deviation_ytd_pct),
        kronor(line.forecast),
        kronor(line.deviation_year),
    ]


def driftredovisning_blocks(unit: OrgUnit, year: int, month: int) -> list[dict]:
    """One table: a row per unit directly below ``unit`` (the nämnder under the city; companies
    left out) with the sums of its subtree and its forecast, then the total. Empty when no
    economy is imported for the year."""
    total = economy(unit, year, month)
    if not total.has_data:
        return []
    children = OrgUnit.objects.filter(parent=unit).exclude(kind=UnitKind.COMPANY)
    rows = [_cells(child.name, economy(child, year, month).total) for child in children]
    rows.append(_cells(_("Totalt"), total.total))
    return [
        {
            "type": "table",
            "caption": _("Driftredovisning %(year)s, utfall till och med månad %(month)s (kr)")
            % {"year": year, "month": month},
            "columns": [
                _("Nämnd"),
                _("Budget helår"),
                _("Utfall hittills"),
                _("Avvikelse hittills"),
                _("Avvikelse hittills (%)"),
                _("Prognos helår"),
                _("Prognosavvikelse"),
            ],
            "rows": rows,
            "numeric": [False, True, True, True, True, True, True],
        }
    ]
