"""Every read page renders, hides drafts from those who may not see them, and has a fixed query
count that does not grow with the number of goals or the depth of the chain."""

import pytest
from django.urls import reverse

from core.testing import make_goal, make_metric, make_perspectives, make_target
from scorecards.models import ScorecardStatus


def test_home_shows_the_city_scorecard_with_the_seed_example(client, chain):
    response = client.get("/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor" in text
    assert "Energianvändning i kommunala lokaler" in text
    assert "max 160,0 kWh/m²" in text
    assert "Uppfyllt" in text  # 150 ≤ 160


def test_home_shows_the_adoption_decision(client, chain):
    assert "Kommunfullmäktige" in client.get("/").content.decode()


def test_home_without_any_scorecard_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "inget publicerat styrkort" in response.content.decode()


def test_home_rolls_up_the_goals_below_each_city_goal(client, chain):
    text = client.get("/").content.decode()
    assert "Bidragande mål i hela kedjan" in text


def test_a_draft_scorecard_is_hidden_from_citizens(client, chain):
    url = chain.draft.scorecard.get_absolute_url()
    assert client.get(url).status_code == 404


def test_a_draft_scorecard_is_shown_to_a_reader_of_its_unit(client, world, chain):
    client.force_login(world.reader)
    assert client.get(chain.draft.scorecard.get_absolute_url()).status_code == 200


def test_a_draft_scorecard_is_hidden_from_a_reader_of_another_unit(client, world, chain):
    client.force_login(world.editor)
    assert client.get(chain.draft.scorecard.get_absolute_url()).status_code == 404


def test_goal_chain_runs_from_the_vision_down_every_level(client, chain):
    response = client.get(reverse("goal_chain", args=[chain.top.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Helsingborg 2035" in text
    assert "Miljöförvaltningen minskar sin klimatpåverkan" in text
    assert "Energienheten effektiviserar lokalerna" in text
    assert "Nivå 2 nedåt" in text
    assert "Hemligt utkast" not in text


def test_a_draft_goal_above_is_not_named_to_those_who_may_not_see_it(client, chain):
    chain.mid.scorecard.status = ScorecardStatus.DRAFT
    chain.mid.scorecard.save()
    chain_page = client.get(reverse("goal_chain", args=[chain.top.pk])).content.decode()
    card_page = client.get(chain.low.scorecard.get_absolute_url()).content.decode()
    assert "Energienheten effektiviserar lokalerna" in chain_page  # the goal below it is public
    assert chain.mid.title not in chain_page
    assert chain.mid.title not in card_page


def test_goal_chain_of_a_low_goal_shows_the_goals_above(client, chain):
    text = client.get(reverse("goal_chain", args=[chain.low.pk])).content.decode()
    assert "Miljöförvaltningen minskar sin klimatpåverkan" in text
    assert "framkant i miljö- och klimatfrågor" in text


def test_goal_chain_of_a_hidden_draft_is_404(client, chain):
    assert client.get(reverse("goal_chain", args=[chain.draft.pk])).status_code == 404


def test_unit_tree_lists_every_unit(client, world, chain):
    text = client.get(reverse("unit_tree")).content.decode()
    for unit in (world.city, world.unit_a, world.unit_a1, world.unit_b):
        assert unit.name in text


def test_unit_page_lists_its_public_scorecards(client, world, chain):
    response = client.get(world.unit_a.get_absolute_url())
    assert response.status_code == 200
    assert "Styrkort 2026" in response.content.decode()


def test_unit_page_hides_a_draft_scorecard_from_citizens(client, world, chain):
    text = client.get(world.unit_b.get_absolute_url()).content.decode()
    assert "Styrkort 2026" not in text


def test_programme_page_shows_the_vision(client, chain):
    response = client.get(chain.city.programme.get_absolute_url())
    assert "Helsingborg 2035" in response.content.decode()
    assert client.get(reverse("programme_list")).status_code == 200


def test_indicator_pages_render(client, chain):
    assert client.get(reverse("indicator_list")).status_code == 200
    response = client.get(chain.energy.get_absolute_url())
    assert "kWh/m²" in response.content.decode()


def test_pages_speak_english_after_the_language_switch(client, chain):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()


def _add_goals(card, n):
    perspectives = make_perspectives()
    for i in range(n):
        goal = make_goal(card, f"Extra mål {i}", perspective=perspectives[i % 4])
        make_target(make_metric(goal), 50)


@pytest.mark.parametrize(
    "url_of",
    [
        lambda c: "/",
        lambda c: c.city.get_absolute_url(),
        lambda c: reverse("goal_chain", args=[c.top.pk]),
    ],
    ids=["home", "scorecard", "goal_chain"],
)
def test_page_query_count_does_not_grow_with_goals(client, chain, count_queries, url_of):
    url = url_of(chain)
    before = count_queries(lambda: client.get(url))
    _add_goals(chain.city, 12)
    _add_goals(chain.mid.scorecard, 12)
    assert count_queries(lambda: client.get(url)) == before


def test_scorecard_query_count_does_not_grow_with_chain_depth(client, world, chain, count_queries):
    from core.testing import make_scorecard, make_unit

    url = chain.city.get_absolute_url()
    before = count_queries(lambda: client.get(url))
    parent, upper = world.unit_a1, chain.low
    for depth in range(4):
        unit = make_unit(f"Nivå {depth}", parent=parent)
        goal = make_goal(make_scorecard(unit), f"Djupt mål {depth}")
        goal.contributes_to.add(upper)
        parent, upper = unit, goal
    assert count_queries(lambda: client.get(url)) == before


def test_scorecard_page_query_count_is_pinned(client, chain, django_assert_max_num_queries):
    # Two of them: the adopted version and the changes made after it (scorecards.adoption).
    # One more: forecasts and last year's values for the trend arrows (followup.trend_arrows).
    with django_assert_max_num_queries(17):  # the chain's roll-up counted and cached
        client.get(chain.city.get_absolute_url())
    with django_assert_max_num_queries(16):  # … and read from the cache
        client.get(chain.city.get_absolute_url())


def test_the_scorecard_shows_the_latest_assessment_and_its_analysis(client, world, chain):
    from followup.models import Assessment, FollowUpOccasion

    t1 = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertialrapport 1", end_month=4, deadline="2026-05-15"
    )
    Assessment.objects.create(
        goal=chain.top, occasion=t1, status="close", analysis="Energin minskar långsamt."
    )
    text = client.get(chain.city.get_absolute_url()).content.decode()
    assert "Bedömning Tertialrapport 1:" in text
    assert "Energin minskar långsamt." in text


def test_the_scorecard_links_its_report_export_and_open_data(client, chain):
    text = client.get(chain.city.get_absolute_url()).content.decode()
    assert reverse("scorecard_pdf", args=[chain.city.pk]) in text
    assert reverse("scorecard_export", args=[chain.city.pk]) in text
    assert reverse("open_data") in text


def test_unit_tree_marks_deactivated_units_and_escapes_names(client, world, chain):
    from datetime import date

    from core.testing import make_unit

    old = make_unit("<b>Gamla enheten</b>", parent=world.unit_a)
    old.deactivate(on=date(2024, 12, 31))
    text = client.get(reverse("unit_tree")).content.decode()
    assert "&lt;b&gt;Gamla enheten&lt;/b&gt;" in text
    assert 'class="inactive"' in text and "avvecklad" in text
    assert reverse("scorecard_detail", args=[chain.city.pk]) in text


def test_a_large_organisation_shows_its_top_levels_and_links_below(client, world, monkeypatch):
    from core.testing import make_unit
    from organisation import views

    deep = make_unit("Solcellsgruppen", parent=world.unit_a1)  # the fourth level
    monkeypatch.setattr(views, "WHOLE_TREE_UP_TO", 3)
    text = client.get(reverse("unit_tree")).content.decode()
    assert world.unit_a1.name in text
    assert deep.name not in text
    assert f'href="{world.unit_a1.get_absolute_url()}">1 enhet under</a>' in text
    assert "Visa hela organisationen" in text
    whole = client.get(reverse("unit_tree") + "?hela=1").content.decode()
    assert deep.name in whole
    assert "Visa hela organisationen" not in whole


def test_a_small_organisation_shows_every_unit(client, world):
    from core.testing import make_unit

    deep = make_unit("Solcellsgruppen", parent=world.unit_a1)
    text = client.get(reverse("unit_tree")).content.decode()
    assert deep.name in text
    assert "Visa hela organisationen" not in text


def test_a_unit_with_a_scorecard_links_its_name_to_the_unit_and_its_badge_to_the_card(
    client, world, chain, monkeypatch
):
    from core.testing import make_unit
    from organisation import views

    make_unit("Solcellsgruppen", parent=world.unit_a1)  # below the shown levels
    monkeypatch.setattr(views, "WHOLE_TREE_UP_TO", 3)
    text = client.get(reverse("unit_tree")).content.decode()
    unit_url, card_url = world.unit_a1.get_absolute_url(), chain.low.scorecard.get_absolute_url()
    assert f'<li><a href="{unit_url}">{world.unit_a1.name}</a>' in text
    assert f'<a class="badge" href="{card_url}">' in text
    assert f'href="{unit_url}">1 enhet under</a>' in text
