"""Every page the benchmark measures, and the follow-up pages that show what people write, runs
the same number of queries on a generated city whose goals all have assessments (with who made
them), summaries, forecasts and actions, and whose values all have an author and some a comment,
as on the same city with one of each per scorecard, and as on the city with none of it (issue
#16.4): a page that reads one of those per row grows with the city.

A few pages show a block only when there is something to show (the chain's forecast roll-up):
against the bare city they may differ by that block, so for them it is the one-of-each city that
proves the count does not grow. Each page is counted cold (every cache emptied first) and warm
(the same request again).
"""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.db.models import Min
from django.test import Client
from django.urls import reverse

from bench.generate import SCALES, generate_city
from bench.measure import MODEL_BACKEND, api_list_paths, find_targets, page_list
from followup.models import (
    Action,
    Assessment,
    FollowUpOccasion,
    Forecast,
    Measurement,
    OccasionKind,
    SummaryAnalysis,
)
from followup.rollup import refresh_goal_statuses
from scorecards.models import Goal, Metric, Scorecard

FIRST = "syn-0000"  # the first common indicator, on every scorecard

# Pages that show a block only when there is data for it: a fixed number of queries more with
# data than without, the same however many rows (the one-of-each city checks that).
SHOWN_WITH_DATA = {
    "goal chain of a city goal": "the chain's forecast roll-up, shown once a goal has a forecast",
    "att göra (reporter landing)": "the lock checks of missing assessments, asked when some are",
    "metric trend": "the annual target beside the latest forecast",
    "API forecast-list": "the indicator and unit codes of the rows on the page",
}


def followup_pages(targets: dict) -> list[tuple[str, str, str]]:
    """The pages that show assessments, summaries, forecasts and actions, for the city's and
    the reporter's scorecards at this year's delårsrapport."""
    interim = FollowUpOccasion.objects.get(year=targets["year"], kind=OccasionKind.INTERIM)
    # The first common indicator: the one-of-each city keeps its forecasts.
    metric = Metric.objects.get(goal__scorecard=targets["entry_card"], indicator__code=FIRST)
    pages = [("occasion progress, delår", reverse("occasion_detail", args=[interim.pk]), "admin")]
    for card in (targets["city_card"], targets["entry_card"]):
        for name, args in (
            ("scorecard_followup", [card, interim.pk]),
            ("scorecard_forecast", [card, interim.pk]),
            ("action_list", [card]),
        ):
            pages.append((f"{name} {card}", reverse(name, args=args), "admin"))
        pages.append(
            (f"action_list {card} anonymous", reverse("action_list", args=[card]), "anonymous")
        )
    pages.append(("metric trend", reverse("metric_trend", args=[metric.pk]), "reporter"))
    return pages


def all_pages(targets: dict) -> list[tuple[str, str, str]]:
    api = [(name, path, "admin") for name, path in api_list_paths()]
    return [*page_list(targets), *followup_pages(targets), *api]


def clients_for(targets: dict) -> dict[str, Client]:
    User = get_user_model()
    clients = {"anonymous": Client()}
    for who in ("reporter", "admin"):
        clients[who] = Client()
        user = User.objects.get(username=targets["entry_user" if who == "reporter" else who])
        clients[who].force_login(user, backend=MODEL_BACKEND)
    return clients


def warm_up(pages, clients) -> None:
    """What a process loads once (content types, the site's settings …), loaded."""
    for _name, path, who in pages:
        clients[who].get(path)


def query_counts(pages, clients, count_queries) -> dict[str, tuple[int, int]]:
    """{page: (queries cold, queries warm)}; every page must answer 200."""
    counts = {}
    for name, path, who in pages:
        for cache in caches.all():
            cache.clear()
        answers = []

        def get(client=clients[who], path=path, answers=answers):
            answers.append(client.get(path))

        cold, warm = count_queries(get), count_queries(get)
        assert [a.status_code for a in answers] == [200, 200], (name, path)
        counts[name] = (cold, warm)
    return counts


def keep_one_per_scorecard(reporters_unit: int) -> None:
    """The same kinds of data, one of each per scorecard: the first goal's assessments, the
    first action, forecasts and authored values of the first common indicator only. The
    reporter's own scorecards keep their assessments, so "Att göra" has none missing either way."""
    first_goals = Goal.objects.values("scorecard").annotate(first=Min("pk")).values("first")
    Assessment.objects.exclude(goal__in=first_goals).exclude(
        goal__scorecard__unit=reporters_unit
    ).delete()
    first_actions = Action.objects.values("goal__scorecard").annotate(first=Min("pk"))
    Action.objects.exclude(pk__in=first_actions.values("first")).delete()
    Forecast.objects.exclude(indicator__code=FIRST).delete()
    Measurement.objects.exclude(indicator__code=FIRST).update(entered_by=None, comment="")
    refresh_goal_statuses()


def strip_what_people_wrote() -> None:
    """The same city as a bare bulk load leaves it: no assessments, summaries, forecasts or
    actions, values without author or comment; stored statuses refreshed to match."""
    for model in (Action, Assessment, SummaryAnalysis, Forecast):
        model.objects.all().delete()
    Measurement.objects.update(entered_by=None, comment="")
    refresh_goal_statuses()


@pytest.fixture
def assessed_city(db):
    """The tiny city as it stands in the autumn, whatever the date: this year's tertial report
    and delårsrapport have passed, so this year's goals are assessed and have forecasts."""
    today = max(date.today(), date(date.today().year, 9, 15))
    return generate_city(SCALES["tiny"], today=today, progress=lambda message: None)


def test_no_page_reads_what_people_wrote_row_by_row(assessed_city, count_queries):
    targets = find_targets()
    pages = all_pages(targets)
    clients = clients_for(targets)
    assert len(pages) > 25
    warm_up(pages, clients)
    written = query_counts(pages, clients, count_queries)
    keep_one_per_scorecard(Scorecard.objects.get(pk=targets["entry_card"]).unit_id)
    one_each = query_counts(pages, clients, count_queries)
    strip_what_people_wrote()
    bare = query_counts(pages, clients, count_queries)
    grew = {n: (one_each[n], written[n]) for n in written if one_each[n] != written[n]}
    assert not grew, f"queries (cold, warm) with one of each → on every goal: {grew}"
    differ = {
        n: (bare[n], written[n])
        for n in written
        if bare[n] != written[n] and n not in SHOWN_WITH_DATA
    }
    assert not differ, f"queries (cold, warm) without → with what people wrote: {differ}"


def test_the_city_has_what_people_write_on_every_goal(assessed_city):
    """The state the test above compares against: every goal assessed (by someone) at this
    year's delårsrapport, with actions on its scorecard, and every value by someone."""
    year = date.today().year
    assessed = Assessment.objects.filter(occasion__year=year, occasion__kind=OccasionKind.INTERIM)
    assert assessed.count() == assessed_city["goals"] // 2
    assert not Assessment.objects.filter(assessed_by__isnull=True).exists()
    assert Action.objects.filter(strategy__isnull=False, metric__isnull=False).exists()
    assert not Measurement.objects.filter(entered_by__isnull=True).exists()
