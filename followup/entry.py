"""Entering actual values: what is due for a scorecard and period, and saving many values at once.

``measurements_save`` is the one write path for values — the entry page, file imports and the API
all call it — so validation, locking, conflicts and history are the same everywhere.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from core.numbers import NumberTooLarge, parse_decimal, too_large_message
from core.text import text_problem
from organisation.models import OrgUnit
from scorecards.models import (
    Aggregation,
    Frequency,
    Indicator,
    Metric,
    Scorecard,
    Source,
    Target,
)

from .evaluation import FollowUpPoint, MetricResult, PeriodValue, statuses_at, value_rows
from .locking import is_locked
from .models import Measurement
from .rollup import batched_refresh, cached_until_change, measurement_changed
from .status import Status


@dataclass
class EntryRow:
    indicator: Indicator
    goals: list[str]
    target: Target | None
    measurement: Measurement | None
    earlier: list[PeriodValue]  # year, month and value of the latest three before the month
    computed: Decimal | None = None
    result: MetricResult | None = None  # the metric at (year, month), as every page shows it
    error: str = ""
    last_year: dict[int, Decimal] = field(default_factory=dict)  # {month: value} the year before
    posted_value: str | None = None
    posted_comment: str | None = None

    @property
    def year_to_date(self) -> Decimal | None:
        return self.result.value if self.result else None

    @property
    def status(self) -> Status:
        return self.result.status if self.result else Status.NO_VALUE

    @property
    def version(self) -> int:
        return self.measurement.version if self.measurement else 0

    @property
    def is_computed(self) -> bool:
        return self.indicator.aggregation != Aggregation.NONE

    @property
    def input_value(self) -> str:
        if self.posted_value is not None:
            return self.posted_value
        if self.measurement is None:
            return ""
        return self.indicator.format(self.measurement.value).replace("\u00a0", "")

    @property
    def input_comment(self) -> str:
        if self.posted_comment is not None:
            return self.posted_comment
        return self.measurement.comment if self.measurement else ""

    # What the page shows of the row, formed here rather than by template filters and lookups:
    # a 30-row page spent two thirds of its rendering on ~2,000 variable lookups (#16).
    @cached_property
    def key(self) -> str:
        """The indicator's id as the row's field names and ids carry it (``v-``, ``c-``,
        ``ver-``, ``e-``), a string so that it is not localised as a number each time."""
        return str(self.indicator.pk)

    @property
    def kind(self) -> str:
        """ "Månadsvis · kWh": how often it is reported and its unit."""
        frequency = _label(Frequency, self.indicator.frequency)
        return f"{frequency} · {self.indicator.unit}" if self.indicator.unit else frequency

    @property
    def earlier_shown(self) -> list[str]:
        """ "2026-03: 12,5" for each of the latest values before the month."""
        decimals = self.indicator.decimals
        return [f"{v.year}-{v.month:02d}: {floatformat(v.value, decimals)}" for v in self.earlier]

    @property
    def computed_shown(self) -> str:
        return floatformat(self.computed, self.indicator.decimals)

    @property
    def aggregation_shown(self) -> str:
        return _label(Aggregation, self.indicator.aggregation).lower()

    @property
    def year_to_date_shown(self) -> str:
        return floatformat(self.year_to_date, self.indicator.decimals)

    @property
    def value_label(self) -> str:
        return _("Utfall för %(name)s") % {"name": self.indicator.name}

    @property
    def comment_label(self) -> str:
        return _("Kommentar till %(name)s") % {"name": self.indicator.name}

    @property
    def entered(self) -> str:
        """ "Manuell inmatning · Anna Berg": where the month's value came from and who entered it."""
        m = self.measurement
        if m is None:
            return ""
        source = _label(Source, m.source)
        if not m.entered_by:
            return source
        return f"{source} · {m.entered_by.get_full_name() or m.entered_by.username}"


def _label(choices, value: str) -> str:
    """What ``get_FOO_display()`` shows, in one translation: Django's hashes every choice's lazy
    label, a translation each, for every call (a third of the rows' text on a 30-row page)."""
    return str(dict(choices.choices).get(value, value))


@dataclass
class RowInput:
    indicator_id: int
    value: str
    comment: str = ""
    version: int | None = None


