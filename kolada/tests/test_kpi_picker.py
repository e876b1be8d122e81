"""The KPI picker: search with a plain GET form, HTMX partial results, link buttons for editors."""

from django.urls import reverse

from core.testing import make_indicator

URL = reverse("kpi_picker")


def test_it_finds_kpis_by_title_for_anyone(client, catalogue):
    response = client.get(URL, {"q": "sjukfrånvaro"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "N00090" in text
    assert "Sjukfrånvaro totalt bland anställda" in text
    assert "1 träff." in text


def test_it_shows_unit_gender_split_and_description(client, catalogue):
    text = client.get(URL, {"q": "N00090"}).content.decode()
    assert "Uppdelad på kön" in text
    assert "Ja (kvinnor och män)" in text
    assert "ackumulerad under året" in text
    assert "<dd>%</dd>" in text


def test_the_form_works_without_javascript(client, catalogue):
    text = client.get(URL).content.decode()
    assert 'method="get"' in text
    assert 'action="/kolada/kpi/"' in text
    assert 'hx-get="/kolada/kpi/"' in text
    assert '<label for="kpi-q">' in text


def test_an_htmx_request_gets_only_the_results(client, catalogue):
    response = client.get(URL, {"q": "växthusgaser"}, headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "N00401" in text
    assert "<html" not in text
    assert 'role="status"' in text


def test_an_empty_catalogue_says_how_to_load_it(client, db):
    assert "kolada_catalogue" in client.get(URL).content.decode()


def test_an_editor_coming_from_an_indicator_gets_link_buttons(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    client.force_login(world.editor)
    text = client.get(URL, {"q": "N00090", "indicator": indicator.pk}).content.decode()
    assert reverse("indicator_link_kpi", args=[indicator.pk]) in text
    assert "Koppla N00090 till ”Sjukfrånvaro”" in text


def test_a_reader_gets_no_link_buttons(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    client.force_login(world.reader)
    text = client.get(URL, {"q": "N00090", "indicator": indicator.pk}).content.decode()
    assert reverse("indicator_link_kpi", args=[indicator.pk]) not in text


def test_the_query_count_does_not_grow_with_the_hits(client, catalogue, count_queries):
    few = count_queries(lambda: client.get(URL, {"q": "N00090"}))
    many = count_queries(lambda: client.get(URL, {"q": "kommun"}))
    assert few == many
