"""The KPI catalogue: shipped CSV, derived units, search, and the loading command."""

import pytest
from django.core.management import CommandError, call_command

from kolada.catalogue import SHIPPED_CATALOGUE, CatalogueError, catalogue_load, unit_from_title
from kolada.models import KoladaKpi

from .conftest import KPI_META, recorded


def test_the_shipped_catalogue_is_a_reasonable_size():
    size = SHIPPED_CATALOGUE.stat().st_size
    assert 1_000_000 < size < 5_000_000  # ~3.6 MB for ~6,100 KPIs


@pytest.mark.parametrize(
    "title, unit",
    [
        ("Sjukfrånvaro totalt bland anställda, kommun, andel (%)", "%"),
        ("Årets resultat som andel av skatt & generella statsbidrag kommun, (%)", "%"),
        ("Utsläpp till luft av växthusgaser totalt, ton CO2-ekv/inv", "ton CO2-ekv/inv"),
        ("Personalkostnader, kr/inv", "kr/inv"),
        ("Elever i åk 9, andel (%) (-2024)", "%"),
        ("Invånare totalt, antal", "antal"),
        ("Trygghet och säkerhet - Kommunindex", ""),
        ("Något, Nej=0", ""),
    ],
)
def test_unit_from_title(title, unit):
    assert unit_from_title(title) == unit


def test_the_command_loads_the_shipped_catalogue(db, capsys):
    call_command("kolada_catalogue")
    assert KoladaKpi.objects.count() == 6099
    kpi = KoladaKpi.objects.get(id="N00090")
    assert kpi.is_divided_by_gender
    assert kpi.unit == "%"
    assert kpi.operating_area == "Kommunen, övergripande"
    assert "6099 KPI:er laddade" in capsys.readouterr().out


def test_loading_twice_updates_in_place(db):
    call_command("kolada_catalogue")
    KoladaKpi.objects.filter(id="N00090").update(title="Gammal titel")
    call_command("kolada_catalogue")
    assert KoladaKpi.objects.count() == 6099
    assert KoladaKpi.objects.get(id="N00090").title.startswith("Sjukfrånvaro")


def test_a_missing_file_is_a_clear_error(db, tmp_path):
    with pytest.raises(CommandError, match="finns inte"):
        call_command("kolada_catalogue", from_file=tmp_path / "saknas.csv")


def test_a_file_without_the_columns_changes_nothing(db, tmp_path):
    catalogue_load(records=[{"id": "N00090", "title": "Sjukfrånvaro"}])
    bad = tmp_path / "fel.csv"
    bad.write_text("namn;värde\nx;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="saknar kolumnerna"):
        call_command("kolada_catalogue", from_file=bad)
    assert list(KoladaKpi.objects.values_list("id", flat=True)) == ["N00090"]


def test_a_bad_row_loads_nothing(db):
    with pytest.raises(CatalogueError):
        catalogue_load(records=[{"id": "N1", "title": "Bra"}, {"id": "", "title": "Utan id"}])
    assert not KoladaKpi.objects.exists()


def test_refresh_loads_from_the_api_and_removes_what_is_gone(
    db, kolada_server, kolada_settings, capsys
):
    catalogue_load(records=[{"id": "N00001", "title": "Borttagen"}])
    kolada_server.expect_request("/v3/kpi").respond_with_data(recorded(KPI_META))
    call_command("kolada_catalogue", refresh=True)
    assert sorted(KoladaKpi.objects.values_list("id", flat=True)) == [
        "N00090",
        "N00401",
        "N03102",
        "N15428",
    ]
    assert "1 borttagna" in capsys.readouterr().out


def test_refresh_when_kolada_is_down_keeps_the_catalogue(db, kolada_server, kolada_settings):
    catalogue_load(records=[{"id": "N00090", "title": "Sjukfrånvaro"}])
    kolada_server.expect_request("/v3/kpi").respond_with_data("{", status=200)
    with pytest.raises(CommandError, match="Katalogen laddades inte"):
        call_command("kolada_catalogue", refresh=True)
    assert KoladaKpi.objects.count() == 1


@pytest.mark.parametrize(
    "query, first",
    [("N00090", "N00090"), ("n00090", "N00090"), ("årets resultat", "N03102"), ("ÅRETS", "N03102")],
)
def test_search_by_id_or_title_in_any_case(catalogue, query, first):
    assert KoladaKpi.objects.search(query).first().id == first


def test_search_needs_every_word(catalogue):
    assert list(KoladaKpi.objects.search("växthusgaser ton").values_list("id", flat=True)) == [
        "N00401"
    ]
    assert not KoladaKpi.objects.search("växthusgaser skola").exists()
