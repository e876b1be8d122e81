"""The change history of goals, targets, measurements, assessments and scorecards.

Signed-in users who hold a role (reader or higher) on the object's unit, or on a unit above it,
see who changed what and when; administrators see everything. Others get 404, as if the object
did not exist. Each change is ``diff_against`` the record before it, shown as old → new.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation import access
from scorecards.models import ChangeAfterAdoption, Goal, Indicator, Metric, Scorecard, Target

from .models import Assessment, Measurement
from .status import Status

# Fields whose change only echoes that a record was saved.
IGNORED_FIELDS = {"version"}
# What ``str()`` of a related object reads, so naming it costs no extra query.
STR_NEEDS = {Metric: ["indicator"], Scorecard: ["unit"], Goal: [], Target: ["metric__indicator"]}


@dataclass(frozen=True)
class Kind:
    label: str
    model: type[models.Model]
    related: tuple[str, ...]
    unit: Callable
    scorecard: Callable = lambda obj: None
    indicator: Callable[..., Indicator | None] = lambda obj: None


KINDS = {
    "goal": Kind(
        gettext_lazy("Mål"),
        Goal,
        ("scorecard__unit",),
        unit=lambda o: o.scorecard.unit,
        scorecard=lambda o: o.scorecard,
    ),
    "target": Kind(
        gettext_lazy("Målvärde"),
        Target,
        ("metric__goal__scorecard__unit", "metric__indicator"),
        unit=lambda o: o.metric.goal.scorecard.unit,
        scorecard=lambda o: o.metric.goal.scorecard,
        indicator=lambda o: o.metric.indicator,
    ),
    "measurement": Kind(
        gettext_lazy("Utfall"),
        Measurement,
        ("unit", "indicator"),
        unit=lambda o: o.unit,
        indicator=lambda o: o.indicator,
    ),
    "assessment": Kind(
        gettext_lazy("Bedömning"),
        Assessment,
        ("goal__scorecard__unit", "occasion"),
        unit=lambda o: o.goal.scorecard.unit,
        scorecard=lambda o: o.goal.scorecard,
    ),
    "scorecard": Kind(
        gettext_lazy("Styrkort"),
        Scorecard,
        ("unit", "programme"),
        unit=lambda o: o.unit,
        scorecard=lambda o: o,
    ),
}
TYPE_LABELS = {
    "+": gettext_lazy("Skapad"),
    "~": gettext_lazy("Ändrad"),
    "-": gettext_lazy("Borttagen"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    record: models.Model
    action: str
    who: str
    changes: list[Change] = field(default_factory=list)


@login_required
def object_history(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404
    obj = get_object_or_404(spec.model.objects.select_related(*spec.related), pk=pk)
    access.require_visible(access.may_read_history(request.user, spec.unit(obj)))
    records = list(
        obj.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entries = _entries(records, spec.model, spec.indicator(obj))
    context = {
        "obj": obj,
        "kind": kind,
        "kind_label": spec.label,
        "unit": spec.unit(obj),
        "card": spec.scorecard(obj),
        "entries": entries[::-1],
        "marks": _changes_after_adoption(kind, obj),
    }
    return render(request, "followup/object_history.html", context)


def _changes_after_adoption(kind: str, obj) -> list[ChangeAfterAdoption]:
    """The "ändrat efter beslut" marks of a goal (and what hangs on it), a target or a
    scorecard, newest first."""
    marks = ChangeAfterAdoption.objects.select_related("by")
    if kind == "goal":
        return list(marks.filter(goal=obj))
    if kind == "target":
        return list(marks.filter(kind="target", object_id=obj.pk))
    if kind == "scorecard":
        return list(marks.filter(scorecard=obj))
    return []


def _entries(records, model, indicator: Indicator | None) -> list[Entry]:
    """One entry per record, oldest first, each with the fields that changed since the one before."""
    fields = {f.name: f for f in model._meta.concrete_fields if f.editable}
    fields = {name: f for name, f in fields.items() if name not in IGNORED_FIELDS and name != "id"}
    raw: list[tuple[Entry, list[tuple[models.Field, object, object]]]] = []
    previous = None
    for record in records:
        entry = Entry(record, str(TYPE_LABELS.get(record.history_type, "")), _who(record))
        if previous is None:
            values = [(fields[n], None, getattr(record, fields[n].attname)) for n in fields]
            changed = [(f, old, new) for f, old, new in values if new not in (None, "")]
        else:
            delta = record.diff_against(previous, included_fields=list(fields))
            changed = [(fields[c.field], c.old, c.new) for c in delta.changes]
        raw.append((entry, changed))
        previous = record
    names = _related_names(c for _entry, changed in raw for c in changed)
    for entry, changed in raw:
        entry.changes = [
            Change(
                str(f.verbose_name).capitalize(),
                _display(f, old, names, indicator),
                _display(f, new, names, indicator),
            )
            for f, old, new in changed
        ]
    return [entry for entry, _changed in raw]


def _related_names(changes) -> dict[tuple[type, object], str]:
    """The names of every related object in ``changes``: one query per related model."""
    wanted: dict[type, set] = defaultdict(set)
    for f, old, new in changes:
        if f.is_relation:
            wanted[f.related_model].update(v for v in (old, new) if v is not None)
    names = {}
    for related, ids in wanted.items():
        related_fields = STR_NEEDS.get(related, [])
        for pk, obj in (
            related._default_manager.select_related(*related_fields).in_bulk(ids).items()
        ):
            names[(related, pk)] = _user_name(obj) if related is get_user_model() else str(obj)
    return names


def _display(f: models.Field, value, names, indicator: Indicator | None) -> str:
    if value is None or value == "":
        return "–"
    if f.is_relation:
        return names.get((f.related_model, value), _("borttagen (id %(pk)s)") % {"pk": value})
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.model is Assessment and f.name in ("status", "suggested"):
        return Status(value).label if value in set(Status) else str(value)
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, Decimal):
        if indicator is not None and f.name in ("value", "value_high", "tolerance"):
            return indicator.format(value)
        return format(value.normalize(), "f").replace(".", ",")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _who(record) -> str:
    if record.history_user is None:
        return _("Okänd (system eller import)")
    return _user_name(record.history_user)


def _user_name(user) -> str:
    return user.get_full_name() or user.get_username()
