"""Values: the plan of an uploaded value sheet, its dry run and its writes."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from core.numbers import format_number
from followup.entry import RowInput, measurements_save
from followup.forecasts import forecasts_save
from followup.locking import locks_unchanged
from followup.models import FollowUpOccasion, Forecast, Measurement
from followup.rollup import batched_refresh
from scorecards.models import Indicator, Scorecard, Source

from .cells import (
    _check_meta,
    _column,
    _find_header,
    _int,
    _month_of,
    _no_header,
    _norm,
    _text,
    cell_number,
)
from .plan import (
    CHANGED,
    FORECAST,
    MONTHS,
    NEW,
    REMOVED,
    UNCHANGED,
    Change,
    Plan,
    RowError,
    _Rollback,
)
from .templates import _indicators, scorecard_metrics

# --- values ---------------------------------------------------------------------------------


def values_plan(card: Scorecard, rows: list[tuple[int, list]], *, user) -> Plan:
    """What the rows would change among the scorecard's actual values for its year."""
    plan = Plan(year=card.year)

    def is_header(names, cells):
        return ("id" in names or "kod" in names) and any(_month_of(c) for c in cells)

    at = _find_header(rows, is_header)
    if at is None:
        raise _no_header(_("id eller kod, och månaderna januari–december"))
    _check_meta(rows[:at], card, plan.errors, year=card.year)
    names = [_norm(c) for c in rows[at][1]]
    id_col, code_col = _column(names, "id"), _column(names, "kod")
    forecast_col = _column(names, "prognos")
    month_cols = {}
    for col, cell in enumerate(rows[at][1]):
        month = _month_of(cell)
        if month and col not in (id_col, code_col, forecast_col):
            month_cols.setdefault(month, col)
    forecasts = _Forecasts(card) if forecast_col is not None else None

    indicators = _indicators(scorecard_metrics(card))
    if forecasts is not None:
        forecasts.load(indicators)
    by_code = {ind.code.lower(): ind for ind in indicators.values()}
    stored = {
        (m.indicator_id, m.month): m
        for m in Measurement.objects.filter(
            unit=card.unit, year=card.year, indicator_id__in=indicators
        )
    }
    seen: dict[int, int] = {}
    for number, cells in rows[at + 1 :]:

        def get(col, cells=cells):
            return cells[col] if col is not None and col < len(cells) else None

        raw = {month: get(col) for month, col in month_cols.items()}
        texts = [get(id_col), get(code_col), get(forecast_col), *raw.values()]
        if not any(_text(v) for v in texts):
            continue
        indicator, problem = _resolve_indicator(get(id_col), get(code_col), indicators, by_code)
        if problem:
            plan.errors.append(RowError(number, _("Mätetal"), problem))
            continue
        if indicator.pk in seen:
            plan.errors.append(
                RowError(
                    number,
                    _("Mätetal"),
                    _("Mätetalet ”%(name)s” finns redan på rad %(row)s.")
                    % {"name": indicator.name, "row": seen[indicator.pk]},
                )
            )
            continue
        seen[indicator.pk] = number
        for month, cell in sorted(raw.items()):
            _plan_value(plan, number, indicator, month, cell, stored.get((indicator.pk, month)))
        if forecasts is not None and _text(get(forecast_col)):
            month = max((m for m, v in raw.items() if _text(v)), default=max(month_cols, default=0))
            forecasts.plan(plan, number, indicator, month, get(forecast_col))
    _dry_run_values(card, plan, user=user, allowed=indicators)
    return plan


def _resolve_indicator(id_cell, code_cell, indicators, by_code) -> tuple[Indicator | None, str]:
    pk, code = _int(id_cell), _text(code_cell)
    if _text(id_cell) and pk is None:
        return None, _("Id ”%(id)s” är inte ett heltal.") % {"id": _text(id_cell)}
    if pk is not None:
        indicator = indicators.get(pk)
        if indicator is None:
            return None, _(
                "Okänt mätetal (id %(id)s): det finns inte i styrkortet. Ladda ner en ny mall."
            ) % {"id": pk}
        if code and code.lower() != indicator.code.lower():
            return None, _(
                "Id %(id)s och kod ”%(code)s” pekar på olika mätetal. Ändra inte kolumnerna id och kod."
            ) % {"id": pk, "code": code}
        return indicator, ""
    if code:
        indicator = by_code.get(code.lower())
        if indicator is None:
            return None, _("Okänt mätetal (kod ”%(code)s”): det finns inte i styrkortet.") % {
                "code": code
            }
        return indicator, ""
    return None, _("Raden saknar id och kod, så den kan inte kopplas till ett mätetal.")


