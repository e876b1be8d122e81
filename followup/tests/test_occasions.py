"""Follow-up occasions: the list, creating a year's defaults, locking and reopening with a log."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from core.testing import make_goal, make_scorecard
from followup.assessments import occasion_create_defaults
from followup.models import Assessment, FollowUpOccasion, OccasionKind, OccasionLog


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026,
        kind=OccasionKind.TERTIAL,
        name="Tertialrapport T1",
        end_month=4,
        deadline=date(2026, 5, 15),
    )


def create_url(year=2026):
    return reverse("occasion_create_defaults", args=[year])


def test_the_list_needs_a_sign_in(client, db):
    response = client.get(reverse("occasion_list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_list_shows_occasions_with_deadline_and_state(client, world, occasion):
    client.force_login(world.reader)
    text = client.get(reverse("occasion_list")).content.decode()
    assert "Tertialrapport T1" in text
    assert "2026-05-15" in text
    assert "Öppet" in text


def test_admin_creates_the_three_default_occasions(client, world):
    client.force_login(world.admin)
    response = client.post(create_url())
    assert response.status_code == 302
    occasions = FollowUpOccasion.objects.filter(year=2026)
    assert [(o.name, o.end_month) for o in occasions] == [
        ("Tertialrapport T1", 4),
        ("Delårsrapport", 8),
        ("Årsredovisning", 12),
    ]
    assert occasions.last().deadline == date(2027, 2, 15)


def test_creating_defaults_twice_creates_nothing_more(client, world):
    client.force_login(world.admin)
    client.post(create_url())
    client.post(create_url())
    assert FollowUpOccasion.objects.filter(year=2026).count() == 3


def test_deadlines_come_from_the_form(client, world):
    client.force_login(world.admin)
    client.post(create_url(), {"deadline_8": "2026-09-01"})
    assert FollowUpOccasion.objects.get(year=2026, end_month=8).deadline == date(2026, 9, 1)


def test_a_locked_occasions_deadline_is_left_alone(world, occasion):
    occasion.locked_at = timezone.now()
    occasion.save()
    created, changed = occasion_create_defaults(year=2026, deadlines={4: date(2026, 6, 1)})
    assert (created, changed) == (2, 0)
    occasion.refresh_from_db()
    assert occasion.deadline == date(2026, 5, 15)


def test_the_defaults_form_shows_labelled_deadlines(client, world):
    client.force_login(world.admin)
    text = client.get(create_url()).content.decode()
    assert '<label for="id_deadline_4"' in text
    assert "2026-05-15" in text


def test_only_admins_create_occasions(client, world):
    client.force_login(world.editor)
    assert client.post(create_url()).status_code == 403
    assert not FollowUpOccasion.objects.exists()


def test_admin_locks_an_occasion_and_the_log_says_who(client, world, occasion):
    client.force_login(world.admin)
    response = client.post(reverse("occasion_lock", args=[occasion.pk]))
    assert response.status_code == 302
    occasion.refresh_from_db()
    assert occasion.is_locked
    assert occasion.locked_by == world.admin
    text = client.get(reverse("occasion_detail", args=[occasion.pk])).content.decode()
    assert "Låst" in text
    assert "av admin" in text


def test_locking_asks_first_and_says_what_is_locked_and_missing(client, world, occasion):
    card = make_scorecard(world.unit_a, year=occasion.year)
    done, _ = make_goal(card, "Bedömt"), make_goal(card, "Obedömt")
    make_goal(make_scorecard(world.unit_b, year=occasion.year), "Också obedömt")
    Assessment.objects.create(goal=done, occasion=occasion, status="met")
    client.force_login(world.admin)
    response = client.get(reverse("occasion_lock", args=[occasion.pk]))
    assert response.status_code == 200
    text = " ".join(response.content.decode().split())
    assert f"Lås {occasion}?" in text
    assert "Låsningen gäller 2 styrkort: alla utfall för januari–april 2026" in text
    assert "2 av 3 mål saknar bedömning." in text
    assert "1 av 2</td>" in text and "0 av 1</td>" in text
    assert reverse("scorecard_followup", args=[card.pk, occasion.pk]) in text
    occasion.refresh_from_db()
    assert not occasion.is_locked  # asking changed nothing


def test_the_occasion_page_links_to_the_confirmation(client, world, occasion):
    client.force_login(world.admin)
    text = client.get(reverse("occasion_detail", args=[occasion.pk])).content.decode()
    assert f'href="{reverse("occasion_lock", args=[occasion.pk])}"' in text


def test_reopening_needs_a_reason(client, world, occasion):
    client.force_login(world.admin)
    client.post(reverse("occasion_lock", args=[occasion.pk]))
    response = client.post(reverse("occasion_reopen", args=[occasion.pk]), {"reason": " "})
    assert response.status_code == 200
    assert "Ange skälet till att tillfället öppnas igen." in response.content.decode()
    occasion.refresh_from_db()
    assert occasion.is_locked


def test_reopening_is_logged_with_its_reason(client, world, occasion):
    client.force_login(world.admin)
    client.post(reverse("occasion_lock", args=[occasion.pk]))
    url = reverse("occasion_reopen", args=[occasion.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "Fel utfall för energi rättas"})
    occasion.refresh_from_db()
    assert not occasion.is_locked
    entry = OccasionLog.objects.get(action=OccasionLog.Action.REOPEN)
    assert (entry.by, entry.reason) == (world.admin, "Fel utfall för energi rättas")
    text = client.get(reverse("occasion_detail", args=[occasion.pk])).content.decode()
    assert "Fel utfall för energi rättas" in text


@pytest.mark.parametrize("persona", ["editor", "reporter", "reader"])
def test_non_admins_may_not_lock_or_reopen(client, world, occasion, persona):
    client.force_login(world.users[persona])
    assert client.post(reverse("occasion_lock", args=[occasion.pk])).status_code == 403
    assert client.get(reverse("occasion_reopen", args=[occasion.pk])).status_code == 403
    reopen = client.post(reverse("occasion_reopen", args=[occasion.pk]), {"reason": "x"})
    assert reopen.status_code == 403
    assert not OccasionLog.objects.exists()


def test_occasion_page_lists_the_years_scorecards_with_progress(client, world, chain):
    occasion = FollowUpOccasion.objects.create(
        year=2026,
        kind=OccasionKind.INTERIM,
        name="Delårsrapport",
        end_month=8,
        deadline=date(2026, 9, 15),
    )
    client.force_login(world.editor)
    text = client.get(reverse("occasion_detail", args=[occasion.pk])).content.decode()
    assert reverse("scorecard_followup", args=[chain.top.scorecard_id, occasion.pk]) in text
    assert "0 av 1" in text
    assert "Skolförvaltningen" not in text  # a draft the editor may not see
