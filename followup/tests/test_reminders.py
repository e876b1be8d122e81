"""Reminders: the right people get one Swedish e-mail listing the values still missing, and
nobody is reminded about locked occasions, complete scorecards or values nobody enters."""

import smtplib
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.testing import make_indicator, make_metric
from core.tests.test_jobs import DB_QUEUE, run_worker
from followup.models import FollowUpOccasion, Measurement, ReminderSent
from followup.reminders import gaps_for, send_reminders
from followup.tasks import send_reminders_task
from organisation.models import Role, RoleAssignment
from scorecards.models import Frequency, ScorecardStatus, Source


@pytest.fixture
def setup(world, chain):
    """Tertial 1 2026 closes in three days; Miljöförvaltningen lacks its April value."""
    for user in (world.admin, world.editor, world.reporter, world.reader):
        user.email = f"{user.username}@example.se"
        user.save()
    occasion = FollowUpOccasion.objects.create(
        year=2026,
        kind="tertial",
        name="Tertial 1",
        end_month=4,
        deadline=date.today() + timedelta(days=3),
    )
    waste = make_indicator("Avfall per invånare", unit="kg", frequency=Frequency.MONTHLY)
    make_metric(chain.mid, waste)
    for month in (1, 2, 3):
        Measurement.objects.create(
            indicator=waste, unit=world.unit_a, year=2026, month=month, value=10
        )
    return type("Setup", (), dict(world=world, chain=chain, occasion=occasion, waste=waste))


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_reporters_and_editors_of_the_unit_get_one_email_each(setup):
    run()
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.se", "reporter@example.se"]


def test_the_email_lists_the_missing_period_and_the_deadline_in_swedish(setup):
    run()
    body = mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("Påminnelse: rapportera till Tertial 1 2026")
    assert "Styrkort 2026 – Miljöförvaltningen" in body
    assert "Avfall per invånare: april 2026" in body
    assert "mars 2026" not in body
    assert "(om 3 dagar)" in body


def test_nobody_is_reminded_for_a_locked_occasion(setup):
    setup.occasion.locked_at = timezone.now()
    setup.occasion.save()
    run()
    assert mail.outbox == []


def test_nobody_is_reminded_when_the_scorecard_is_complete(setup):
    Measurement.objects.create(
        indicator=setup.waste, unit=setup.world.unit_a, year=2026, month=4, value=10
    )
    run()
    assert mail.outbox == []


def test_a_deadline_beyond_the_window_waits_until_it_is_near(setup):
    setup.occasion.deadline = date.today() + timedelta(days=10)
    setup.occasion.save()
    run()
    assert mail.outbox == []
    run("--days", "14")
    assert len(mail.outbox) == 2


def test_a_passed_deadline_is_not_reminded(setup):
    setup.occasion.deadline = date.today() - timedelta(days=1)
    setup.occasion.save()
    run()
    assert mail.outbox == []


def test_draft_scorecards_are_not_reminded(setup):
    card = setup.chain.mid.scorecard
    card.status = ScorecardStatus.DRAFT
    card.save()
    run()
    assert mail.outbox == []


def test_kolada_values_are_not_asked_for(setup):
    setup.waste.source = Source.KOLADA
    setup.waste.kolada_kpi = "N00000"
    setup.waste.save()
    run()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("frequency", "end_month", "missing"),
    [
        (Frequency.MONTHLY, 2, ["januari 2026", "februari 2026"]),
        (Frequency.TERTIAL, 8, ["T1 2026", "T2 2026"]),
        (Frequency.YEARLY, 8, []),
        (Frequency.YEARLY, 12, ["2026"]),
    ],
)
def test_due_periods_follow_the_indicator_frequency(world, chain, frequency, end_month, missing):
    indicator = make_indicator("Nytt mätetal", frequency=frequency)
    make_metric(chain.low, indicator)
    occasion = FollowUpOccasion(year=2026, end_month=end_month, deadline=date.today())
    gaps = [g for g in gaps_for(occasion) if g.scorecard == chain.low.scorecard]
    found = [m.periods for g in gaps for m in g.missing if m.name == "Nytt mätetal"]
    assert found == ([missing] if missing else [])


