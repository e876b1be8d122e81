"""Benchmarks: rank, the comparison table from the cache, the page, and refreshing it."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.testing import make_indicator
from kolada.benchmark import benchmark, benchmark_refresh, parse_municipalities, rank
from kolada.charts import benchmark_svg
from kolada.models import KoladaValue
from scorecards.models import Direction

from .conftest import DATA_3KPI, MUNICIPALITIES, envelope, recorded, riket_rows, serve_sync


@pytest.mark.parametrize(
    "values, direction, expected",
    [
        ({"a": 1, "b": 2, "c": 3}, Direction.HIGHER, (3, 3)),
        ({"a": 1, "b": 2, "c": 3}, Direction.LOWER, (1, 3)),
        ({"a": 2, "b": 2, "c": 1}, Direction.HIGHER, (1, 3)),  # ties share a place
        ({"b": 2, "c": 3}, Direction.HIGHER, None),  # we have no value
        ({"a": 1, "b": 2}, Direction.RANGE, None),  # "better" is not defined
    ],
)
def test_rank(values, direction, expected):
    values = {k: Decimal(v) for k, v in values.items()}
    assert rank(values, "a", direction) == expected


def test_parse_municipalities_accepts_comma_lists_and_repeats():
    assert parse_municipalities(["0581,1880", "1880", " 2180 "]) == (["0581", "1880", "2180"], [])
    assert parse_municipalities(["0581,abc,12345"]) == (["0581"], ["abc", "12345"])
    assert parse_municipalities(["0581 1880"]) == (["0581", "1880"], [])


@pytest.fixture
def cached(kolada_server, make_client, kolada_settings, db):
    """The recorded values for five municipalities plus Riket's real ones, in the cache."""
    body = json.loads(recorded(DATA_3KPI))
    body["values"] += riket_rows(["N00090", "N03102", "N00401"])
    kolada_server.expect_request(re.compile(r"^/v3/municipality/.+")).respond_with_data(
        recorded(MUNICIPALITIES)
    )
    kolada_server.expect_request(re.compile(r"^/v3/data/.+")).respond_with_json(
        json.loads(json.dumps(body))
    )
    for kpi in ("N00090", "N03102", "N00401"):
        benchmark_refresh(
            kpi=kpi,
            municipalities=["1283", "0581", "1880", "1980", "2180", "0000"],
            client=make_client(),
        )


COMPARISON = ["0581", "1880", "1980", "2180"]


def test_the_table_has_us_the_members_their_mean_and_riket(cached):
    result = benchmark(kpi="N00090", own="1283", comparison=COMPARISON, direction=Direction.LOWER)
    total = result.tables[0]
    assert [r.kind for r in total.rows] == [
        "own",
        "member",
        "member",
        "member",
        "member",
        "mean",
        "riket",
    ]
    assert total.own.name == "Helsingborg"
    assert total.row("riket").name == "Riket"
    assert result.years == [2018, 2019, 2020, 2021, 2022]  # Riket's earlier years add no column
    assert total.own.values[result.years.index(2022)] == Decimal("7.1")


def test_a_gender_split_kpi_has_tables_for_women_and_men(cached):
    result = benchmark(kpi="N00090", own="1283", comparison=COMPARISON, direction=Direction.LOWER)
    assert [t.gender for t in result.tables] == ["T", "K", "M"]


def test_a_kpi_not_split_by_gender_has_one_table(cached):
    result = benchmark(kpi="N03102", own="1283", comparison=COMPARISON, direction=Direction.HIGHER)
    assert [t.gender for t in result.tables] == ["T"]


def test_the_mean_leaves_out_a_member_without_a_value(cached):
    result = benchmark(kpi="N00090", own="1283", comparison=COMPARISON, direction=Direction.LOWER)
    total, i = result.tables[0], result.years.index(2019)
    members = [r.values[i] for r in total.rows if r.kind == "member" and r.values[i] is not None]
    assert len(members) == 3  # Norrköping has no 2019 value
    assert total.row("mean").values[i] == (sum(members) / 3).quantize(Decimal("0.0001"))


def test_our_rank_per_year_counts_only_those_with_values(cached):
    result = benchmark(kpi="N00090", own="1283", comparison=COMPARISON, direction=Direction.LOWER)
    ranks = dict(zip(result.years, result.tables[0].ranks, strict=True))
    assert ranks[2019][1] == 4
    assert ranks[2022][1] == 5
    assert 2015 not in ranks


