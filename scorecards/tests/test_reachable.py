"""Everything a user may do is linked from the page they are on: nothing needs a typed URL."""

from datetime import date

import pytest
from django.urls import reverse

from core.testing import make_goal, make_scorecard, make_strategy
from followup.models import FollowUpOccasion
from scorecards.models import ScorecardStatus, Target


def links_on(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def card_links(chain):
    card = chain.mid.scorecard
    strategy = make_strategy(chain.mid, "Byt till LED-belysning")
    metric = chain.mid.metrics.create(indicator=chain.energy)
    target = Target.objects.create(metric=metric, year=card.year, value=150)
    return card, {
        "strategy_edit": reverse("strategy_edit", args=[strategy.pk]),
        "strategy_delete": reverse("strategy_delete", args=[strategy.pk]),
        "target_edit": reverse("target_edit", args=[metric.pk, card.year]),
        "target_history": reverse("object_history", args=["target", target.pk]),
        "goal_history": reverse("object_history", args=["goal", chain.mid.pk]),
        "card_history": reverse("object_history", args=["scorecard", card.pk]),
    }


def test_an_editor_finds_every_edit_and_history_link(client, world, card_links):
    card, urls = card_links
    client.force_login(world.editor)
    text = links_on(client, card.get_absolute_url())
    missing = [name for name, url in urls.items() if f'href="{url}"' not in text]
    assert not missing


def test_a_reporter_finds_the_history_but_no_edit_links(client, world, card_links):
    card, urls = card_links
    client.force_login(world.reporter)
    text = links_on(client, card.get_absolute_url())
    for name, url in urls.items():
        assert (f'href="{url}"' in text) == name.endswith("history"), name


def test_a_citizen_finds_neither(client, card_links):
    card, urls = card_links
    text = links_on(client, card.get_absolute_url())
    assert not [url for url in urls.values() if url in text]


def test_the_occasion_page_links_to_the_occasion_wide_export(client, world):
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    client.force_login(world.reader)
    text = links_on(client, reverse("occasion_detail", args=[occasion.pk]))
    assert f'href="{reverse("occasion_export", args=[occasion.pk])}"' in text


@pytest.fixture
def next_year_only(world):
    """December: next year's scorecard is adopted, this year's does not exist."""
    this_year = date.today().year
    make_goal(make_scorecard(world.city, year=this_year - 1), "Förra årets mål")
    make_goal(make_scorecard(world.city, year=this_year + 1), "Nästa års mål")
    make_scorecard(world.city, year=this_year + 2, status=ScorecardStatus.DRAFT)
    return this_year


def test_home_shows_the_newest_adopted_scorecard_when_this_year_has_none(client, next_year_only):
    text = links_on(client, reverse("home"))
    assert "Nästa års mål" in text
    assert f"styrkort {next_year_only + 1}</h1>" in text


def test_home_switches_year_and_stays_home(client, next_year_only):
    last_year = next_year_only - 1
    text = links_on(client, reverse("home"))
    assert f'href="/?ar={last_year}"' in text
    text = links_on(client, f"/?ar={last_year}")
    assert "Förra årets mål" in text and "Nästa års mål" not in text
    assert f'href="/?ar={next_year_only + 1}"' in text


def test_home_ignores_a_year_it_cannot_show(client, world, next_year_only):
    for asked in (str(next_year_only + 2), "abc", "99999", "0"):  # a draft, nonsense, too long
        assert "Nästa års mål" in links_on(client, f"/?ar={asked}"), asked
    client.force_login(world.admin)  # the administrator sees the draft
    assert f"styrkort {next_year_only + 2}</h1>" in links_on(client, f"/?ar={next_year_only + 2}")
