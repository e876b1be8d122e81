"""The overview above a scorecard's perspectives: counts per perspective from the page's own
roll-up, the goals that need attention, an accessible bar, and a query count that does not grow
with the number of goals."""

from datetime import date
from decimal import Decimal

import pytest

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_scorecard,
    make_target,
)
from followup.models import Assessment, FollowUpOccasion, Measurement
from followup.overview import (
    bar_segments,
    cached_missing,
    cached_statuses_then,
    missing_indicators,
    statuses_then,
)
from followup.status import Rollup, Status
from scorecards.models import Comparator, Frequency


def _goal(card, title, perspective, *, values, target=100, tolerance=10):
    """A goal with one monthly metric "at least ``target``", and the given {month: value}."""
    goal = make_goal(card, title, perspective=perspective)
    indicator = make_indicator(f"Mätetal för {title}", frequency=Frequency.MONTHLY)
    make_target(
        make_metric(goal, indicator), target, comparator=Comparator.GTE, tolerance=tolerance
    )
    for month, value in values.items():
        Measurement.objects.create(
            indicator=indicator, unit=card.unit, year=card.year, month=month, value=value
        )
    return goal


@pytest.fixture
def city(world):
    """The city's 2026 scorecard, hand-built:

    Medborgare: one goal met, one not met by its metrics.
    Ekonomi: one met by its metrics but assessed "ej uppfyllt"; one without any value.
    Organisation: one met at T1 (April) but only close in June (worse than at T1).
    Framtid: one met in every month it has, but its January and February values are missing
    after T1's deadline.
    """
    medborgare, ekonomi, organisation, framtid = make_perspectives()
    card = make_scorecard(world.city)
    t1 = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )
    full = {m: 120 for m in range(1, 7)}
    goals = dict(
        met=_goal(card, "Nöjda medborgare", medborgare, values=full),
        not_met=_goal(card, "Trygga torg", medborgare, values={**full, 6: 50}),
        assessed=_goal(card, "Budget i balans", ekonomi, values=full),
        empty=_goal(card, "Låg sjukfrånvaro", ekonomi, values={}),
        worse=_goal(card, "Kompetent personal", organisation, values={**full, 6: 95}),
        missing=_goal(card, "Minskade utsläpp", framtid, values={3: 120, 4: 120, 5: 120, 6: 120}),
    )
    Assessment.objects.create(goal=goals["assessed"], occasion=t1, status="not_met")
    return type("City", (), dict(card=card, t1=t1, goals=goals))


def test_the_bar_segments_follow_the_counts_with_svg_coordinates():
    counts = Rollup.of({(Status.MET, False): 3, (Status.NOT_MET, True): 1})
    assert bar_segments(counts) == [
        (Status.MET, 3, "0.00", "75.00"),
        (Status.NOT_MET, 1, "75.00", "25.00"),
    ]
    assert bar_segments(Rollup.of({})) == []


def test_each_perspective_has_an_svg_bar_with_its_counts_as_text(client, city):
    text = client.get("/").content.decode()
    assert (
        'role="img" aria-label="Medborgare: 1 uppfyllt, 0 delvis uppfyllt, 1 ej uppfyllt, 0 utfall saknas"'
        in text
    )
    # the assessment counts before the metrics' suggestion, as in the roll-up above
    assert (
        'aria-label="Ekonomi: 0 uppfyllt, 0 delvis uppfyllt, 1 ej uppfyllt, 1 utfall saknas"'
        in text
    )
    assert (
        'aria-label="Organisation: 0 uppfyllt, 1 delvis uppfyllt, 0 ej uppfyllt, 0 utfall saknas"'
        in text
    )
    assert "Mål per perspektiv" in text


def _attention(text: str) -> str:
    start = text.index("Behöver uppmärksamhet")
    return text[start : text.index("</div>", start)]


def test_goals_not_met_worse_than_before_or_missing_values_need_attention(client, city):
    listed = _attention(client.get("/").content.decode())
    g = city.goals
    assert f'href="#mal-{g["not_met"].pk}">Trygga torg' in listed
    assert f'href="#mal-{g["assessed"].pk}">Budget i balans' in listed
    assert "Sämre än vid Tertial 1 (uppfyllt)" in listed  # met in April, close in June
    assert f'href="#mal-{g["worse"].pk}">Kompetent personal' in listed
    assert f'href="#mal-{g["missing"].pk}">Minskade utsläpp' in listed
    assert "Utfall saknas till Tertial 1 (sista dag 2026-05-15)" in listed
    assert "Nöjda medborgare" not in listed
    assert "Låg sjukfrånvaro" in listed  # no value at all: missing after the deadline too


