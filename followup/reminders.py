"""Reminders before a follow-up occasion's deadline: one e-mail per person listing missing values.

The rules, in order:

* Occasions: not locked, with a deadline from today up to ``days`` days ahead.
* Scorecards: every adopted (not draft) scorecard of the occasion's year.
* Due periods of a metric: the months 1…``end_month`` in which its indicator expects a value
  (``Indicator.due_in``: monthly every month, tertial April/August/December, yearly December —
  so a yearly value is only due at an occasion that ends in December).
* Only values that people enter are asked for: Kolada indicators are synced and aggregated
  indicators are computed from the units below, so neither is reminded about.
* Missing: no measurement for (indicator, the scorecard's unit, year, month).
* Recipients: active users with the reporter or editor role assigned on the scorecard's own unit;
  if nobody there has one, those on the nearest unit above that has any. Roles are inherited
  down the tree, but reminding everyone above would flood the people highest up, so only the
  nearest level is asked. Administrators are not reminded as such.
* Each person gets one e-mail per occasion covering all of their scorecards. People without an
  e-mail address are skipped and counted, so an administrator can fix their profile.
* At most one a day: each e-mail sent is recorded (``ReminderSent``, per person, occasion and
  day) as soon as the mail server took it, and a run the same day skips those people. So a job
  run again after its worker was killed half-way sends only what the first run had not.
"""

import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.site import site_settings
from organisation.models import OrgUnit, Role, RoleAssignment
from scorecards.models import (
    Aggregation,
    Frequency,
    Indicator,
    Metric,
    Scorecard,
    ScorecardStatus,
    Source,
)

from .charts import PERIOD_MONTHS, period_label
from .models import FollowUpOccasion, Measurement, ReminderSent

logger = logging.getLogger(__name__)
REMINDED_ROLES = (Role.REPORTER, Role.EDITOR)


@dataclass
class MissingMetric:
    name: str
    periods: list[str]


@dataclass
class Gap:
    """A scorecard with metrics that still lack values for the occasion."""

    scorecard: Scorecard
    missing: list[MissingMetric]


@dataclass
class Missing:
    """Something else a unit has still to report at the occasion (an assignment's status...)."""

    unit_id: int
    heading: str
    lines: list[str]
    path: str = ""  # the page to report it on


# Features above follow-up (assignments, internal control) register here, in their app's
# ready(), a function ``occasion -> list[Missing]``; their reporters are reminded in the same
# e-mail as about the values.
MISSING_SOURCES: list[Callable[[FollowUpOccasion], list[Missing]]] = []


@dataclass
class Reminder:
    occasion: FollowUpOccasion
    user: object
    gaps: list[Gap]
    subject: str = ""
    body: str = ""
    missing: list[Missing] = field(default_factory=list)


@dataclass
class Summary:
    occasions: int = 0
    scorecards: int = 0
    reminders: int = 0
    sent: int = 0
    failed: int = 0
    already_sent: int = 0
    without_email: set[str] = field(default_factory=set)
    without_recipient: list[str] = field(default_factory=list)


def occasions_due(*, today: date, days: int):
    return FollowUpOccasion.objects.filter(
        locked_at__isnull=True, deadline__gte=today, deadline__lte=today + timedelta(days=days)
    ).order_by("deadline", "pk")


@dataclass
class DueValue:
    """One indicator of a scorecard at a point: the months a value is due and those missing.
    Plain ids and names: a large city has tens of thousands of these, and model objects for each
    would cost seconds."""

    scorecard_id: int
    unit_id: int
    indicator_id: int
    indicator_name: str
    frequency: str
    due: list[int]
    missing: list[int]


def _metrics_due(year: int, scorecards=None):
    """The metrics whose values people enter on the year's adopted scorecards (the module
    docstring's rules); ``values_due`` and ``due_counts`` both start here."""
    metrics = (
        Metric.objects.filter(goal__scorecard__year=year)
        .exclude(goal__scorecard__status=ScorecardStatus.DRAFT)
        .exclude(indicator__source=Source.KOLADA)
        .exclude(indicator__aggregation__in=[a for a in Aggregation if a != Aggregation.NONE])
    )
    if scorecards is not None:
        metrics = metrics.filter(goal__scorecard__in=scorecards)
    return metrics


def due_months(frequency: str, end_month: int) -> list[int]:
    """The months 1…``end_month`` in which an indicator of ``frequency`` expects a value."""
    return [m for m in range(1, end_month + 1) if Indicator(frequency=frequency).due_in(m)]


