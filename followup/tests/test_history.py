"""The change history: who changed what and when, shown as old → new, for those who may see it."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.testing import make_perspectives
from followup.models import Assessment, FollowUpOccasion, Measurement
from scorecards.models import Target


def history_url(kind, pk):
    return reverse("object_history", args=[kind, pk])


def rows(html: str) -> list[str]:
    """Each table row as plain text, so "old → new" reads as it does on screen."""
    found = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in found]


@pytest.fixture
def edited_target(world, chain):
    target = Target.objects.get(metric=chain.metric)
    target.value = 150
    target._history_user = world.editor
    target.save()
    return target


def test_history_shows_old_and_new_value_and_who_after_an_edit(client, world, edited_target):
    client.force_login(world.admin)
    response = client.get(history_url("target", edited_target.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Målvärde 160,0 → 150,0" in rows(text)
    assert "Ändrad" in text and "av editor" in text


def test_history_lists_the_newest_change_first_and_the_creation_last(client, world, edited_target):
    client.force_login(world.admin)
    text = client.get(history_url("target", edited_target.pk)).content.decode()
    assert text.index("Ändrad") < text.index("Skapad")


def test_creation_shows_the_initial_values(client, world, chain):
    client.force_login(world.admin)
    text = client.get(history_url("goal", chain.top.pk)).content.decode()
    assert "Skapad" in text
    assert "Perspektiv Framtid" in rows(text)


def test_a_changed_relation_is_shown_by_name(client, world, chain):
    chain.top.perspective = make_perspectives()[0]
    chain.top.save()
    client.force_login(world.admin)
    text = client.get(history_url("goal", chain.top.pk)).content.decode()
    assert "Perspektiv Framtid → Medborgare" in rows(text)


def test_an_assessment_status_is_shown_by_its_label(client, world, chain):
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline="2026-05-15"
    )
    assessment = Assessment.objects.create(goal=chain.mid, occasion=occasion, status="met")
    assessment.status = "close"
    assessment.save()
    client.force_login(world.editor)
    text = client.get(history_url("assessment", assessment.pk)).content.decode()
    assert "Bedömning Uppfyllt → Delvis uppfyllt" in rows(text)


def test_reporter_sees_the_history_of_a_measurement_of_their_unit(client, world, chain):
    m = Measurement.objects.create(
        indicator=chain.energy, unit=world.unit_a1, year=2026, month=4, value=120
    )
    client.force_login(world.reporter)
    assert client.get(history_url("measurement", m.pk)).status_code == 200


def test_reader_of_another_unit_gets_404(client, world, chain):
    client.force_login(world.reader)
    assert client.get(history_url("scorecard", chain.mid.scorecard_id)).status_code == 404


def test_a_signed_in_user_without_a_role_gets_404_even_for_an_adopted_scorecard(client, chain):
    client.force_login(get_user_model().objects.create_user("citizen"))
    assert client.get(history_url("scorecard", chain.city.pk)).status_code == 404


def test_admin_sees_the_history_of_a_draft_elsewhere(client, world, chain):
    client.force_login(world.admin)
    assert client.get(history_url("goal", chain.draft.pk)).status_code == 200


def test_anonymous_is_sent_to_login(client, chain):
    response = client.get(history_url("goal", chain.top.pk))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_kind_is_404(client, world, chain):
    client.force_login(world.admin)
    assert client.get(history_url("action", chain.top.pk)).status_code == 404


def test_a_missing_object_is_404(client, world, db):
    client.force_login(world.admin)
    assert client.get(history_url("goal", 999999)).status_code == 404


def test_query_count_does_not_grow_with_the_number_of_changes(client, world, chain, count_queries):
    target = Target.objects.get(metric=chain.metric)
    client.force_login(world.admin)
    url = history_url("target", target.pk)
    target.value = 150
    target.save()
    few = count_queries(lambda: client.get(url))
    for value in range(140, 145):
        target.value = value
        target.save()
    assert count_queries(lambda: client.get(url)) == few
