"""Reminders to the writers of unfinished sections: the follow-up reminders' recipients."""

from io import StringIO

from django.core import mail
from django.core.management import call_command

from yearreports import workflow
from yearreports.reminders import send_section_reminders
from yearreports.testing import make_report


def _addresses(world):
    for user in (world.editor, world.reporter):
        user.email = f"{user.username}@example.org"
        user.save()


def test_writers_of_unfinished_sections_are_reminded_once_each(world):
    _addresses(world)
    report = make_report(world.unit_a)
    first = report.sections.order_by("order").first()
    workflow.write(first, world.reporter, text="<p>Klar</p>", version=None)
    workflow.mark_ready(first, world.reporter)
    sent = send_section_reminders(report.occasion)
    to = sorted(address for message in mail.outbox for address in message.to)
    assert to == sorted([world.editor.email, world.reporter.email]) and sent.sent == 2
    body = mail.outbox[0].body
    assert "Måluppfyllelse" in body and "Årets viktigaste händelser" not in body
    report.refresh_from_db()
    assert report.reminded_at is not None


def test_the_command_reminds_before_the_deadline(world):
    _addresses(world)
    make_report(world.unit_a)
    out = StringIO()
    call_command("send_report_reminders", "--days", "10000", stdout=out)
    assert "Skickad e-post: 2" in out.getvalue()