def test_a_unit_without_own_reporters_reminds_the_nearest_unit_above(setup):
    indicator = make_indicator("Energi i lokaler", frequency=Frequency.MONTHLY)
    make_metric(setup.chain.low, indicator)  # Energienheten has no roles of its own
    run()
    to_editor = next(m for m in mail.outbox if m.to == ["editor@example.se"])
    assert "Styrkort 2026 – Energienheten" in to_editor.body
    assert "Styrkort 2026 – Miljöförvaltningen" in to_editor.body  # both in one e-mail
    assert len(mail.outbox) == 2


def test_own_reporters_are_reminded_instead_of_those_above(setup, django_user_model):
    indicator = make_indicator("Energi i lokaler", frequency=Frequency.MONTHLY)
    make_metric(setup.chain.low, indicator)
    own = django_user_model.objects.create_user("own", email="own@example.se")
    RoleAssignment.objects.create(user=own, unit=setup.world.unit_a1, role=Role.REPORTER)
    run()
    to_own = next(m for m in mail.outbox if m.to == ["own@example.se"])
    assert "Energienheten" in to_own.body
    assert "Miljöförvaltningen" not in to_own.body
    to_editor = next(m for m in mail.outbox if m.to == ["editor@example.se"])
    assert "Energienheten" not in to_editor.body


def test_readers_and_admins_are_not_reminded(setup):
    run()
    sent_to = {m.to[0] for m in mail.outbox}
    assert "reader@example.se" not in sent_to
    assert "admin@example.se" not in sent_to


def test_users_without_an_email_address_are_skipped_and_counted(setup):
    setup.world.reporter.email = ""
    setup.world.reporter.save()
    out = run()
    assert [m.to for m in mail.outbox] == [["editor@example.se"]]
    assert "Mottagare utan e-postadress (hoppades över): 1 (reporter)" in out


def test_dry_run_prints_the_emails_and_sends_nothing(setup):
    out = run("--dry-run")
    assert mail.outbox == []
    assert "Till: editor@example.se" in out
    assert "Avfall per invånare: april 2026" in out
    assert "Torrkörning" in out


def test_summary_counts_occasions_scorecards_and_emails(setup):
    out = run()
    assert "Uppföljningstillfällen med sista dag inom 7 dagar: 1" in out
    assert "Styrkort med saknade utfall: 1" in out
    assert "Skickad e-post: 2" in out


# Run once: every e-mail sent is recorded, and a run again the same day skips those people.


class RefusingBackend(locmem.EmailBackend):
    """The test mailbox, except that the mail server refuses addresses in ``refused``."""

    refused: set[str] = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({a: (550, b"no") for a in message.to})
        return super().send_messages(messages)


def test_a_second_run_the_same_day_sends_nothing_again(setup):
    run()
    assert len(mail.outbox) == 2
    out = run()
    assert len(mail.outbox) == 2
    assert "Skickad e-post: 0" in out
    assert "Redan skickade i dag (hoppades över): 2" in out
    assert ReminderSent.objects.count() == 2


def test_the_next_day_reminds_again(setup):
    send_reminders(today=date.today(), write=lambda line: None)
    send_reminders(today=date.today() + timedelta(days=1), write=lambda line: None)
    assert len(mail.outbox) == 4


def test_a_dry_run_records_nothing(setup):
    run("--dry-run")
    run()
    assert len(mail.outbox) == 2


@override_settings(EMAIL_BACKEND="followup.tests.test_reminders.RefusingBackend", TASKS=DB_QUEUE)
def test_a_partly_failed_job_is_retried_and_the_retry_sends_only_the_rest(setup):
    RefusingBackend.refused = {"reporter@example.se"}
    send_reminders_task.enqueue()
    run_worker()
    first, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert first.status == TaskResultStatus.FAILED
    assert "1 av 2 påminnelser kunde inte skickas" in first.traceback
    assert [m.to for m in mail.outbox] == [["editor@example.se"]]

    RefusingBackend.refused = set()  # the mail server takes everything again
    DBTaskResult.objects.update(run_after=timezone.now())  # the retry's time has come
    run_worker()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL
    assert (retry.return_value["sent"], retry.return_value["already_sent"]) == (1, 1)
    assert [m.to for m in mail.outbox] == [["editor@example.se"], ["reporter@example.se"]]
