"""The Kolada comparison beside the value on the assessment form (the follow-up page): only for
metrics with a Kolada KPI, the same figures as the trend page, and a constant number of queries
however many metrics have one."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.site import site_settings
from core.testing import make_goal, make_indicator, make_metric, make_scorecard
from followup.comparison import kolada_comparison, kolada_comparisons
from followup.models import FollowUpOccasion
from kolada.benchmark import comparison_group_id
from kolada.models import KoladaMunicipality, KoladaMunicipalityGroup, KoladaValue

MEMBERS = ("0180", "1480", "1280")


@pytest.fixture
def cache(db, settings):
    """Cached values for two KPIs: us, three comparison municipalities and Riket."""
    settings.KOLADA_COMPARISON_GROUP = "G1"
    group = KoladaMunicipalityGroup.objects.create(id=comparison_group_id(), title="Storstäder")
    for m in MEMBERS:
        group.members.add(KoladaMunicipality.objects.create(id=m, title=f"Kommun {m}"))
    own = site_settings().kolada_id
    rows = {"N00090": [own, *MEMBERS, "0000"], "N00091": [own, "0180", "0000"]}
    for kpi, municipalities in rows.items():
        for i, m in enumerate(municipalities):
            for year in (2023, 2024):
                KoladaValue.objects.create(
                    kpi=kpi, municipality=m, year=year, gender="T", value=Decimal(5 + i + year % 2)
                )
    KoladaValue.objects.create(  # a newer year only a member has: not ours, so not shown
        kpi="N00090", municipality="0180", year=2025, gender="T", value=Decimal(1)
    )
    return own


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertial 1", end_month=4, deadline=date(2026, 5, 15)
    )


def _card(world, kpis):
    card = make_scorecard(world.unit_a)
    for i, kpi in enumerate(kpis):
        goal = make_goal(card, f"Mål {i}")
        make_metric(goal, make_indicator(f"Mätetal {i}", kolada_kpi=kpi))
    return card


def test_the_grouped_read_gives_the_same_figures_as_one_by_one(world, cache):
    indicators = [
        make_indicator("Med", kolada_kpi="N00090", direction="higher"),
        make_indicator("Lägre", kolada_kpi="n00091 ", direction="lower"),
        make_indicator("Utan"),
        make_indicator("Okänd", kolada_kpi="U99999"),
    ]
    found = kolada_comparisons(indicators)
    assert set(found) == {indicators[0].pk, indicators[1].pk}
    for indicator in indicators:
        assert found.get(indicator.pk) == kolada_comparison(indicator), indicator.name
    first = found[indicators[0].pk]
    assert first.year == 2024 and first.rank == (4, 4) and first.riket == Decimal(9)
    assert first.group_mean == Decimal(7)  # (6 + 7 + 8) / 3 in 2024


def test_the_follow_up_page_shows_the_comparison_beside_the_value(world, cache, occasion):
    card = _card(world, ["N00090", ""])
    client = Client()
    client.force_login(world.reporter)
    page = client.get(reverse("scorecard_followup", args=[card.pk, occasion.pk])).text
    assert page.count('class="kolada-comparison"') == 1  # only the metric with a KPI
    assert "Kolada N00090, 2024:" in page and "plats 4 av 4" in page


def _queries(client, card, occasion) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("scorecard_followup", args=[card.pk, occasion.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_comparison_costs_the_same_for_one_metric_or_many(world, cache, occasion):
    client = Client()
    client.force_login(world.reporter)
    one = _card(world, ["N00090"])
    _queries(client, one, occasion)  # warm caches (site settings, scale)
    few = _queries(client, one, occasion)
    one.delete()
    many = _card(world, ["N00090", "N00091", "N00090", "N00091"])
    page = client.get(reverse("scorecard_followup", args=[many.pk, occasion.pk])).text
    assert page.count('class="kolada-comparison"') == 4
    assert _queries(client, many, occasion) == few
