"""Reminders: the right people get one Swedish e-mail listing the values still missing, and
nobody is reminded about locked occasions, complete scorecards or values nobody enters."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.testing import make_indicator, make_metric
from followup.models import FollowUpOccasion, Measurement
from followup.reminders import gaps_for
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