def test_members_without_any_value_are_named(cached):
    result = benchmark(
        kpi="N00090", own="1283", comparison=["0126", *COMPARISON], direction=Direction.LOWER
    )
    assert result.without_values == ["0126"]


def test_the_chart_is_svg_with_a_text_alternative(cached):
    result = benchmark(kpi="N00090", own="1283", comparison=COMPARISON, direction=Direction.LOWER)
    svg = benchmark_svg(title="Sjukfrånvaro", unit="%", years=result.years, table=result.tables[0])
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg
    assert "Helsingborg: 6,4\u00a0% (2018) → 7,1\u00a0% (2022)." in svg
    assert "2022 på plats 1 av 5 bland oss och jämförelsekommunerna (1 = bäst)." in svg


def test_the_chart_escapes_names():
    from kolada.benchmark import GenderTable, Row

    table = GenderTable("T", "Totalt", [Row("1", "<b>&</b>", "own", [Decimal(1)])], [None])
    assert "<b>" not in benchmark_svg(title="<x>", unit="", years=[2020], table=table)


# ── The page ──────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def sick(db):
    return make_indicator("Sjukfrånvaro", kolada_kpi="N00090", direction=Direction.LOWER, unit="%")


def page(indicator):
    return reverse("benchmark", args=[indicator.pk])


def test_the_page_shows_the_comparison_from_the_cache(client, cached, sick, settings):
    settings.KOLADA_COMPARISON_GROUP = "G0"
    text = client.get(page(sick), {"m": "0581,1880,1980,2180"}).content.decode()
    assert "Helsingborg" in text and "Västerås" in text and "Riket" in text
    assert "Källa: Kolada" in text
    assert '<th scope="row">' in text and '<th scope="col" class="num">2022</th>' in text
    assert "av 5" in text
    assert "<svg" in text
    assert "Kvinnor" in text and "Män" in text
    assert "(vår kommun)" in text


def test_the_default_comparison_is_the_groups_members(
    client, cached, sick, kolada_server, kolada_city, make_client
):
    serve_sync(kolada_server)
    from kolada.sync import kolada_sync

    assert kolada_sync(client=make_client()).ok
    text = client.get(page(sick)).content.decode()
    assert "Gävle" in text
    assert "Inga hämtade värden för: Borås, Haninge, Huddinge." in text


def test_the_user_picks_the_comparison(client, cached, sick):
    text = client.get(page(sick), {"m": "0581"}).content.decode()
    compared = text[: text.index("<datalist")]  # the list to choose from names them all
    assert "Norrköping" in compared
    assert "Gävle" not in compared
    assert "av 2" in text


def test_municipalities_are_chosen_by_name(client, cached, sick):
    assert parse_municipalities(["Norrköping, Malmö stad", "upplands väsby"]) == (
        ["0581", "1280", "0114"],
        [],
    )
    text = client.get(page(sick), {"m": ["0581", "Västerås"]}).content.decode()
    chosen = text[text.index("<fieldset") : text.index("</fieldset>")]
    assert 'value="0581" id="bm-0581" checked' in chosen and "Norrköping" in chosen
    assert 'value="1980" id="bm-1980" checked' in chosen and "Västerås" in chosen
    assert '<datalist id="bm-names">' in text and '<option value="Linköping">' in text
    assert "av 3" in text


def test_unknown_names_are_named(client, cached, sick):
    text = client.get(page(sick), {"m": "0581,Atlantis"}).content.decode()
    assert "Okända kommuner hoppades över: Atlantis" in text


def test_the_chart_text_is_at_least_12_px_and_never_shrinks(cached):
    result = benchmark(kpi="N00090", own="1283", comparison=COMPARISON, direction=Direction.LOWER)
    svg = benchmark_svg(title="S", unit="%", years=result.years, table=result.tables[0])
    sizes = {int(size) for size in re.findall(r'font-size="(\d+)"', svg)}
    assert sizes and min(sizes) >= 12
    assert "max-width:100%" not in svg  # scaled down on a phone its text would be ~6 px


def test_without_cached_values_the_page_says_so(client, sick):
    text = client.get(page(sick)).content.decode()
    assert "Inga Kolada-värden är hämtade" in text


def test_an_indicator_without_kpi_has_nothing_to_compare(client, db):
    indicator = make_indicator("Energi")
    assert "inte kopplat till någon Kolada-KPI" in client.get(page(indicator)).content.decode()


