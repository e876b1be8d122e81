"""Linking an indicator to a Kolada KPI."""

from django.urls import reverse

from core.testing import make_indicator
from scorecards.models import Frequency, Source


def url(indicator):
    return reverse("indicator_link_kpi", args=[indicator.pk])


def test_an_editor_links_a_kpi(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro", unit="", frequency=Frequency.TERTIAL)
    client.force_login(world.editor)
    response = client.post(url(indicator), {"kpi": "n00090"}, follow=True)
    indicator.refresh_from_db()
    assert (indicator.kolada_kpi, indicator.source) == ("N00090", Source.KOLADA)
    assert indicator.frequency == Frequency.YEARLY
    assert indicator.unit == "%"
    text = response.content.decode()
    assert "hämtar nu sina värden från Kolada-KPI N00090" in text
    assert "Frekvensen är ändrad till år" in text


def test_an_indicator_with_a_unit_keeps_it(client, world, catalogue):
    indicator = make_indicator("Utsläpp", unit="ton/inv")
    client.force_login(world.admin)
    client.post(url(indicator), {"kpi": "N00401"})
    indicator.refresh_from_db()
    assert indicator.unit == "ton/inv"


def test_an_unknown_kpi_changes_nothing(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    client.force_login(world.editor)
    response = client.post(url(indicator), {"kpi": "X1"}, follow=True)
    indicator.refresh_from_db()
    assert indicator.kolada_kpi == ""
    assert "finns inte i katalogen" in response.content.decode()


def test_a_reader_may_not_link(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    client.force_login(world.reader)
    assert client.post(url(indicator), {"kpi": "N00090"}).status_code == 403


def test_a_reporter_may_not_link(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    client.force_login(world.reporter)
    assert client.post(url(indicator), {"kpi": "N00090"}).status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    response = client.post(url(indicator), {"kpi": "N00090"})
    assert response.status_code == 302
    assert "logga-in" in response.url


def test_get_is_not_allowed(client, world, catalogue):
    indicator = make_indicator("Sjukfrånvaro")
    client.force_login(world.editor)
    assert client.get(url(indicator)).status_code == 405
