"""Planning: what a workbook would create, and every row's errors. Writes nothing."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

from organisation import access
from organisation.models import OrgUnit
from reports.imports import NEW, Change, Plan, RowError, cell_number
from scorecards.chain import validate_contribution
from scorecards.forms import IndicatorForm, StrategyForm, TargetForm
from scorecards.models import (
    Comparator,
    Goal,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    Target,
)
from scorecards.services import programme_for_year

from .workbook import (
    COMPARATORS,
    DIRECTIONS,
    GOALS,
    METRICS,
    NO,
    STRATEGIES,
    YEAR_MAX,
    YEAR_MIN,
    YES,
    _key,
    _text,
)

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
        ancestors = OrgUnit.objects.ancestor_ids(item.unit)
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
