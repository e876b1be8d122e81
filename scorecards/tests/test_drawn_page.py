"""A warm scorecard page serves its drawn goals from the cache (scorecards.rendered, #16): it
reads the card and the version, and evaluates, counts and draws nothing. That nothing stale is
served is followup/tests/test_scoped_cache.py's work (random writes, two readers)."""

import re

import pytest

from followup.models import Assessment, FollowUpOccasion
from organisation import access
from scorecards import views
from scorecards.models import Strategy

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF token, new on every page


def _never(*args, **kwargs):
    raise AssertionError("a warm page computed what it had drawn")


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _TOKEN.sub("", response.content.decode())


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_a_warm_page_reads_the_card_and_the_version_only(
    client, world, chain, count_queries, monkeypatch, who
):
    if who == "editor":
        client.force_login(world.users["editor"])
    url = chain.city.get_absolute_url()
    cold_html = _page(client, url)
    warm = count_queries(lambda: client.get(url))  # the session's queries for the editor too
    for name in ("statuses_at", "latest_assessments", "scorecard_overview", "_chain_rollups"):
        monkeypatch.setattr(views, name, _never)
    monkeypatch.setattr(views.trend_arrows, "annotate", _never)
    assert _page(client, url) == cold_html
    # Anonymous: the card and the version. The editor also the session, the user, the roles, the
    # unit's path (rights) and the units below the editor's (what drafts they may see).
    assert count_queries(lambda: client.get(url)) == warm == (2 if who == "anonymous" else 7)


def test_a_cold_page_costs_many_times_a_warm_one(client, chain, count_queries):
    url = chain.city.get_absolute_url()
    Strategy.objects.create(goal=chain.top, text="Ny strategi")  # drops the drawn parts
    cold = count_queries(lambda: client.get(url))
    warm = count_queries(lambda: client.get(url))
    assert warm == 2 and cold >= 6 * warm


def test_the_home_page_is_served_warm_too(client, chain, count_queries, monkeypatch):
    client.get("/")
    monkeypatch.setattr(views, "statuses_at", _never)
    assert count_queries(lambda: client.get("/")) == 2


def test_readers_with_other_rights_get_their_own_drawing(client, world, chain):
    """The editor's goal blocks carry edit links, the anonymous reader's none; each is drawn
    for its own key, whichever came first."""
    url = chain.city.get_absolute_url()
    anonymous = _page(client, url)
    client.force_login(world.users["admin"])
    assert access.can_edit(world.users["admin"], chain.city.unit)
    admin = _page(client, url)
    assert "Redigera mål" in admin and "Redigera mål" not in anonymous
    client.logout()
    assert _page(client, url) == anonymous


def test_an_analysis_written_shows_at_once(client, world, chain):
    url = chain.city.get_absolute_url()
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline="2026-05-15"
    )
    assessment = Assessment.objects.create(
        goal=chain.top, occasion=occasion, status="met", analysis="Första analysen"
    )
    assert "Första analysen" in _page(client, url)
    assessment.analysis = "Andra analysen"
    assessment.save()
    assert "Andra analysen" in _page(client, url)
