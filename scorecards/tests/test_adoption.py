"""Adopted stays adopted (issue #17.6): the version a decision adopted keeps its goals, targets and
the names of units and indicators; a change afterwards needs a reason and is marked "ändrat efter
beslut" with who, when and why, on the page and in the history."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_programme,
    make_scorecard,
    make_strategy,
    make_target,
)
from scorecards.models import (
    AdoptedVersion,
    ChangeAfterAdoption,
    Comparator,
    ScorecardStatus,
    Target,
)

REFUSED = "Styrkortet är fastställt: ange varför det ändras efter beslutet."


@pytest.fixture
def card(world):
    """Miljöförvaltningen's draft for 2026 with one goal, a strategy and a targeted metric."""
    make_programme()
    card = make_scorecard(world.unit_a, status=ScorecardStatus.DRAFT)
    card.goal = make_goal(card, "Minskad energianvändning", perspective=make_perspectives()[0])
    make_strategy(card.goal, "Styr ventilationen efter närvaro")
    card.indicator = make_indicator("Energi i lokaler", code="energi", unit="kWh/m²")
    card.metric = make_metric(card.goal, card.indicator)
    card.target = make_target(card.metric, 160, comparator=Comparator.LTE)
    return card


def adopt(client, user, card):
    client.force_login(user)
    return client.post(
        reverse("scorecard_adopt", args=[card.pk]),
        {"decided_by": "Miljönämnden", "decided_on": "2026-01-20", "paragraph": "12"},
    )


def goal_data(card, **overrides):
    data = {"perspective": card.goal.perspective_id, "title": card.goal.title, "order": 0}
    data.update(overrides)
    return data


def test_adopting_stores_the_version_as_decided(client, world, card):
    response = adopt(client, world.editor, card)
    assert response.status_code == 302
    version = AdoptedVersion.objects.get(scorecard=card)
    assert (version.number, version.adopted_by) == (1, world.editor)
    assert version.decision == "Miljönämnden, 2026-01-20, § 12"
    data = version.snapshot
    assert data["unit"]["name"] == "Miljöförvaltningen"
    goal = data["perspectives"][0]["goals"][0]
    assert goal["title"] == "Minskad energianvändning"
    assert goal["strategies"] == ["Styr ventilationen efter närvaro"]
    metric = goal["metrics"][0]
    assert (metric["indicator"], metric["unit"]) == ("Energi i lokaler", "kWh/m²")
    assert metric["targets"][0]["label"] == "max 160,0 kWh/m²"


def test_the_adopted_view_keeps_the_old_names_after_renames_and_edits(client, world, card):
    adopt(client, world.editor, card)
    world.unit_a.name = "Klimatförvaltningen"
    world.unit_a.save()
    card.indicator.name = "Energianvändning totalt"
    card.indicator.save()
    client.post(
        reverse("goal_edit", args=[card.goal.pk]),
        goal_data(card, title="Halverad energianvändning", change_reason="Nytt beslut i KF."),
    )
    Target.objects.filter(pk=card.target.pk).update(value=100)

    page = client.get(reverse("scorecard_detail", args=[card.pk]))
    assertContains(page, "Halverad energianvändning")
    url = reverse("adopted_version", args=[card.pk, 1])
    assertContains(page, f'href="{url}"')
    assertContains(page, "Visa som fastställt")
    adopted = client.get(url)
    # Past the breadcrumbs (which lead to the unit as it is named today).
    text = adopted.content.decode().split("<h1>", 1)[1]
    for old in ("Miljöförvaltningen", "Minskad energianvändning", "Energi i lokaler", "max 160,0"):
        assert old in text
    for new in ("Klimatförvaltningen", "Energianvändning totalt", "max 100"):
        assert new not in text
    # The goal's new title shows only in the change made after adoption, with its reason.
    assert text.count("Halverad energianvändning") == 1
    assert "Mål: Halverad energianvändning (mål) – " in text
    assert "Nytt beslut i KF." in text


def test_an_edit_after_adoption_without_a_reason_is_refused_and_changes_nothing(
    client, world, card
):
    adopt(client, world.editor, card)
    response = client.post(
        reverse("goal_edit", args=[card.goal.pk]), goal_data(card, title="Något annat")
    )
    assert response.status_code == 200
    assertContains(response, REFUSED)
    card.goal.refresh_from_db()
    assert card.goal.title == "Minskad energianvändning"
    assert not ChangeAfterAdoption.objects.exists()


def test_a_target_change_after_adoption_needs_a_reason(client, world, card):
    adopt(client, world.editor, card)
    url = reverse("target_edit", args=[card.metric.pk, 2026])
    data = {"comparator": "lte", "value": "150", "tolerance": "0"}
    assertContains(client.post(url, data), REFUSED)
    card.target.refresh_from_db()
    assert card.target.value == 160
    client.post(url, {**data, "change_reason": "Budgeten skars ned."})
    card.target.refresh_from_db()
    assert card.target.value == 150
    mark = ChangeAfterAdoption.objects.get(kind="target")
    assert mark.reason == "Budgeten skars ned."
    assert mark.what == (
        "Målvärde 2026 för Energi i lokaler: max 160,0 kWh/m² → max 150,0 kWh/m² (målvärde)"
    )
    # The target's history row carries the reason too.
    assert card.target.history.first().history_change_reason == "Budgeten skars ned."


