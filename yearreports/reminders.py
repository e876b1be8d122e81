"""Reminders to the writers of unfinished report sections, through the reminder mechanism of
follow-up (followup.reminders): the same recipients (reporters and editors of the unit, or of
its nearest unit above that has any) and the same mail path."""

import smtplib
from collections import defaultdict
from dataclasses import dataclass

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from followup.reminders import recipients_by_unit

from .models import Report, ReportSection, ReportState, SectionState


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    no_address: int = 0


def unfinished_by_unit(occasion) -> dict[int, list[ReportSection]]:
    rows = ReportSection.objects.filter(
        report__occasion=occasion,
        report__state=ReportState.WRITING,
        state=SectionState.DRAFT,
        hidden=False,
    ).select_related("report__unit", "report__template")
    found = defaultdict(list)
    for section in rows:
        found[section.report.unit_id].append(section)
    return found


def compose(user, sections: list[ReportSection], occasion) -> tuple[str, str]:
    subject = _("Påminnelse: rapportavsnitt att skriva till %(occasion)s") % {"occasion": occasion}
    lines = [
        _("Hej!"),
        "",
        _("Följande avsnitt är inte klarmarkerade ännu:"),
    ]
    for s in sections:
        due = s.report.due
        lines.append(
            f"- {s.report.unit.name}: {s.heading} ({_('sista dag')} {due:%Y-%m-%d}) "
            f"{reverse('yearreports:section_edit', args=[s.pk])}"
        )
    return subject, "\n".join(lines)


def send_section_reminders(occasion) -> Sent:
    by_unit = unfinished_by_unit(occasion)
    people = recipients_by_unit(by_unit.keys())
    per_user: dict[int, tuple[object, list]] = {}
    for unit_id, sections in by_unit.items():
        for user in people.get(unit_id, []):
            per_user.setdefault(user.pk, (user, []))[1].extend(sections)
    result = Sent()
    report_ids = {s.report_id for sections in by_unit.values() for s in sections}
    Report.objects.filter(pk__in=report_ids).update(reminded_at=timezone.now())
    for user, sections in per_user.values():
        if not user.email:
            result.no_address += 1
            continue
        subject, body = compose(user, sections, occasion)
        try:
            send_mail(subject, body, None, [user.email])
        except (smtplib.SMTPException, OSError):
            result.failed += 1
            continue
        result.sent += 1
    return result