# Why a row was refused: the API answers these codes as they are, the pages and the import show
# the message that comes with each.
UNKNOWN_INDICATOR = "unknown_indicator"  # not in the scorecard (or not the caller's to write)
INVALID = "invalid"  # not a number, or a comment no export could write
TOO_LARGE = "too_large"  # more whole digits than a value column holds
TOO_MANY_DECIMALS = "too_many_decimals"  # more decimals than a value column holds
IMPLAUSIBLE = "implausible"  # outside the indicator's plausible range
NOT_DUE = "not_due"  # the indicator is not reported for this month
LOCKED = "locked"
CONFLICT = "conflict"
STORED_DECIMALS = 4  # the value column's; more is refused on every route, never rounded


@dataclass
class SaveResult:
    errors: dict[int, str] = field(default_factory=dict)
    codes: dict[int, str] = field(default_factory=dict)  # indicator id: one of the codes above
    created: int = 0
    updated: int = 0
    deleted: int = 0
    message: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def due_indicators(scorecard: Scorecard, month: int) -> tuple[list[Indicator], dict, dict]:
    """Indicators of the scorecard due in ``month`` (each once), their goals and targets."""
    # The goal's title alone, not a Goal and a Perspective per metric; each target gets the
    # metric already read rather than a second copy of it and its indicator.
    metrics = (
        Metric.objects.filter(goal__scorecard=scorecard)
        .select_related("indicator")
        .annotate(goal_title=F("goal__title"))
        .order_by("goal__perspective__order", "goal__order", "goal_id", "order", "pk")
    )
    indicators: dict[int, Indicator] = {}
    goals: dict[int, list[str]] = defaultdict(list)
    metric_of: dict[int, Metric] = {}
    for m in metrics:
        if not m.indicator.due_in(month):
            continue
        indicators.setdefault(m.indicator_id, m.indicator)
        goals[m.indicator_id].append(m.goal_title)
        metric_of.setdefault(m.indicator_id, m)
    targets = {}
    by_pk = {m.pk: m for m in metric_of.values()}
    for t in Target.objects.filter(metric_id__in=by_pk, year=scorecard.year):
        t.metric = by_pk[t.metric_id]
        targets[t.metric_id] = t
    by_indicator = {ind: targets.get(m.pk) for ind, m in metric_of.items()}
    return list(indicators.values()), goals, by_indicator


def entry_rows(scorecard: Scorecard, month: int) -> list[EntryRow]:
    """One row per indicator due for the scorecard's unit in (year, month)."""
    year, unit = scorecard.year, scorecard.unit
    indicators, goals, targets = due_indicators(scorecard, month)
    ids = [i.pk for i in indicators]
    history, currents = _history(unit, ids, year, month)
    results = _results_by_indicator(scorecard, month)
    rows = []
    for ind in indicators:
        current = currents.get(ind.pk)
        earlier = [m for m in history[ind.pk] if (m.year, m.month) < (year, month)][-3:]
        result = results.get(ind.pk)
        computed = result.computed.get(month) if result else None
        row = EntryRow(ind, goals[ind.pk], targets[ind.pk], current, earlier, computed)
        row.result = result
        row.last_year = {v.month: v.value for v in history[ind.pk] if v.year == year - 1}
        rows.append(row)
    return rows


# What the page shows of the month's own value (and its author's name); the rest of a value is
# not read for it. In Measurement's field order, as ``Model.from_db`` takes them.
_SHOWN = {"id", "indicator_id", "unit_id", "year", "month", "comment", "source", "version"}
_SHOWN |= {"entered_by_id", "value"}
_SHOWN_FIELDS = [f.attname for f in Measurement._meta.concrete_fields if f.attname in _SHOWN]
_AUTHOR = ("id", "username", "first_name", "last_name")