def test_the_mark_shows_who_when_and_why_on_the_page_and_in_the_history(client, world, card):
    adopt(client, world.editor, card)
    world.editor.first_name, world.editor.last_name = "Eva", "Ek"
    world.editor.save()
    client.post(
        reverse("goal_edit", args=[card.goal.pk]),
        goal_data(card, title="Halverad energianvändning", change_reason="Nämnden skärpte målet."),
    )
    mark = ChangeAfterAdoption.objects.get()
    assert (mark.by, mark.goal, mark.version.number) == (world.editor, card.goal, 1)
    assert mark.what == "Mål: Halverad energianvändning (mål)"
    when = mark.at.strftime("%Y-%m-%d")
    for url in (
        reverse("scorecard_detail", args=[card.pk]),
        reverse("object_history", args=["goal", card.goal.pk]),
    ):
        page = client.get(url)
        assertContains(page, "Ändrat efter beslut")
        assertContains(page, "Eva Ek")
        assertContains(page, when)
        assertContains(page, "Nämnden skärpte målet.")


def test_a_draft_needs_no_reason_and_gets_no_mark(client, world, card):
    client.force_login(world.editor)
    response = client.post(
        reverse("goal_edit", args=[card.goal.pk]), goal_data(card, title="Utkastets mål")
    )
    assert response.status_code == 302
    card.goal.refresh_from_db()
    assert card.goal.title == "Utkastets mål"
    assert not ChangeAfterAdoption.objects.exists()


def test_removals_after_adoption_ask_why(client, world, card):
    adopt(client, world.editor, card)
    strategy = card.goal.strategies.get()
    url = reverse("strategy_delete", args=[strategy.pk])
    assertContains(client.get(url), "Varför ändras det fastställda styrkortet?")
    assertContains(client.post(url, {}), REFUSED)
    assert card.goal.strategies.exists()
    client.post(url, {"change_reason": "Strategin är genomförd."})
    assert not card.goal.strategies.exists()
    mark = ChangeAfterAdoption.objects.get()
    assert mark.what == "Borttagen strategi: Styr ventilationen efter närvaro"

    url = reverse("metric_delete", args=[card.metric.pk])
    assertContains(client.post(url, {}), REFUSED)
    client.post(url, {"change_reason": "Mäts inte längre."})
    assert not card.goal.metrics.exists()


def test_a_new_decision_is_a_new_version_and_the_marks_start_over(client, world, card):
    adopt(client, world.editor, card)
    client.post(
        reverse("goal_edit", args=[card.goal.pk]),
        goal_data(card, title="Reviderat mål", change_reason="Revidering i juni."),
    )
    page = client.get(reverse("scorecard_detail", args=[card.pk]))
    assertContains(page, "Revidering i juni.")
    assertContains(page, "Nytt beslut (ny version)")
    adopt(client, world.editor, card)
    assert list(card.adopted_versions.values_list("number", flat=True)) == [1, 2]
    second = card.adopted_versions.get(number=2).snapshot
    assert second["perspectives"][0]["goals"][0]["title"] == "Reviderat mål"
    page = client.get(reverse("scorecard_detail", args=[card.pk]))
    assertNotContains(page, "Revidering i juni.")  # adopted by the new decision
    first = client.get(reverse("adopted_version", args=[card.pk, 1]))
    assertContains(first, "Minskad energianvändning")
    assertContains(first, "Revidering i juni.")


def test_the_adopted_view_follows_the_scorecards_visibility(client, world, card):
    adopt(client, world.editor, card)
    url = reverse("adopted_version", args=[card.pk, 1])
    client.logout()
    assert client.get(url).status_code == 200  # adopted: public
    assert client.get(reverse("adopted_version", args=[card.pk, 2])).status_code == 404
    card.status = ScorecardStatus.DRAFT
    card.save()
    assert client.get(url).status_code == 404  # a draft again: as if it did not exist


def test_a_new_goal_after_adoption_is_marked(client, world, card):
    adopt(client, world.editor, card)
    response = client.post(
        reverse("goal_create", args=[card.pk]),
        {
            "perspective": card.goal.perspective_id,
            "title": "Fler laddplatser",
            "order": 2,
            "change_reason": "Uppdrag från KF.",
        },
    )
    assert response.status_code == 302
    mark = ChangeAfterAdoption.objects.get()
    assert mark.what == "Nytt mål: Fler laddplatser"
    assert mark.goal.title == "Fler laddplatser"


def test_a_change_to_the_scorecard_itself_is_marked_at_the_top(client, world, card):
    adopt(client, world.editor, card)
    url = reverse("scorecard_edit", args=[card.pk])
    data = {
        "introduction": "En ny inledning.",
        "perspectives": list(card.perspectives.values_list("pk", flat=True)),
        "programme": card.programme_id,
    }
    assertContains(client.post(url, data), REFUSED)
    client.post(url, {**data, "change_reason": "Inledningen uppdaterad efter dialog."})
    mark = ChangeAfterAdoption.objects.get()
    assert (mark.kind, mark.goal) == ("scorecard", None)
    assert mark.what == "Styrkortet: Miljöförvaltningen 2026 (inledning)"
    page = client.get(reverse("scorecard_detail", args=[card.pk]))
    assertContains(page, "Inledningen uppdaterad efter dialog.")
    history = client.get(reverse("object_history", args=["scorecard", card.pk]))
    assertContains(history, "Inledningen uppdaterad efter dialog.")
