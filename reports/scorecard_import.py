"""An existing scorecard from a workbook: goals, strategies, metrics, targets and goal links.

Municipalities keep today's scorecards in Excel. One workbook carries one year's scorecards for
one or several units, on three sheets (the template's first sheet explains them):

- ``Mål``: Enhet (unit code), År, Perspektiv, Mål, Beskrivning, Prioriterat (ja/nej), Bidrar
  till (a goal of a higher unit the same year, by title or id; several on separate lines in
  the cell). The goal may be one of the file's own goals of a higher unit.
- ``Strategier``: Enhet, Mål (the goal's title as on ``Mål``), Strategi.
- ``Mätetal``: Enhet, Mål, Mätetal (an indicator's code or name; an unknown name creates a new
  indicator), Måttenhet and Riktning (for a new indicator), Jämförelse (≤, ≥, =, intervall; empty
  for no target), Målvärde, Övre gräns (for an interval), År (the target's year; the file's year
  when empty).

The same three steps as the value import (``reports.imports``), with its reader and its
``Plan``, ``Change`` and ``RowError``: a template, a preview that writes nothing, and an
all-or-nothing apply that plans again against what is stored then. Each cell goes through the
rule of the page that edits it: the model fields' validators (length, control characters),
``StrategyForm``, ``IndicatorForm``, ``TargetForm`` and ``chain.validate_contribution``.

Perspectives are set up before scorecards, so an unknown perspective is a row error, never a new
perspective. The scorecards are created as drafts; a unit that already has a scorecard with goals
for the year is refused (an empty draft is filled in), so importing twice cannot double a card.
"""

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from core.uploads import validate_upload
from organisation import access
from organisation.models import OrgUnit
from reports.imports import NEW, Change, Plan, RowError, cell_number, read_rows
from scorecards.chain import validate_contribution
from scorecards.forms import IndicatorForm, StrategyForm, TargetForm
from scorecards.models import (
    Comparator,
    Direction,
    Goal,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Strategy,
    Target,
)
from scorecards.services import programme_for_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HELP_SHEET, GOALS, STRATEGIES, METRICS = "Instruktioner", "Mål", "Strategier", "Mätetal"
YEAR_MIN, YEAR_MAX = 2000, 2100

# Each sheet's columns: the header word (lower case) → the field it fills. The first name is the
# template's header.
COLUMNS = {
    GOALS: {
        "enhet": "unit",
        "år": "year",
        "perspektiv": "perspective",
        "mål": "title",
        "beskrivning": "description",
        "prioriterat": "prioritised",
        "bidrar till": "links",
    },
    STRATEGIES: {"enhet": "unit", "mål": "goal", "strategi": "text"},
    METRICS: {
        "enhet": "unit",
        "mål": "goal",
        "mätetal": "indicator",
        "måttenhet": "measure",
        "riktning": "direction",
        "jämförelse": "comparator",
        "målvärde": "value",
        "övre gräns": "value_high",
        "år": "year",
    },
}
REQUIRED = {
    GOALS: {"unit", "perspective", "title"},
    STRATEGIES: {"unit", "goal", "text"},
    METRICS: {"unit", "goal", "indicator"},
}
YES = {"ja", "j", "x", "1", "true", "yes", "sant"}
NO = {"", "nej", "n", "0", "false", "no", "falskt"}
DIRECTIONS = {
    "": Direction.HIGHER,
    "högre": Direction.HIGHER,
    "högre är bättre": Direction.HIGHER,
    "lägre": Direction.LOWER,
    "lägre är bättre": Direction.LOWER,
    "intervall": Direction.RANGE,
    "inom ett intervall": Direction.RANGE,
} | {d.value: d.value for d in Direction}
COMPARATORS = {
    "≤": Comparator.LTE, "<=": Comparator.LTE, "högst": Comparator.LTE, "max": Comparator.LTE,
    "≥": Comparator.GTE, ">=": Comparator.GTE, "minst": Comparator.GTE, "min": Comparator.GTE,
    "=": Comparator.EQ, "lika med": Comparator.EQ, "exakt": Comparator.EQ,
    "intervall": Comparator.RANGE, "mellan": Comparator.RANGE,
} | {c.value: c.value for c in Comparator}  # fmt: skip