def _history(unit, ids, year: int, month: int) -> tuple[dict, dict[int, Measurement]]:
    """({indicator id: [PeriodValue] of last year and this, in order}, {indicator id: the month's
    own Measurement, with its author}) in one query. Only the month's value becomes a model
    object: the other 20–700 values of the two years are shown as three figures per row, so
    they stay plain tuples (building a Measurement and a User for each was a third of the
    page's CPU at a large city; #16)."""
    fields = [f for f in _SHOWN_FIELDS if f != "value"]
    authors = [f"entered_by__{a}" for a in _AUTHOR]
    history: dict[int, list[PeriodValue]] = defaultdict(list)
    currents: dict[int, Measurement] = {}
    i_indicator, i_year, i_month = (fields.index(n) for n in ("indicator_id", "year", "month"))
    for row in value_rows(
        Measurement.objects.filter(unit=unit, indicator_id__in=ids, year__in=(year - 1, year))
        .order_by("year", "month")
        .values_list(*fields, *authors, "value")  # value last, as value_rows reads it
    ):
        row_year, row_month, value = row[i_year], row[i_month], row[-1]
        history[row[i_indicator]].append(PeriodValue(row_year, row_month, value))
        if (row_year, row_month) == (year, month):  # the month's own: a Measurement
            own = dict(zip(fields, row[: len(fields)], strict=True))
            own["value"] = value
            current = Measurement.from_db(
                Measurement.objects.db, _SHOWN_FIELDS, [own[f] for f in _SHOWN_FIELDS]
            )
            author = row[len(fields) : -1]
            if author[0] is not None:  # the row names who entered it
                current.entered_by = _author(dict(zip(_AUTHOR, author, strict=True)))
            currents[own["indicator_id"]] = current
    return history, currents


def _author(shown: dict):
    """The user who entered a value, with only the fields the page shows (the rest deferred)."""
    user = get_user_model()
    names = [f.attname for f in user._meta.concrete_fields if f.attname in shown]
    return user.from_db(Measurement.objects.db, names, [shown[n] for n in names])


def _results_by_indicator(scorecard: Scorecard, month: int) -> dict[int, MetricResult]:
    """Each indicator's first metric on the card, by the one composer at (year, month): the
    entry page shows the year-to-date figure and status every other page shows.

    Kept until a change is recorded for the scorecard (``rollup.cached_until_change``): every
    write the composer reads for the card's goals — their values of this year and last, the
    figures aggregated from below, targets, metrics, indicators — refreshes those goals, and a
    refresh records a change for their scorecard even when no stored status moves. A warm page
    then pays one query (the version) instead of evaluating the card (a third of its CPU)."""
    return cached_until_change(
        "entry-results",
        # The day too: which units below are active, so what they add up to, depends on it.
        (scorecard.pk, month, date.today().isoformat()),
        lambda: _composed_results(scorecard, month),
        scorecard_ids=[scorecard.pk],
    )


def _composed_results(scorecard: Scorecard, month: int) -> dict[int, MetricResult]:
    goal_ids = list(scorecard.goals.values_list("pk", flat=True))
    found: dict[int, MetricResult] = {}
    for result in statuses_at(goal_ids, FollowUpPoint(scorecard.year, month)).values():
        for r in result.metrics:
            found.setdefault(r.metric.indicator_id, r)
    return found


def measurements_save(
    *,
    unit: OrgUnit,
    year: int,
    month: int,
    inputs: list[RowInput],
    user,
    source: str = Source.MANUAL,
    allowed: dict[int, Indicator],
    locks: dict | None = None,
) -> SaveResult:
    """Validate every row, then save all or nothing.

    ``allowed`` maps the indicator ids the caller may write to their indicators. An empty value
    removes a stored one. A row whose ``version`` differs from the stored value's is a conflict:
    someone else saved in between, and nothing is overwritten. ``locks`` holds the locked months
    per year and unit as read (``followup.locking.is_locked``): an import that saves many units and months
    in one transaction passes one dict, so each year's locks are read once, not once per call —
    and must check ``followup.locking.locks_unchanged`` before it commits.
    """
    locks = {} if locks is None else locks
    # Two callers writing the first values of a period at once both find no row and both insert;
    # the later insert fails on the unique constraint once the earlier commits. Trying again then
    # finds the rows (a new statement sees what was committed) and updates them, or reports a
    # version conflict. Each round is a savepoint, so an enclosing transaction survives it.
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            return _save_once(unit, year, month, inputs, user, source, allowed, locks)
        except IntegrityError:
            if attempt == _ATTEMPTS:
                raise
    raise AssertionError("unreachable")


_ATTEMPTS = 3


def _save_once(unit, year, month, inputs, user, source, allowed, locks) -> SaveResult:
    result = SaveResult()
    with transaction.atomic(), batched_refresh():
        existing = {
            m.indicator_id: m
            for m in Measurement.objects.select_for_update()
            .filter(
                unit=unit, year=year, month=month, indicator_id__in=[r.indicator_id for r in inputs]
            )
            .order_by("indicator_id")  # one locking order for every writer: no deadlock
        }
        planned = []
        for row in inputs:
            code, error, value = _check_row(
                row, allowed, existing.get(row.indicator_id), unit, year, month, locks
            )
            if error:
                result.errors[row.indicator_id] = error
                result.codes[row.indicator_id] = code
            else:
                planned.append((row, value))
        if result.errors:
            return result
        _write(planned, existing, unit, year, month, user, source, result)
    return result