def _plan_value(
    plan: Plan, number: int, indicator: Indicator, month: int, cell, current, *, period: str = ""
) -> None:
    """The change of one cell; ``current`` is the stored Measurement (or, for a forecast cell
    with its ``period`` given, the stored Forecast)."""
    value, problem = cell_number(cell)
    kind = FORECAST if period else ""
    period = period or MONTHS[month - 1]
    if problem:
        plan.errors.append(RowError(number, period, problem))
        return
    old = current.value if current else None
    if old is None and value is None:
        return
    if old is None:
        action = NEW
    elif value is None:
        action = REMOVED
    else:
        action = UNCHANGED if old == value else CHANGED
    # Whether the indicator is due this month, like every other value rule, is
    # followup.entry.check_value's to say: the dry run through the write path reports it.
    plan.changes.append(
        Change(
            action=action,
            row=number,
            key=indicator.pk,
            name=indicator.name,
            period=period,
            month=month,
            old=None if old is None else str(old),
            new=None if value is None else str(value),
            old_text=_with_unit(indicator, old),
            new_text=_with_unit(indicator, value),
            version=current.version if current else 0,
            comment=current.comment if current else "",
            kind=kind,
        )
    )


class _Forecasts:
    """The optional "Prognos" column: a full-year forecast per row, written through
    ``followup.forecasts.forecasts_save`` at the occasion that ends in the row's month (the last
    month the row fills in, else the file's last month). An empty cell leaves it as it is."""

    def __init__(self, card: Scorecard):
        self.card = card
        self.occasions = {o.end_month: o for o in FollowUpOccasion.objects.filter(year=card.year)}
        self.stored: dict = {}

    def load(self, indicators) -> None:
        self.stored = {
            (f.indicator_id, f.month): f
            for f in Forecast.objects.filter(
                unit=self.card.unit, year=self.card.year, indicator_id__in=indicators
            )
        }

    def plan(self, plan: Plan, number: int, indicator: Indicator, month: int, cell) -> None:
        occasion = self.occasions.get(month)
        if occasion is None:
            plan.errors.append(
                RowError(
                    number,
                    _("Prognos"),
                    _(
                        "Ingen uppföljning %(year)s slutar i %(month)s, så prognosen kan inte "
                        "kopplas till något uppföljningstillfälle."
                    )
                    % {"year": self.card.year, "month": MONTHS[month - 1] if month else "–"},
                )
            )
            return
        period = _("Prognos helår, %(occasion)s") % {"occasion": occasion.name}
        current = self.stored.get((indicator.pk, month))
        _plan_value(plan, number, indicator, month, cell, current, period=period)


def _with_unit(indicator: Indicator, value: Decimal | None) -> str:
    if value is None:
        return "–"
    # Show every decimal the file has, at least the indicator's own number of them.
    decimals = max(indicator.decimals, -value.normalize().as_tuple().exponent, 0)
    text = format_number(value, decimals)
    return f"{text}\u00a0{indicator.unit}" if indicator.unit else text


def _save_values(card: Scorecard, changes: list[Change], *, user, allowed):
    """Write the changes month by month: values through ``measurements_save``, then forecasts.

    Returns (errors, counts, {(indicator id, month) of each change that failed}).
    """
    errors: list[RowError] = []
    failed: set[tuple] = set()
    counts = {"created": 0, "updated": 0, "deleted": 0}
    locks: dict = {}  # the year's locked months per unit, read once for all months
    for save, forecasts in ((measurements_save, False), (forecasts_save, True)):
        _save_by_month(
            card, changes, save, forecasts=forecasts, user=user, allowed=allowed, locks=locks,
            tally=(errors, failed, counts),
        )  # fmt: skip
    if not locks_unchanged(locks):  # an administrator locked a period while this was written
        errors.append(RowError(0, "", _("En period låstes medan värdena sparades. Försök igen.")))
        failed.update(c.ident for c in changes if c.action != UNCHANGED)
    return errors, counts, failed


def _tally(result, items: list[Change], errors: list, failed: set, counts: dict) -> None:
    for c in items:
        if c.key in result.errors:
            errors.append(RowError(c.row, c.period, result.errors[c.key]))
            failed.add(c.ident)
    counts["created"] += result.created
    counts["updated"] += result.updated
    counts["deleted"] += result.deleted


def _save_by_month(card: Scorecard, changes: list[Change], save, *, forecasts: bool, user,
                   allowed, locks, tally) -> None:  # fmt: skip
    """The values (``measurements_save``) or the "Prognos" cells (``forecasts_save``: the forecast
    page's and the API's write path), month by month, each with the comment stored with it and
    the version read at preview."""
    by_month: dict[int, list[Change]] = defaultdict(list)
    for change in changes:
        if change.action != UNCHANGED and (change.kind == FORECAST) == forecasts:
            by_month[change.month].append(change)
    for month, items in sorted(by_month.items()):
        result = save(
            unit=card.unit,
            year=card.year,
            month=month,
            inputs=[
                RowInput(c.key, c.new or "", comment=c.comment, version=c.version) for c in items
            ],
            user=user,
            source=Source.FILE,
            allowed=allowed,
            locks=locks,
        )
        _tally(result, items, *tally)


def _dry_run_values(card: Scorecard, plan: Plan, *, user, allowed) -> None:
    """Run the real write path and roll it back: the preview meets the confirm's errors."""
    try:
        with transaction.atomic(), batched_refresh():
            errors, _counts, failed = _save_values(card, plan.changes, user=user, allowed=allowed)
            raise _Rollback((errors, failed))
    except _Rollback as rollback:
        errors, failed = rollback.args[0]
        plan.errors.extend(errors)
        # A change that cannot be saved is listed as an error, not as a change.
        plan.changes = [c for c in plan.changes if c.ident not in failed]