def values_due(*, year: int, end_month: int, scorecards=None) -> list[DueValue]:
    """Each (scorecard, indicator) people enter values for, with its due and missing months
    1…``end_month`` of ``year``, by the rules in the module docstring; two queries. ``scorecards``
    (a queryset or ids) narrows it. Reminders, the occasion's progress and "Att göra" all count
    what is due here, so they always agree."""
    metrics = _metrics_due(year, scorecards).order_by(
        "goal__scorecard__unit__name", "goal__perspective__order", "goal__order", "order"
    )
    rows = list(
        metrics.values_list(
            "goal__scorecard_id",
            "goal__scorecard__unit_id",
            "indicator_id",
            "indicator__name",
            "indicator__frequency",
        )
    )
    present = set(
        Measurement.objects.filter(
            year=year,
            month__lte=end_month,
            unit__in={row[1] for row in rows},
            indicator__in={row[2] for row in rows},
        ).values_list("indicator_id", "unit_id", "month")
    )
    due_by_frequency = {f: due_months(f, end_month) for f in {row[4] for row in rows}}
    found: list[DueValue] = []
    seen: set[tuple[int, int]] = set()
    for card_id, unit_id, indicator_id, name, frequency in rows:
        if (card_id, indicator_id) in seen:  # the same indicator on two goals: ask once
            continue
        seen.add((card_id, indicator_id))
        due = due_by_frequency[frequency]
        missing = [m for m in due if (indicator_id, unit_id, m) not in present]
        found.append(DueValue(card_id, unit_id, indicator_id, name, frequency, due, missing))
    return found


def due_counts(*, year: int, end_month: int, scorecards=None) -> dict[int, tuple[int, int]]:
    """{scorecard id: (values due, values entered)}: what ``values_due`` gives summed per
    scorecard, counted in SQL (two grouped queries). The occasion's progress table needs only
    the sums, and at a thousand units the per-month lists cost most of a second."""
    frequencies = {f.value: due_months(f, end_month) for f in Frequency}
    metrics = _metrics_due(year, scorecards)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    # An indicator on two goals of a scorecard is due once: distinct indicators.
    for card_id, frequency, n in (
        metrics.values_list("goal__scorecard_id", "indicator__frequency")
        .annotate(n=Count("indicator", distinct=True))
        .order_by()
    ):
        counts[card_id][0] += n * len(frequencies[frequency])
    # One join: a value of the metric's indicator, for the scorecard's unit, in a due month.
    in_due_month = Q()
    for frequency, months in frequencies.items():
        if not months:  # a yearly value before December
            continue
        in_due_month |= Q(indicator__frequency=frequency, indicator__measurements__month__in=months)
    entered = (
        metrics.filter(
            in_due_month,
            indicator__measurements__year=year,
            indicator__measurements__unit=F("goal__scorecard__unit"),
        )
        .values_list("goal__scorecard_id")
        .annotate(n=Count("indicator__measurements", distinct=True))
        .order_by()
    )
    for card_id, n in entered:
        counts[card_id][1] += n
    return {card_id: (due, done) for card_id, (due, done) in counts.items()}


def gaps_for(occasion: FollowUpOccasion, scorecards=None) -> list[Gap]:
    """Each scorecard of the occasion's year whose metrics lack a value for a due period."""
    lacking = [
        item
        for item in values_due(
            year=occasion.year, end_month=occasion.end_month, scorecards=scorecards
        )
        if item.missing
    ]
    cards = Scorecard.objects.select_related("unit").in_bulk({i.scorecard_id for i in lacking})
    gaps: dict[int, Gap] = {}
    for item in lacking:
        length = PERIOD_MONTHS.get(item.frequency, 12)
        periods = [period_label(occasion.year, m, length) for m in item.missing]
        gaps.setdefault(item.scorecard_id, Gap(cards[item.scorecard_id], [])).missing.append(
            MissingMetric(item.indicator_name, periods)
        )
    return list(gaps.values())


def recipients_by_unit(unit_ids) -> dict[int, list]:
    """{unit id: users to remind}: reporters and editors of the unit or its nearest such ancestor."""
    units = list(OrgUnit.objects.with_tree_fields().filter(pk__in=unit_ids))
    on_path = {pk for unit in units for pk in unit.tree_path}
    by_unit: dict[int, dict[int, object]] = defaultdict(dict)
    for ra in RoleAssignment.objects.filter(
        unit__in=on_path, role__in=REMINDED_ROLES, user__is_active=True
    ).select_related("user"):
        by_unit[ra.unit_id][ra.user_id] = ra.user
    result = {}
    for unit in units:
        nearest = next((by_unit[pk] for pk in reversed(unit.tree_path) if by_unit.get(pk)), {})
        result[unit.pk] = list(nearest.values())
    return result


def reminders_for(
    occasion: FollowUpOccasion, *, today: date, summary: Summary, scorecards=None
) -> list[Reminder]:
    gaps = gaps_for(occasion, scorecards)
    summary.scorecards += len(gaps)
    recipients = recipients_by_unit({g.scorecard.unit_id for g in gaps})
    per_user: dict[int, Reminder] = {}
    for gap in gaps:
        users = recipients.get(gap.scorecard.unit_id, [])
        if not users:
            summary.without_recipient.append(str(gap.scorecard))
        for user in users:
            per_user.setdefault(user.pk, Reminder(occasion, user, [])).gaps.append(gap)
    others = [item for source in MISSING_SOURCES for item in source(occasion)]
    other_recipients = recipients_by_unit({item.unit_id for item in others})
    for item in others:
        for user in other_recipients.get(item.unit_id, []):
            per_user.setdefault(user.pk, Reminder(occasion, user, [])).missing.append(item)
    reminders = []
    for reminder in per_user.values():
        if not reminder.user.email:
            summary.without_email.add(reminder.user.get_username())
            continue
        reminder.subject, reminder.body = compose(reminder, today=today)
        reminders.append(reminder)
    return reminders