def _check_row(row, allowed, current, unit, year, month, locks) -> tuple[str, str, Decimal | None]:
    """(code, message, value): an empty message if the row may be saved."""
    indicator = allowed.get(row.indicator_id)
    if indicator is None:
        return UNKNOWN_INDICATOR, _("Mätetalet finns inte i styrkortet."), None
    problem = text_problem(row.comment)
    if problem:  # no export could write it (and PostgreSQL cannot store NUL)
        return INVALID, _("Kommentaren: %(problem)s") % {"problem": problem}, None
    value, code, problem = check_value(indicator, row.value, month)
    if problem:
        return code, problem, None
    unchanged = (current is None and value is None) or (
        current is not None and current.value == value and current.comment == row.comment.strip()
    )
    if unchanged:
        return "", "", value
    if is_locked(year, month, unit, cache=locks):
        return LOCKED, _("Perioden är låst eftersom rapporten är fastställd."), None
    if row.version is not None and row.version != (current.version if current else 0):
        shown = indicator.format(current.value) if current else _("inget värde")
        return (
            CONFLICT,
            _(
                "Någon annan har ändrat värdet under tiden (nu %(value)s). Kontrollera och spara igen."
            )
            % {"value": shown},
            None,
        )
    return "", "", value


def check_value(indicator: Indicator, text: str, month: int) -> tuple[Decimal | None, str, str]:
    """The one rule for a value as typed, read from a file or sent to the API: (value, code,
    message), the message empty when the value is acceptable. An empty text is no value (it
    removes a stored one, which is allowed in any month).

    A number needs at most 14 whole digits and four decimals (the column's); more decimals are
    refused, never rounded, so what is stored is what was given. It must lie in the indicator's
    plausible range, and the indicator must be due in ``month``."""
    value, code, problem = parse_value(text)
    if problem or value is None:
        return value, code, problem
    problem = _outside_plausible_range(indicator, value)
    if problem:
        return None, IMPLAUSIBLE, problem
    if not indicator.due_in(month):
        return None, NOT_DUE, not_due_message(indicator, month)
    return value, "", ""


def parse_value(text: str) -> tuple[Decimal | None, str, str]:
    """A number as typed: (value, code, message); what ``check_value`` and forecasts share."""
    text = text.strip()
    if not text:
        return None, "", ""
    try:
        value = parse_decimal(text)
    except NumberTooLarge:
        return None, TOO_LARGE, too_large_message(text)
    except ValueError:
        return None, INVALID, _("”%(text)s” är inte ett tal.") % {"text": text}
    if value != value.quantize(Decimal(1).scaleb(-STORED_DECIMALS)):
        return None, TOO_MANY_DECIMALS, _("”%(text)s” har fler än fyra decimaler.") % {"text": text}
    return value, "", ""


def not_due_message(indicator: Indicator, month: int) -> str:
    months = [date_format(date(2000, m, 1), "F") for m in range(1, 13)]
    due = ", ".join(months[m - 1] for m in range(1, 13) if indicator.due_in(m))
    return _("%(name)s rapporteras inte för %(month)s, bara för: %(due)s.") % {
        "name": indicator.name,
        "month": months[month - 1],
        "due": due,
    }


def _outside_plausible_range(indicator: Indicator, value: Decimal) -> str:
    low, high = indicator.plausible_min, indicator.plausible_max
    if (low is not None and value < low) or (high is not None and value > high):
        return _("%(value)s ligger utanför det rimliga intervallet %(low)s–%(high)s %(unit)s.") % {
            "value": indicator.format(value),
            "low": indicator.format(low) if low is not None else "",
            "high": indicator.format(high) if high is not None else "",
            "unit": indicator.unit,
        }
    return ""


def scorecard_indicators(card: Scorecard) -> dict[int, Indicator]:
    """{id: indicator} of every indicator the scorecard follows up: what a reporter of its unit
    may write (``check_value`` then says in which months)."""
    metrics = Metric.objects.filter(goal__scorecard=card).select_related("indicator")
    return {m.indicator_id: m.indicator for m in metrics}