def test_the_overview_says_so_when_nothing_needs_attention(client, world):
    card = make_scorecard(world.city)
    _goal(card, "Nöjda medborgare", make_perspectives()[0], values={1: 120})
    text = client.get("/").content.decode()
    assert "Inga mål är ej uppfyllda, försämrade eller saknar utfall efter sista dag." in text


def test_a_long_attention_list_is_cut_short_with_a_count(client, city):
    for n in range(6):
        _goal(city.card, f"Extra mål {n}", make_perspectives()[0], values={6: 1})
    listed = _attention(client.get("/").content.decode())
    assert "och 5 mål till, se perspektiven nedan" in listed  # 5 + 6 flagged, 6 shown


def test_the_unit_scorecard_page_has_the_overview_too(client, world):
    card = make_scorecard(world.unit_a)
    _goal(card, "Rent vatten", make_perspectives()[3], values={1: 10})
    text = client.get(card.get_absolute_url()).content.decode()
    assert (
        'aria-label="Framtid: 0 uppfyllt, 0 delvis uppfyllt, 1 ej uppfyllt, 0 utfall saknas"'
        in text
    )


def test_the_overview_query_count_does_not_grow_with_the_goals(client, city, count_queries):
    before = count_queries(lambda: client.get("/"))
    perspectives = make_perspectives()
    for n in range(12):
        _goal(city.card, f"Fler mål {n}", perspectives[n % 4], values={2: 50, 6: Decimal(95)})
    assert count_queries(lambda: client.get("/")) == before


def _then_both_ways(city) -> tuple[dict, dict]:
    ids = [g.pk for g in city.goals.values()]
    return cached_statuses_then(ids, city.t1, scorecard_ids=[city.card.pk]), statuses_then(
        ids, city.t1
    )


def test_the_cached_statuses_at_the_previous_occasion_follow_every_write(city, count_queries):
    """The comparison is cached under the roll-ups' version: after each kind of write it reads,
    the cached answer must still be the one evaluated afresh (and the write must move it)."""
    cached, fresh = _then_both_ways(city)
    assert cached == fresh
    assert fresh[city.goals["met"].pk] == Status.MET
    ids = [g.pk for g in city.goals.values()]
    assert (
        count_queries(lambda: cached_statuses_then(ids, city.t1, scorecard_ids=[city.card.pk])) == 1
    )  # warm: the version
    g = city.goals

    def value_in_march_drops():
        metric = g["met"].metrics.get()
        Measurement.objects.filter(indicator=metric.indicator, month__lte=4).update(value=50)
        # .update() passes the signals, as bulk writers do; they refresh what they touched
        Measurement.objects.get(indicator=metric.indicator, month=4).save()

    def target_raised():
        target = g["worse"].metrics.get().targets.get()
        target.value = 500
        target.save()

    def assessed_at_t1():
        Assessment.objects.create(goal=g["not_met"], occasion=city.t1, status="close")

    expected = [
        (value_in_march_drops, "met", Status.NOT_MET),
        (target_raised, "worse", Status.NOT_MET),
        (assessed_at_t1, "not_met", Status.CLOSE),
    ]
    for write, key, status in expected:
        write()
        cached, fresh = _then_both_ways(city)
        assert fresh[g[key].pk] == status, write.__name__
        assert cached == fresh, write.__name__


def test_the_cached_missing_values_follow_the_values_written(city, count_queries):
    """The overview's missing values are cached the same way: a value entered for a due month
    must take the goal off the list at once."""
    indicator = city.goals["missing"].metrics.get().indicator
    assert indicator.pk in cached_missing(city.card.pk, city.t1)
    assert count_queries(lambda: cached_missing(city.card.pk, city.t1)) == 1
    for month in (1, 2):
        Measurement.objects.create(
            indicator=indicator, unit=city.card.unit, year=2026, month=month, value=120
        )
        cached = cached_missing(city.card.pk, city.t1)
        assert cached == missing_indicators(city.card.pk, city.t1), month
    assert indicator.pk not in cached