def compose(reminder: Reminder, *, today: date) -> tuple[str, str]:
    """Subject and body, in Swedish whatever language the command runs in."""
    occasion = reminder.occasion
    with translation.override("sv"):
        deadline = date_format(occasion.deadline, "j F Y")
        days_left = (occasion.deadline - today).days
        when = {0: _("i dag"), 1: _("i morgon")}.get(
            days_left, _("om %(days)s dagar") % {"days": days_left}
        )
        if days_left < 0:  # sent by hand from the occasion's page to those who are late
            when = _("för %(days)s dagar sedan") % {"days": -days_left}
        subject = _("Påminnelse: rapportera till %(occasion)s senast %(deadline)s") % {
            "occasion": occasion,
            "deadline": deadline,
        }
        site = getattr(settings, "SITE_URL", "").rstrip("/")
        lines = [
            _("Hej %(name)s,") % {"name": reminder.user.get_full_name() or reminder.user},
            "",
            _(
                "Sista dag för att rapportera till %(occasion)s är %(deadline)s (%(when)s). "
                "Följande mätetal saknar utfall:"
            )
            % {"occasion": occasion, "deadline": deadline, "when": when},
        ]
        for gap in reminder.gaps:
            lines += [
                "",
                _("Styrkort %(year)s – %(unit)s")
                % {"year": gap.scorecard.year, "unit": gap.scorecard.unit.name},
            ]
            lines += [f"  • {m.name}: {', '.join(m.periods)}" for m in gap.missing]
            if site:
                lines.append("  " + site + reverse("scorecard_detail", args=[gap.scorecard.pk]))
        for item in reminder.missing:
            lines += ["", item.heading] + [f"  • {line}" for line in item.lines]
            if site and item.path:
                lines.append("  " + site + item.path)
        lines += [
            "",
            _("Det här meddelandet skickas automatiskt från Styrkort – %(city)s.")
            % {"city": site_settings().name},
        ]
    return subject, "\n".join(lines)


def send_reminders(
    *, days: int = 7, today: date | None = None, dry_run: bool = False, write: Callable = print
) -> Summary:
    """Find and send (or, with ``dry_run``, only ``write``) every reminder that is due."""
    today = today or timezone.localdate()
    summary = Summary()
    _record_unrecorded()
    for occasion in occasions_due(today=today, days=days):
        _remind_for(occasion, today=today, summary=summary, dry_run=dry_run, write=write)
    return summary


def send_occasion_reminders(
    occasion: FollowUpOccasion, *, scorecards=None, today: date | None = None
) -> Summary:
    """Remind the people of ``scorecards`` (all of the occasion's when None) who still lack
    values for ``occasion``, whatever its deadline: an administrator's button on the occasion's
    page for those who are late. The same rules and the same once-a-day record as the daily job."""
    today = today or timezone.localdate()
    summary = Summary()
    _record_unrecorded()
    if not occasion.is_locked:
        _remind_for(occasion, today=today, summary=summary, scorecards=scorecards)
    return summary


def _remind_for(occasion, *, today, summary, dry_run=False, write=print, scorecards=None):
    summary.occasions += 1
    done = set(
        ReminderSent.objects.filter(occasion=occasion, day=today).values_list("user_id", flat=True)
    )
    for reminder in reminders_for(occasion, today=today, summary=summary, scorecards=scorecards):
        summary.reminders += 1
        if dry_run:
            write(f"Till: {reminder.user.email}\nÄmne: {reminder.subject}\n\n{reminder.body}\n")
        elif reminder.user.pk in done:
            summary.already_sent += 1
        else:
            _send(reminder, today=today, summary=summary)


def _send(reminder: Reminder, *, today: date, summary: Summary) -> None:
    try:
        send_mail(reminder.subject, reminder.body, None, [reminder.user.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Reminder to %s failed", reminder.user.email)
        summary.failed += 1
        return
    summary.sent += 1
    # Recorded at once, in its own statement: a kill after this line cannot send it again.
    # (Between the mail server's answer and this insert a kill can still repeat one e-mail.)
    key = (reminder.occasion.pk, reminder.user.pk, today)
    try:
        ReminderSent.objects.get_or_create(occasion_id=key[0], user_id=key[1], day=today)
    except DatabaseError:
        _unrecorded.add(key)  # the database went away just now; the job fails and runs again
        raise


# E-mails the mail server took whose record could not be written because the database had gone
# away: this process (the worker, which waits for the database) writes them when the job runs
# again, before it looks for what is still unsent, so they do not go out twice.
_unrecorded: set[tuple[int, int, date]] = set()


def _record_unrecorded() -> None:
    for occasion_id, user_id, day in sorted(_unrecorded):
        ReminderSent.objects.get_or_create(occasion_id=occasion_id, user_id=user_id, day=day)
        _unrecorded.discard((occasion_id, user_id, day))