def _write(planned, existing, unit, year, month, user, source, result: SaveResult) -> None:
    """Store the checked rows: new and changed values in two bulk statements, each with its history
    rows; removals one by one (rare, and their history and signals come with ``delete``)."""
    created, updated = [], []
    now = timezone.now()
    for row, value in planned:
        current = existing.get(row.indicator_id)
        comment = row.comment.strip()
        if current is None:
            if value is not None:
                created.append(
                    Measurement(
                        indicator_id=row.indicator_id,
                        unit=unit,
                        year=year,
                        month=month,
                        value=value,
                        comment=comment,
                        source=source,
                        entered_by=user,
                    )
                )
        elif value is None:
            current.delete()
            result.deleted += 1
        elif current.value != value or current.comment != comment:
            current.value, current.comment = value, comment
            current.source, current.entered_by = source, user
            current.version += 1
            current.updated_at = now
            updated.append(current)
    history_user = user if getattr(user, "is_authenticated", False) else _request_user()
    if created:
        created.sort(key=lambda m: m.indicator_id)  # the same order as the locks above
        _insert_rows(created)
        _copy_to_history(created, "+", history_user)
    if updated:
        _update_rows(updated)
        _copy_to_history(updated, "~", history_user)
    # Bulk writes send no model signals: tell the roll-up about them.
    for m in created + updated:
        measurement_changed(m.indicator_id, unit.pk, year)
    result.created += len(created)
    result.updated += len(updated)


_CHANGED_FIELDS = ["value", "comment", "source", "entered_by", "version", "updated_at"]


def _insert_rows(rows: list[Measurement]) -> None:
    """Insert new values of one unit and period in one statement, with their ids set."""
    Measurement.objects.bulk_create(rows)
    if rows[0].pk is None:  # a database that does not return ids from a bulk insert
        first = rows[0]
        ids = dict(
            Measurement.objects.filter(
                unit_id=first.unit_id,
                year=first.year,
                month=first.month,
                indicator_id__in=[m.indicator_id for m in rows],
            ).values_list("indicator_id", "pk")
        )
        for m in rows:
            m.pk = ids[m.indicator_id]


def _request_user():
    """The signed-in person of the request being served, as simple-history itself records for
    single saves (e.g. a Kolada sync started from its page saves with no user of its own)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _copy_to_history(rows: list[Measurement], kind: str, user) -> None:
    """Add django-simple-history's rows for values just written, copied inside the database.

    The same rows ``bulk_history_create`` would make (every field, the time, "+" created or
    "~" changed, and who), without building a history object per value in Python — for a large
    import that was most of its time.
    """
    # Every column of the history table but simple-history's own; extra history fields (e.g. an
    # IP address through ``HistoricalRecords(bases=…)``) would need a value here.
    history = Measurement.history.model
    ops = connection.ops
    copied = [f.column for f in history._meta.concrete_fields if not f.name.startswith("history_")]
    columns = ", ".join(ops.quote_name(c) for c in copied)
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    now = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    sql = (
        f"INSERT INTO {ops.quote_name(history._meta.db_table)} "  # noqa: S608 - names from the models
        f"({columns}, {', '.join(ops.quote_name(c) for c in extra)}) "
        f"SELECT {columns}, %s, NULL, %s, %s FROM {ops.quote_name(Measurement._meta.db_table)} "
        "WHERE id IN ({})"
    )
    user_id = user.pk if user is not None else None
    for start in range(0, len(rows), 500):  # well inside every database's parameter limit
        ids = [m.pk for m in rows[start : start + 500]]
        with connection.cursor() as cursor:
            cursor.execute(sql.format(", ".join(["%s"] * len(ids))), [now, kind, user_id, *ids])


def _update_rows(rows: list[Measurement]) -> None:
    """Write changed values with one prepared UPDATE run over all rows.

    Django's ``bulk_update`` builds a CASE expression per field and row; for thousands of values
    compiling it costs several times the write itself.
    """
    ops = connection.ops
    fields = [Measurement._meta.get_field(name) for name in _CHANGED_FIELDS]
    assignments = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in fields)
    sql = f"UPDATE {ops.quote_name(Measurement._meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608 - names from the model, values as parameters
    params = [
        [f.get_db_prep_save(getattr(m, f.attname), connection) for f in fields] + [m.pk]
        for m in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
