"""The goal chain as a tree: nested, each goal with its unit and status, the goals above with
their status, a contradiction between a goal and its contributors flagged in words, and a query
count that does not grow with the chain."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from core.testing import make_goal, make_scorecard, make_unit
from followup.models import Assessment, FollowUpOccasion
from organisation import access
from scorecards.chaintree import build_tree, tree_data


def _page(client, goal) -> str:
    return client.get(reverse("goal_chain", args=[goal.pk])).content.decode()


def _branch(text: str, goal) -> str:
    """The tree's <li> of ``goal`` (first occurrence), up to its end."""
    start = text.index(f'id="tree-{goal.pk}-')
    depth, pos = 0, start
    for tag in re.finditer(r"<(/?)li\b", text[start - 4 :]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            pos = start - 4 + tag.end()
            break
    return text[start:pos]


def _assess(goal, status: str) -> None:
    occasion, _ = FollowUpOccasion.objects.get_or_create(
        year=2026,
        end_month=4,
        defaults={"kind": "tertial", "name": "Tertialrapport 1", "deadline": "2026-05-15"},
    )
    Assessment.objects.create(goal=goal, occasion=occasion, status=status, analysis="Skäl.")


def test_the_chain_below_is_nested_in_details_with_unit_and_status(client, chain):
    text = _page(client, chain.top)
    mid = _branch(text, chain.mid)
    assert "<details" in mid and "<summary>1 bidragande mål" in mid
    assert chain.low.title in mid  # the unit's goal hangs under the administration's
    assert "Miljöförvaltningen" in mid and "Energienheten" in mid
    assert mid.count('class="status status-') == 2  # its own status and the one below
    assert "Nivå 2 nedåt" in text


def test_the_goals_above_show_their_status(client, chain):
    _assess(chain.mid, "close")
    text = _page(client, chain.low)
    above = text[text.index("Överordnat mål") : text.index("Det här målet")]
    assert chain.mid.title in above
    assert "status-close" in above and "Delvis uppfyllt" in above


def test_a_goal_that_contradicts_its_contributors_is_flagged_in_words(client, chain):
    _assess(chain.mid, "met")
    _assess(chain.low, "not_met")
    mid = _branch(_page(client, chain.top), chain.mid)
    assert "Avviker från de bidragande målen" in mid
    assert "räknas som uppfyllt" in mid and "väger samman till ej uppfyllt" in mid


def test_agreeing_or_unrated_contributors_are_not_flagged(client, chain):
    _assess(chain.mid, "met")
    assert "Avviker" not in _page(client, chain.top)  # the goal below has no status yet
    _assess(chain.low, "met")
    assert "Avviker" not in _page(client, chain.top)


def test_a_draft_in_the_middle_is_left_out_and_the_goals_below_it_move_up(client, chain):
    chain.mid.scorecard.status = "draft"
    chain.mid.scorecard.save()
    text = _page(client, chain.top)
    assert chain.mid.title not in text
    assert chain.low.title in _branch(text, chain.low)
    assert f'id="tree-{chain.low.pk}-1"' in text  # directly below the city goal


def test_a_goal_with_many_contributors_links_to_all_of_them(client, chain, monkeypatch):
    from scorecards import views

    monkeypatch.setattr(views, "CHAIN_ROWS_PER_LEVEL", 1)
    second = make_goal(chain.mid.scorecard, "Andra målet på nivån")
    second.contributes_to.add(chain.top)
    url = reverse("goal_chain", args=[chain.top.pk])
    text = client.get(url).content.decode()
    assert "Visa alla 2 bidragande mål" in text
    assert ("Andra målet på nivån" in text) != ("Miljöförvaltningen minskar" in text)
    full = client.get(url + "?alla=1").content.decode()
    assert "Andra målet på nivån" in full and "Miljöförvaltningen minskar" in full


def test_a_goal_under_two_goals_of_the_chain_shows_under_both(chain):
    side = make_goal(chain.mid.scorecard, "Ett andra förvaltningsmål")
    side.contributes_to.add(chain.top)
    chain.low.contributes_to.add(side)
    citizen = access.visible_scorecards_q(AnonymousUser(), prefix="scorecard__")
    tree = build_tree(tree_data(chain.top.pk, within=citizen), chain.top.pk, per_parent=None)
    under = {child.pk: [g.pk for g in child.children] for child in tree.children}
    assert under == {chain.mid.pk: [chain.low.pk], side.pk: [chain.low.pk]}


@pytest.mark.parametrize("shape", ["deeper", "wider"])
def test_the_chain_page_query_count_does_not_grow_with_the_tree(
    client, world, chain, count_queries, shape
):
    url = reverse("goal_chain", args=[chain.top.pk])
    before = count_queries(lambda: client.get(url))
    parent, upper = world.unit_a1, chain.low
    for i in range(5):
        unit = make_unit(f"Enhet {shape} {i}", parent=parent)
        goal = make_goal(make_scorecard(unit), f"Mål {shape} {i}")
        goal.contributes_to.add(upper)
        _assess(goal, "met")
        if shape == "deeper":
            parent, upper = unit, goal
    after = count_queries(lambda: client.get(url))
    assert after == before
    assert f"Mål {shape} 4" in client.get(url).content.decode()


def test_in_english_swedish_content_is_marked_and_occasion_kinds_translated(client, chain):
    from followup.models import FollowUpOccasion

    FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertialrapport", end_month=4, deadline="2026-05-15"
    )
    FollowUpOccasion.objects.create(
        year=2026, kind="annual", name="Bokslut för staden", end_month=12, deadline="2027-02-15"
    )
    client.cookies["django_language"] = "en"
    chain_page = _page(client, chain.top)
    assert f'<a class="chain-goal" href="/mal/{chain.mid.pk}/malkedja/" lang="sv">' in chain_page
    assert '<span lang="sv">Helsingborgs stad ska ligga i framkant' in chain_page  # the h1
    card = client.get(chain.city.get_absolute_url()).content.decode()
    assert 'lang="sv">Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor</a>' in card
    assert ">Four-month report</a>" in card  # the kind's own name reads in English …
    assert ">Bokslut för staden</a>" in card  # … a name of the municipality's own stays
    client.cookies["django_language"] = "sv"
    assert 'lang="sv"' not in _page(client, chain.top).split("<body", 1)[1]