def _text(cell) -> str:
    return "" if cell is None else re.sub(r"[ \t]+", " ", str(cell)).strip()


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


# --- template -------------------------------------------------------------------------------

HELP = (  # translated when the template is written, in the downloader's language
    gettext_noop(
        "Importera befintliga styrkort: ett år, en eller flera enheter. Fyll i bladen Mål, "
        "Strategier och Mätetal; rubrikraden ska stå kvar. Styrkorten skapas som utkast."
    ),
    gettext_noop(
        "Mål: Enhet är enhetens kod. År är styrkortets år (samma år på alla rader). Perspektiv "
        "ska finnas redan (samma namn). Prioriterat: ja eller nej. Bidrar till: titeln (eller id) "
        "på ett mål hos en överordnad enhet samma år, i filen eller i systemet; flera mål på egna "
        "rader i cellen."
    ),
    gettext_noop(
        "Strategier: Enhet och Mål pekar ut målet på bladet Mål (samma titel); Strategi är texten."
    ),
    gettext_noop(
        "Mätetal: Enhet och Mål pekar ut målet. Mätetal är ett befintligt mätetals kod eller namn; "
        "ett okänt namn skapar ett nytt mätetal med Måttenhet och Riktning (högre, lägre, "
        "intervall). Jämförelse ≤, ≥, = eller intervall, Målvärde och (för intervall) Övre gräns "
        "ger målvärdet för År (tomt: styrkortets år). Lämna Jämförelse tom för mätetal utan "
        "målvärde."
    ),
    gettext_noop(
        "Innehåller en rad ett fel sparas ingenting, och felet visas med blad och radnummer."
    ),
)


