"""Targets: the plan of an uploaded target sheet and its writes through ``TargetForm``."""

import copy
from decimal import Decimal

from django.utils.translation import gettext as _

from scorecards.forms import TargetForm
from scorecards.models import Metric, Scorecard, Target

from .cells import _check_meta, _column, _find_header, _int, _no_header, _norm, _text, cell_number
from .plan import (
    CHANGED,
    COMPARATOR_INPUT,
    NEW,
    REMOVED,
    UNCHANGED,
    YEAR_MAX,
    YEAR_MIN,
    Change,
    Plan,
    RowError,
)
from .templates import scorecard_metrics

# --- targets --------------------------------------------------------------------------------


def _target_fields(target: Target | None) -> dict | None:
    if target is None:
        return None
    return {
        "comparator": target.comparator,
        "value": str(target.value),
        "value_high": None if target.value_high is None else str(target.value_high),
        "tolerance": str(target.tolerance),
    }


def _normalised(fields: dict | None) -> tuple | None:
    """Fields as comparable numbers: "160.0000" and "160" are the same target."""
    if fields is None:
        return None
    return tuple(
        Decimal(v) if k != "comparator" and v is not None else v for k, v in sorted(fields.items())
    )


def _target_form(metric: Metric, year: int, existing: Target | None, fields: dict) -> TargetForm:
    """The edit page's form with the file's numbers; the decision behind the target is kept."""
    data = {k: "" if v is None else v for k, v in fields.items()}
    if existing is not None:
        data |= {
            "decided_by": existing.decided_by,
            "decided_on": existing.decided_on.isoformat() if existing.decided_on else "",
            "paragraph": existing.paragraph,
            "diary_number": existing.diary_number,
        }
    return TargetForm(data, instance=existing or Target(metric=metric, year=year))


def _form_errors(form) -> str:
    return " ".join(str(message) for messages in form.errors.values() for message in messages)


def _target_label(metric: Metric, year: int, fields: dict | None) -> str:
    if fields is None:
        return _("inget målvärde")
    values = {k: None if v is None else Decimal(v) for k, v in fields.items() if k != "comparator"}
    return Target(metric=metric, year=year, comparator=fields["comparator"], **values).label


def targets_plan(card: Scorecard, rows: list[tuple[int, list]], *, year: int | None = None) -> Plan:
    """What the rows would change among the scorecard's targets of the file's year."""
    plan = Plan()

    def is_header(names, cells):
        return "id" in names and "jämförelse" in names

    at = _find_header(rows, is_header)
    if at is None:
        raise _no_header(_("id, jämförelse, målvärde, övre gräns, tolerans"))
    file_year = _check_meta(rows[:at], card, plan.errors, year=year)
    year = year or file_year or card.year
    plan.year = year
    if not YEAR_MIN <= year <= YEAR_MAX:
        plan.errors.append(
            RowError(0, _("År"), _("Året %(year)s är inte rimligt.") % {"year": year})
        )
        return plan
    names = [_norm(c) for c in rows[at][1]]
    cols = {
        "id": _column(names, "id"),
        "comparator": _column(names, "jämförelse"),
        "value": _column(names, "målvärde"),
        "value_high": _column(names, "övre gräns"),
        "tolerance": _column(names, "tolerans"),
    }
    metrics = {m.pk: m for m in scorecard_metrics(card)}
    current = {t.metric_id: t for t in Target.objects.filter(metric__in=metrics, year=year)}
    seen: dict[int, int] = {}
    for number, cells in rows[at + 1 :]:
        raw = {
            key: (cells[col] if col is not None and col < len(cells) else None)
            for key, col in cols.items()
        }
        if not any(_text(v) for v in raw.values()):
            continue
        pk = _int(raw["id"])
        metric = metrics.get(pk) if pk is not None else None
        if metric is None:
            message = (
                _("Okänt mätetal (id %(id)s): det finns inte i styrkortet. Ladda ner en ny mall.")
                % {"id": _text(raw["id"])}
                if _text(raw["id"])
                else _("Raden saknar id, så den kan inte kopplas till ett mätetal.")
            )
            plan.errors.append(RowError(number, "id", message))
            continue
        if pk in seen:
            plan.errors.append(
                RowError(
                    number,
                    _("Mätetal"),
                    _("Mätetalet ”%(name)s” på målet ”%(goal)s” finns redan på rad %(row)s.")
                    % {"name": metric.indicator.name, "goal": metric.goal.title, "row": seen[pk]},
                )
            )
            continue
        seen[pk] = number
        _plan_target(plan, number, metric, year, raw, current.get(pk))
    return plan


