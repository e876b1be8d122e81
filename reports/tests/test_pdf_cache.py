"""PDF reports are cached by their HTML: the same content is laid out once, a change at once."""

from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from weasyprint import HTML

from followup.models import FollowUpOccasion, Measurement
from reports import pdf
from reports.tests.test_pdf import text_of


@pytest.fixture
def layouts():
    """The documents WeasyPrint laid out (``HTML.render``) during the test."""
    calls = []
    render = HTML.render

    def counting(self, *args, **kwargs):
        calls.append(self)
        return render(self, *args, **kwargs)

    with mock.patch.object(HTML, "render", counting):
        yield calls


@pytest.fixture(params=["scorecard", "followup"])
def url(request, chain):
    if request.param == "scorecard":
        return reverse("scorecard_pdf", args=[chain.city.pk])
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="Tertialrapport T1", end_month=4, deadline=date(2026, 5, 15)
    )
    return reverse("followup_pdf", args=[chain.city.pk, occasion.pk])


def at(*when):
    """Requests made at this moment (the cover shows when the report was printed)."""
    return mock.patch("django.utils.timezone.now", return_value=datetime(*when, tzinfo=UTC))


def test_the_same_report_a_minute_later_comes_from_the_cache(client, url, layouts):
    with at(2026, 5, 4, 10, 15, 3):
        first = client.get(url)
    with at(2026, 5, 4, 10, 16, 59):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert len(layouts) == 1  # laid out once: the HTML holds the date, not the time
    assert second.content == first.content
    assert "2026-05-04" in text_of(second.content)


def test_a_changed_value_shows_in_the_very_next_report(client, url, chain, layouts):
    assert "150,0" in text_of(client.get(url).content)
    value = Measurement.objects.get(indicator=chain.energy, unit=chain.city.unit, month=3)
    value.value = Decimal("147.5")
    value.save()
    text = text_of(client.get(url).content)
    assert "147,5" in text and "150,0" not in text
    assert len(layouts) == 2


def test_a_new_day_lays_the_report_out_again(client, url, layouts):
    with at(2026, 5, 4, 12, 0):
        client.get(url)
    with at(2026, 5, 5, 12, 0):
        assert "2026-05-05" in text_of(client.get(url).content)
    assert len(layouts) == 2


def test_the_key_is_the_html_weasyprint_version_and_variant():
    html = "<p>Styrkort</p>"
    assert pdf.cache_key(html) == pdf.cache_key(html)
    assert pdf.cache_key(html) != pdf.cache_key(html + " ")
    assert pdf.cache_key(html) != pdf.cache_key(html, "pdf/ua-2")
    key = pdf.cache_key(html)
    with mock.patch.object(pdf, "_weasyprint_version", return_value="0.1"):
        assert pdf.cache_key(html) != key


def test_a_failing_cache_is_a_clear_message_not_an_error(client, url, layouts):
    """The worker keeps the file in the cache: where that cannot be reached, no file can be
    handed out, and the page says so at once instead of waiting for ever (or a 500)."""
    with (
        mock.patch.object(cache, "get", side_effect=RuntimeError("no cache table")),
        mock.patch.object(cache, "set", side_effect=RuntimeError("no cache table")),
    ):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "PDF:en kunde inte tas fram" in page and "cachetabellen" in page
    assert len(layouts) == 0  # nothing laid out, in the request or queued


def test_a_layout_frees_its_boxes_at_once(client, world, url, layouts):
    """WeasyPrint's boxes point at each other; a served worker collects such garbage rarely
    (core/runtime.py), so each layout ends with a full collection to keep memory flat."""
    client.force_login(world.editor)
    with mock.patch.object(pdf.gc, "collect", wraps=pdf.gc.collect) as collect:
        client.get(url)
        client.get(url)  # from the cache: nothing to free
    assert len(layouts) == 1
    assert collect.call_count == 1