def test_the_page_reads_only_the_database(client, cached, sick, kolada_server):
    kolada_server.clear()
    client.get(page(sick), {"m": "0581,1880"})
    assert kolada_server.log == []


def test_the_page_has_a_fixed_query_count(client, cached, sick, count_queries):
    two = count_queries(lambda: client.get(page(sick), {"m": "0581"}))
    four = count_queries(lambda: client.get(page(sick), {"m": "0581,1880,1980,2180"}))
    assert two == four


def test_an_editor_refreshes_from_kolada(client, world, sick, kolada_server, kolada_settings):
    kolada_server.expect_request("/v3/municipality/1283,0581,0000").respond_with_data(
        recorded(MUNICIPALITIES)
    )
    kolada_server.expect_request(
        "/v3/data/kpi/N00090/municipality/1283,0581,0000"
    ).respond_with_data(recorded(DATA_3KPI))
    client.force_login(world.editor)
    response = client.post(page(sick) + "?m=0581", follow=True)
    assert "värden hämtade från Kolada" in response.content.decode()
    assert KoladaValue.objects.filter(kpi="N00090").exists()


def test_a_failed_refresh_keeps_the_cache_and_says_why(
    client, world, sick, kolada_server, kolada_settings
):
    KoladaValue.objects.create(kpi="N00090", municipality="1283", year=2022, gender="T", value=7)
    kolada_server.expect_request(re.compile(r"^/v3/municipality/.+")).respond_with_json(
        envelope([])
    )
    kolada_server.expect_request(re.compile(r"^/v3/data/.+")).respond_with_data("{trasig")
    client.force_login(world.editor)
    response = client.post(page(sick) + "?m=0581", follow=True)
    assert "Jämförelsen kunde inte hämtas" in response.content.decode()
    assert KoladaValue.objects.get().value == 7


def test_a_reader_may_not_refresh(client, world, sick):
    client.force_login(world.reader)
    assert client.post(page(sick)).status_code == 403


def test_anonymous_may_not_refresh(client, sick):
    assert client.post(page(sick)).status_code == 403


# ── Faults named: who lacks data, a truthful caption, no "1 av 1" ─────────────────────────────


def figcaption(text: str) -> str:
    return re.search(r"<figcaption[^>]*>(.*?)</figcaption>", text, re.S).group(1)


def test_a_rank_among_one_is_no_rank():
    assert rank({"a": Decimal(1)}, "a", Direction.HIGHER) is None


def test_a_comparison_without_values_shows_no_1_av_1(client, cached, sick):
    text = client.get(page(sick), {"m": "0126"}).content.decode()
    assert "1 av 1" not in text
    assert "ingen placering" in text
    assert "Inga hämtade värden för: 0126." in text
    assert "Ett år utan värde för någon jämförelsekommun får ingen placering." in text


def test_the_caption_names_each_drawn_series(client, cached, sick):
    text = client.get(page(sick), {"m": "0581,1880"}).content.decode()
    assert figcaption(text) == (
        "Diagrammet gäller: Totalt. Heldragen linje med cirklar: Helsingborg. "
        "Streckad linje med kvadrater: Medel för jämförelsekommunerna. "
        "Prickad linje med trianglar: Riket. Tabellen nedan har alla värden. Källa: Kolada"
    )


def test_riket_without_values_is_named_and_left_out_of_the_caption(client, cached, sick):
    KoladaValue.objects.filter(municipality="0000").delete()
    text = client.get(page(sick), {"m": "0581,1880"}).content.decode()
    assert "Inga hämtade värden för: Riket." in text
    caption = figcaption(text)
    assert "Prickad linje" not in caption
    assert "Utan linje, eftersom värden saknas: Riket." in caption
    assert "series-riket" not in text


def test_without_comparison_values_the_caption_draws_only_us(client, cached, sick):
    KoladaValue.objects.filter(municipality="0000").delete()
    text = client.get(page(sick), {"m": "0126"}).content.decode()
    caption = figcaption(text)
    assert "Heldragen linje med cirklar: Helsingborg." in caption
    assert "Streckad" not in caption and "Prickad" not in caption
    assert "Inga hämtade värden för: 0126, Riket." in text


def test_years_without_a_value_are_named_per_municipality(client, cached, sick):
    KoladaValue.objects.filter(municipality="0000", year=2022).delete()
    text = client.get(page(sick), {"m": "0581,1880"}).content.decode()
    assert "Värden saknas för vissa år: Norrköping (2019); Riket (2022)." in text