def scorecard_template() -> bytes:
    """An empty workbook to fill in: an instruction sheet, then the three sheets with headers."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = HELP_SHEET
    ws["A1"] = _("Styrkort från fil")
    ws["A1"].font = Font(bold=True, size=14)
    for number, text in enumerate(HELP, 3):
        ws.cell(row=number, column=1, value=_(text)).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["A"].width = 110
    for sheet, columns in COLUMNS.items():
        _sheet(wb, sheet, list(columns))
    perspectives = [p.name for p in Perspective.objects.filter(active=True)]
    _choices(wb[GOALS], "C2:C5000", perspectives)
    _choices(wb[GOALS], "F2:F5000", ["ja", "nej"])
    _choices(wb[METRICS], "E2:E5000", ["högre", "lägre", "intervall"])
    _choices(wb[METRICS], "F2:F5000", ["≤", "≥", "=", "intervall"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(wb, title: str, heads: list[str]) -> None:
    ws = wb.create_sheet(title)
    for col, head in enumerate(heads, 1):
        ws.cell(row=1, column=col, value=head.capitalize()).font = Font(bold=True)
        ws.column_dimensions[openpyxl.utils.get_column_letter(col)].width = 24
    ws.freeze_panes = "A2"


def _choices(ws, cells: str, words: list[str]) -> None:
    # Excel caps a list validation at 255 characters; longer lists are checked on upload only.
    formula = '"' + ",".join(w.replace('"', "") for w in words) + '"'
    if words and len(formula) <= 255:
        check = DataValidation(type="list", formula1=formula, allow_blank=True)
        ws.add_data_validation(check)
        check.add(cells)


# --- reading --------------------------------------------------------------------------------


def read_workbook(upload) -> dict[str, list[dict]]:
    """Each sheet's rows as dicts (``row`` plus the fields of ``COLUMNS``).

    ``ValidationError`` in Swedish for a file of the wrong type, unreadable, without the sheet
    ``Mål`` or with a sheet missing its header row. Only .xlsx: one workbook holds three sheets.
    """
    validate_upload(upload, kinds=("xlsx",), max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES)
    name = getattr(upload, "name", "") or "styrkort.xlsx"
    data = upload.read()
    # The value import's reader checks size, zip bombs, control characters and readability.
    goal_rows = read_rows(SimpleUploadedFile(name, data, XLSX), sheet=GOALS)
    sheets = _sheet_names(data)
    if GOALS not in sheets:
        raise ValidationError(_("Arbetsboken saknar bladet ”Mål”. Utgå från mallen."))
    found = {GOALS: _records(GOALS, goal_rows)}
    for sheet in (STRATEGIES, METRICS):
        rows = (
            read_rows(SimpleUploadedFile(name, data, XLSX), sheet=sheet) if sheet in sheets else []
        )
        found[sheet] = _records(sheet, rows) if rows else []
    return found


def _sheet_names(data: bytes) -> list[str]:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _records(sheet: str, rows: list[tuple[int, list]]) -> list[dict]:
    words = COLUMNS[sheet]
    for index, (_number, cells) in enumerate(rows[:10]):
        columns = {}
        for i, cell in enumerate(cells):
            name = words.get(_key(_text(cell)))
            if name and name not in columns:
                columns[name] = i
        if REQUIRED[sheet] <= columns.keys():
            return [_record(number, cells, columns) for number, cells in rows[index + 1 :]]
    heads = ", ".join(h.capitalize() for h, f in words.items() if f in REQUIRED[sheet])
    raise ValidationError(
        _("Bladet ”%(sheet)s” saknar rubrikraden (%(heads)s). Utgå från mallen.")
        % {"sheet": sheet, "heads": heads}
    )


def _record(number: int, cells: list, columns: dict) -> dict:
    record = {"row": number}
    for name, i in columns.items():
        cell = cells[i] if i < len(cells) else None
        # Kept between preview and confirmation as JSON: numbers stay numbers, the rest text.
        record[name] = cell if isinstance(cell, int | float | type(None)) else str(cell)
    return record


# --- planning -------------------------------------------------------------------------------


@dataclass
class GoalItem:
    row: int
    unit: OrgUnit
    perspective: Perspective
    title: str
    description: str
    prioritised: bool
    order: int
    links: list = field(default_factory=list)  # stored Goals and GoalItems of higher units
    goal: Goal | None = None  # the written goal, once applied


@dataclass
class MetricItem:
    row: int
    goal: GoalItem
    indicator: object  # an Indicator, or the dict of a new one
    order: int
    target: dict | None
    year: int


@dataclass
class Work:
    """What the apply writes, resolved to stored objects where they exist."""

    year: int = 0
    programme: object = None
    cards: dict = field(default_factory=dict)  # unit pk → existing empty draft or None
    goals: list[GoalItem] = field(default_factory=list)
    strategies: list[tuple[GoalItem, str, int]] = field(default_factory=list)
    indicators: dict = field(default_factory=dict)  # name key → new indicator's fields
    metrics: list[MetricItem] = field(default_factory=list)


class _Planner:
    def __init__(self, records: dict[str, list[dict]], user):
        self.records, self.user = records, user
        self.plan, self.work = Plan(), Work()
        self.pending_links: list[tuple[GoalItem, dict]] = []
        self.refused_titles: set[str] = set()

    def error(self, sheet: str, row: int, column: str, message: str) -> None:
        self.plan.errors.append(RowError(row, f"{sheet}, {column}" if column else sheet, message))

    def add(self, sheet: str, row: int, what: str, text: str) -> None:
        self.plan.changes.append(
            Change(action=NEW, row=row, key=0, name=what, period=sheet, new_text=text)
        )

    def run(self) -> tuple[Plan, Work]:
        goals = self.records.get(GOALS, [])
        if not goals:
            self.error(GOALS, 0, "", _("Bladet ”Mål” innehåller inga mål."))
            return self.plan, self.work
        if not self._year(goals):
            return self.plan, self.work
        self.units = self._units(goals)
        self.perspectives = {_key(p.name): p for p in Perspective.objects.filter(active=True)}
        self.by_key: dict[tuple[str, str], GoalItem] = {}
        for record in goals:
            self._goal(record)
        for item, record in self.pending_links:
            self._links(item, record)
        for order, record in enumerate(self.records.get(STRATEGIES, []), 1):
            self._strategy(record, order)
        self._indicators = _IndicatorIndex()
        for order, record in enumerate(self.records.get(METRICS, []), 1):
            self._metric(record, order)
        self.plan.year = self.work.year
        return self.plan, self.work

    # -- year and units --

    def _year(self, goals: list[dict]) -> bool:
        year = _year(goals[0].get("year"))
        if year is None:
            self.error(GOALS, goals[0]["row"], "År", _year_message(goals[0].get("year")))
            return False
        for record in goals[1:]:
            if _year(record.get("year")) != year:
                self.error(
                    GOALS,
                    record["row"],
                    "År",
                    _("Alla mål i filen ska gälla samma år (%(year)s, som på rad %(row)s).")
                    % {"year": year, "row": goals[0]["row"]},
                )
        programme = programme_for_year(year)
        if programme is None:
            self.error(
                GOALS,
                goals[0]["row"],
                "År",
                _("Det finns inget målprogram som gäller %(year)s.") % {"year": year},
            )
            return False
        self.work.year, self.work.programme = year, programme
        return True

    def _units(self, goals: list[dict]) -> dict[str, OrgUnit | None]:
        """Each code of the file → its unit if the user may import into it, else None (the
        reason is the first row's error)."""
        codes = {_text(r.get("unit")) for r in goals} | {
            _text(r.get("unit")) for s in (STRATEGIES, METRICS) for r in self.records.get(s, [])
        }
        stored = {u.code: u for u in OrgUnit.objects.filter(code__in=codes)}
        cards = {
            c.unit_id: c
            for c in Scorecard.objects.filter(unit__in=stored.values(), year=self.work.year)
        }
        units: dict[str, OrgUnit | None] = {}
        for record in goals:
            code = _text(record.get("unit"))
            if code in units:
                continue
            unit, problem = stored.get(code), ""
            if not code:
                problem = _("Enhetens kod saknas.")
            elif unit is None or not unit.is_active:
                problem = _("Det finns ingen aktiv enhet med koden ”%(code)s”.") % {"code": code}
            elif not access.can_edit(self.user, unit):
                problem = _("Du har inte behörighet att redigera %(unit)s.") % {"unit": unit.name}
            elif unit.pk in cards and (
                not cards[unit.pk].is_draft or cards[unit.pk].goals.exists()
            ):
                problem = _(
                    "%(unit)s har redan ett styrkort med mål för %(year)s. Importen skapar bara "
                    "nya styrkort; ändra det befintliga på dess sida."
                ) % {"unit": unit.name, "year": self.work.year}
            if problem:
                self.error(GOALS, record["row"], "Enhet", problem)
                units[code] = None
                continue
            units[code] = unit
            self.work.cards[unit.pk] = cards.get(unit.pk)
            what = _("Styrkort (utkast)") if unit.pk not in cards else _("Befintligt utkast")
            self.add(GOALS, record["row"], what, f"{unit.name} {self.work.year}")
        return units

    # -- goals and links --

    def _goal(self, record: dict) -> None:
        row = record["row"]
        code = _text(record.get("unit"))
        unit = self.units.get(code)
        errors = []
        perspective = self.perspectives.get(_key(_text(record.get("perspective"))))
        if perspective is None:
            allowed = ", ".join(p.name for p in self.perspectives.values())
            errors.append(
                (
                    "Perspektiv",
                    _("Okänt perspektiv ”%(name)s”. Välj ett av: %(allowed)s.")
                    % {"name": _text(record.get("perspective")), "allowed": allowed},
                )
            )
        title = " ".join(_text(record.get("title")).split())  # a line break in a cell, a space
        description = _text(record.get("description"))
        errors += _field_errors(Goal, "title", title, "Mål")
        errors += _field_errors(Goal, "description", description, "Beskrivning")
        prioritised = _key(_text(record.get("prioritised")))
        if prioritised not in YES | NO:
            errors.append(("Prioriterat", _("Skriv ja eller nej.")))
        earlier = self.by_key.get((code, _key(title)))
        if earlier is not None:
            errors.append(
                (
                    "Mål",
                    _("Målet finns redan på rad %(row)s för samma enhet.") % {"row": earlier.row},
                )
            )
        for column, message in errors:
            self.error(GOALS, row, column, message)
        if (
            unit is None and not errors
        ):  # the unit's own error says why; links to it don't repeat it
            self.refused_titles.add(_key(title))
        if errors or unit is None:
            return
        item = GoalItem(
            row, unit, perspective, title, description, prioritised in YES, len(self.work.goals) + 1
        )
        self.by_key[(code, _key(title))] = item
        self.work.goals.append(item)
        self.pending_links.append((item, record))
        self.add(GOALS, row, _("Mål"), f"{unit.code}: {title} ({perspective.name})")

    def _links(self, item: GoalItem, record: dict) -> None:
        wanted = [w for w in (_text(p) for p in str(record.get("links") or "").splitlines()) if w]
        if not wanted:
            return
        ancestors = list(OrgUnit.objects.ancestors(item.unit).values_list("pk", flat=True))
        in_file = [g for g in self.work.goals if g.unit.pk in ancestors]
        stored = list(
            Goal.objects.filter(scorecard__unit__in=ancestors, scorecard__year=self.work.year)
            .filter(access.visible_scorecards_q(self.user, "scorecard__"))
            .select_related("scorecard__unit")
        )
        draft = Goal(scorecard=Scorecard(unit=item.unit, year=self.work.year), title=item.title)
        for text in wanted:
            if _key(text) in self.refused_titles:
                continue
            target, problem = _find_upper(text, in_file, stored, self.user)
            if target is not None:
                upper = target if isinstance(target, Goal) else _unsaved(target, self.work.year)
                try:
                    validate_contribution(draft, upper)
                except ValidationError as error:
                    problem = " ".join(error.messages)
            if problem:
                self.error(GOALS, record["row"], "Bidrar till", problem)
                continue
            item.links.append(target)
            self.add(GOALS, record["row"], _("Bidrar till"), f"{item.title} → {text}")

    # -- strategies and metrics --

    def _goal_of(self, sheet: str, record: dict) -> GoalItem | None:
        code, title = _text(record.get("unit")), _text(record.get("goal"))
        item = self.by_key.get((code, _key(title)))
        if item is None and self.units.get(code, 0) is not None:  # else the unit's error says it
            self.error(
                sheet,
                record["row"],
                "Mål",
                _("Målet ”%(goal)s” för enheten ”%(code)s” finns inte på bladet Mål.")
                % {"goal": title, "code": code},
            )
        return item

    def _strategy(self, record: dict, order: int) -> None:
        item = self._goal_of(STRATEGIES, record)
        form = StrategyForm(data={"text": _text(record.get("text")), "order": order})
        if not form.is_valid():
            self.error(STRATEGIES, record["row"], "Strategi", _form_errors(form))
            return
        if item is not None:
            self.work.strategies.append((item, form.cleaned_data["text"], order))
            self.add(
                STRATEGIES,
                record["row"],
                _("Strategi"),
                f"{item.title}: {form.cleaned_data['text']}",
            )

    def _metric(self, record: dict, order: int) -> None:
        row = record["row"]
        item = self._goal_of(METRICS, record)
        indicator, problem = self._indicators.find(record)
        if problem:
            self.error(METRICS, row, "Mätetal", problem)
        year = _year(record.get("year")) if _text(record.get("year")) else self.work.year
        if year is None:
            self.error(METRICS, row, "År", _year_message(record.get("year")))
        if indicator is None or item is None or year is None:
            return
        if any(m.goal is item and _same(m.indicator, indicator) for m in self.work.metrics):
            self.error(METRICS, row, "Mätetal", _("Mätetalet finns redan på målet."))
            return
        target, column, problem = _target(record, year)
        if problem:
            self.error(METRICS, row, column, problem)
            return
        if isinstance(indicator, dict) and indicator["row"] == row:
            self.add(METRICS, row, _("Nytt mätetal"), f"{indicator['name']} ({indicator['code']})")
        self.work.metrics.append(MetricItem(row, item, indicator, order, target, year))
        name = indicator["name"] if isinstance(indicator, dict) else indicator.name
        self.add(METRICS, row, _("Mätetal"), f"{item.title}: {name}")
        if target:
            words = dict(Comparator.choices)[target["comparator"]]
            self.add(METRICS, row, _("Målvärde"), f"{name} {year}: {words} {target['value']}")


class _IndicatorIndex:
    """Indicators by code and by name; an unknown name becomes one new indicator, however many
    rows name it."""

    def __init__(self):
        self.stored = list(Indicator.objects.all())
        self.codes = {i.code: i for i in self.stored}
        self.names = defaultdict(list)
        for i in self.stored:
            self.names[_key(i.name)].append(i)
        self.new: dict[str, dict] = {}

    def find(self, record: dict):
        text = _text(record.get("indicator"))
        if not text:
            return None, _("Ange mätetalets kod eller namn.")
        if text in self.codes:
            return self.codes[text], ""
        found = self.names.get(_key(text), [])
        if len(found) > 1:
            return None, _("Flera mätetal heter ”%(name)s”; ange koden i stället.") % {"name": text}
        if found:
            return found[0], ""
        if _key(text) in self.new:
            return self.new[_key(text)], ""
        return self._create(text, record)

    def _create(self, name: str, record: dict):
        direction = DIRECTIONS.get(_key(_text(record.get("direction"))))
        if direction is None:
            return None, _("Okänd riktning ”%(text)s”. Skriv högre, lägre eller intervall.") % {
                "text": _text(record.get("direction"))
            }
        code = base = slugify(name)[:50] or "matetal"
        number = 1
        while code in self.codes or any(n["code"] == code for n in self.new.values()):
            number += 1
            code = f"{base}-{number}"
        fields = {
            "name": name,
            "code": code,
            "unit": _text(record.get("measure")),
            "direction": direction,
            "decimals": 1,
            "frequency": "yearly",
            "source": "manual",
            "aggregation": "none",
            "year_value": "last",
        }
        form = IndicatorForm(data=fields)
        if not form.is_valid():
            return None, _form_errors(form)
        fields["row"] = record["row"]
        self.new[_key(name)] = fields
        return fields, ""


def _same(a, b) -> bool:
    return a is b if isinstance(a, dict) or isinstance(b, dict) else a.pk == b.pk


def _target(record: dict, year: int) -> tuple[dict | None, str, str]:
    """The row's target fields, or None for no target; else (None, column, problem).

    Numbers are read as the value import reads them (``cell_number``: decimal comma, size), then
    the edit page's ``TargetForm`` checks the target as a whole (an interval's upper bound …).
    """
    word = _key(_text(record.get("comparator")))
    numbers = {}
    for key, column in (("value", "Målvärde"), ("value_high", "Övre gräns")):
        numbers[key], problem = cell_number(record.get(key))
        if problem:
            return None, column, problem
    if not word and all(v is None for v in numbers.values()):
        return None, "", ""
    comparator = COMPARATORS.get(word)
    if comparator is None:
        problem = _("Okänd jämförelse ”%(text)s”. Skriv ≤, ≥, = eller intervall.") % {
            "text": _text(record.get("comparator"))
        }
        return (
            None,
            "Jämförelse",
            problem if word else _("Ange jämförelse: ≤, ≥, = eller intervall."),
        )
    data = {"comparator": comparator} | {k: "" if v is None else str(v) for k, v in numbers.items()}
    form = TargetForm(data=data, instance=Target(metric=Metric(), year=year))
    if not form.is_valid():
        return None, "Målvärde", _form_errors(form)
    fields = {
        k: form.cleaned_data.get(k) for k in ("comparator", "value", "value_high", "tolerance")
    }
    return {k: (str(v) if v is not None else None) for k, v in fields.items()}, "", ""


def _find_upper(text: str, in_file: list[GoalItem], stored: list[Goal], user):
    """The goal ``text`` names among the higher units' goals: a stored goal's id, else a title."""
    if text.isdigit():
        goal = Goal.objects.filter(pk=int(text)).select_related("scorecard__unit").first()
        if goal is None or not access.can_view_scorecard(user, goal.scorecard):
            return None, _("Det finns inget mål med id %(id)s.") % {"id": text}
        return goal, ""
    matches = [g for g in in_file if _key(g.title) == _key(text)]
    matches += [g for g in stored if _key(g.title) == _key(text)]
    if len(matches) > 1:
        return None, _("Flera överordnade mål heter ”%(title)s”; ange målets id i stället.") % {
            "title": text
        }
    if not matches:
        return None, _(
            "Inget mål ”%(title)s” hos en överordnad enhet samma år, varken i filen eller i "
            "systemet."
        ) % {"title": text}
    return matches[0], ""


def _unsaved(item: GoalItem, year: int) -> Goal:
    return Goal(scorecard=Scorecard(unit=item.unit, year=year), title=item.title)


def _field_errors(model, name: str, value: str, column: str) -> list[tuple[str, str]]:
    """The model field's own rules (required, length, control characters) for ``value``."""
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        return [(column, " ".join(error.messages))]
    return []


def _form_errors(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)


def _year(cell) -> int | None:
    text = _text(cell).removesuffix(".0")
    if not text.isdigit() or not YEAR_MIN <= int(text) <= YEAR_MAX:
        return None
    return int(text)


def _year_message(cell) -> str:
    return _("”%(text)s” är inte ett år mellan %(min)s och %(max)s.") % {
        "text": _text(cell),
        "min": YEAR_MIN,
        "max": YEAR_MAX,
    }


def scorecard_plan(records: dict[str, list[dict]], *, user) -> Plan:
    """What the workbook would create, and every row's errors. Writes nothing."""
    return _Planner(records, user).run()[0]


# --- applying -------------------------------------------------------------------------------


class ScorecardImportError(ValidationError):
    """The rows have errors now: nothing was written."""

    def __init__(self, plan: Plan):
        super().__init__(_("Filen innehåller fel. Inget har sparats."))
        self.plan = plan


def scorecard_apply(*, records: dict[str, list[dict]], user) -> list[Scorecard]:
    """Create the workbook's scorecards as drafts, all or nothing; the scorecards written.

    Planned again inside the transaction, so it acts on what is stored now; raises
    ``ScorecardImportError`` (with the new plan) if any row is wrong.
    """
    from followup.rollup import batched_refresh  # followup builds on scorecards, as reports does

    with transaction.atomic():
        plan, work = _Planner(records, user).run()
        if plan.errors:
            raise ScorecardImportError(plan)
        with batched_refresh():
            cards = _write_cards(work)
            _write_goals(work, cards)
            Strategy.objects.bulk_create(
                Strategy(goal=item.goal, text=text, order=order)
                for item, text, order in work.strategies
            )
            _write_metrics(work)
    return list(cards.values())


def _write_cards(work: Work) -> dict[int, Scorecard]:
    cards = {}
    for item in work.goals:
        unit = item.unit
        if unit.pk not in cards:
            card = work.cards.get(unit.pk) or Scorecard.objects.create(
                unit=unit, year=work.year, programme=work.programme, status=ScorecardStatus.DRAFT
            )
            cards[unit.pk] = card
        cards[unit.pk].perspectives.add(item.perspective)
    return cards


def _write_goals(work: Work, cards: dict[int, Scorecard]) -> None:
    for item in work.goals:  # file order: a higher unit's goals are written before links
        item.goal = Goal.objects.create(
            scorecard=cards[item.unit.pk],
            perspective=item.perspective,
            title=item.title,
            description=item.description,
            prioritised=item.prioritised,
            order=item.order,
        )
    for item in work.goals:
        uppers = [u if isinstance(u, Goal) else u.goal for u in item.links]
        for upper in uppers:
            validate_contribution(item.goal, upper)  # the cycle check needs the stored goal
        item.goal.contributes_to.add(*uppers)


def _write_metrics(work: Work) -> None:
    made: dict[int, Indicator] = {}
    for metric in work.metrics:
        indicator = metric.indicator
        if isinstance(indicator, dict):
            if id(indicator) not in made:
                fields = {k: v for k, v in indicator.items() if k != "row"}
                made[id(indicator)] = Indicator.objects.create(**fields)
            indicator = made[id(indicator)]
        stored = Metric.objects.create(
            goal=metric.goal.goal, indicator=indicator, order=metric.order
        )
        if metric.target:
            Target.objects.create(metric=stored, year=metric.year, **metric.target)