def _plan_target(plan: Plan, number: int, metric: Metric, year: int, raw: dict, existing) -> None:
    old = _target_fields(existing)
    errors_before = len(plan.errors)
    word = _norm(raw["comparator"])
    numbers = {}
    for key, label in (
        ("value", _("Målvärde")),
        ("value_high", _("Övre gräns")),
        ("tolerance", _("Tolerans")),
    ):
        value, problem = cell_number(raw[key])
        if problem:
            plan.errors.append(RowError(number, label, problem))
        numbers[key] = value
    if len(plan.errors) > errors_before:
        return
    if not word and all(v is None for v in numbers.values()):
        fields = None
    elif not word:
        plan.errors.append(
            RowError(
                number,
                _("Jämförelse"),
                _("Ange jämförelse: högst, minst, lika med eller intervall."),
            )
        )
        return
    elif word not in COMPARATOR_INPUT:
        plan.errors.append(
            RowError(
                number,
                _("Jämförelse"),
                _("Okänd jämförelse ”%(text)s”. Använd högst, minst, lika med eller intervall.")
                % {"text": _text(raw["comparator"])},
            )
        )
        return
    else:
        fields = {
            "comparator": COMPARATOR_INPUT[word],
            "value": None if numbers["value"] is None else str(numbers["value"]),
            "value_high": None if numbers["value_high"] is None else str(numbers["value_high"]),
            "tolerance": str(numbers["tolerance"] or Decimal(0)),
        }
        form = _target_form(metric, year, copy.copy(existing), fields)  # the plan changes nothing
        if not form.is_valid():
            plan.errors.append(RowError(number, _("Målvärde"), _form_errors(form)))
            return
    if old is None and fields is None:
        return
    if old is None:
        action = NEW
    elif fields is None:
        action = REMOVED
    else:
        action = UNCHANGED if _normalised(old) == _normalised(fields) else CHANGED
    plan.changes.append(
        Change(
            action=action,
            row=number,
            key=metric.pk,
            name=metric.indicator.name,
            period=metric.goal.title,
            old=old,
            new=fields,
            old_text=_target_label(metric, year, old),
            new_text=_target_label(metric, year, fields),
        )
    )


def _save_targets(card: Scorecard, year: int, changes: list[Change]) -> tuple[list, dict]:
    todo = [c for c in changes if c.action != UNCHANGED]
    metrics = {m.pk: m for m in scorecard_metrics(card)}
    current = {
        t.metric_id: t
        for t in Target.objects.select_for_update().filter(
            metric_id__in=[c.key for c in todo], year=year
        )
    }
    errors: list[RowError] = []
    counts = {"created": 0, "updated": 0, "deleted": 0}
    for change in todo:
        metric, existing = metrics.get(change.key), current.get(change.key)
        if metric is None or _normalised(_target_fields(existing)) != _normalised(change.old):
            errors.append(
                RowError(
                    change.row,
                    _("Målvärde"),
                    _("Målvärdet har ändrats av någon annan sedan filen lästes in. Ladda upp "
                      "filen igen."),
                )
            )  # fmt: skip
            continue
        if change.new is None:
            existing.delete()
            counts["deleted"] += 1
            continue
        form = _target_form(metric, year, existing, change.new)
        if not form.is_valid():
            errors.append(RowError(change.row, _("Målvärde"), _form_errors(form)))
            continue
        form.save()
        counts["created" if existing is None else "updated"] += 1
    return errors, counts
