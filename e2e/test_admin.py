"""An administrator locks a follow-up occasion; its values and assessments can no longer change
until the occasion is reopened, with a reason that is logged."""

import pytest
from playwright.sync_api import Page, expect

from followup.models import Measurement
from scorecards.models import Scorecard

from .browsing import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_locks_an_occasion_and_its_values_stay_put(page: Page, demo):
    card = Scorecard.objects.get(unit__code="ff-energi", year=2026)
    august = Measurement.objects.get(
        unit=card.unit, indicator__code="energi-lokaler", year=2026, month=8
    )

    sign_in(page, demo, "admin")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Uppföljning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljningstillfällen")
    page.get_by_role("region", name="2026").get_by_role("link", name="Delårsrapport").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delårsrapport 2026")
    expect(page.locator("main dl")).to_contain_text("Öppet")
    page.get_by_role("link", name="Lås tillfället").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lås Delårsrapport 2026?")
    expect(page.locator("main")).to_contain_text("saknar bedömning")
    check_axe(page)
    page.get_by_role("button", name="Lås tillfället").click()

    expect(page.locator(".messages")).to_contain_text("Delårsrapport 2026 är låst.")
    expect(page.locator("main dl")).to_contain_text("Låst")
    expect(
        page.get_by_role("table", name="Låsningar och öppningar, senaste först")
    ).to_contain_text("Annika Berg")
    check_axe(page)

    # August's values: shown, but the fields are disabled and there is nothing to save.
    page.goto(demo(f"/styrkort/{card.pk}/utfall/?period=2026-08"))
    expect(page.get_by_role("note")).to_contain_text("Perioden är låst")
    value = page.get_by_label("Utfall för Energianvändning i kommunala lokaler")
    expect(value).to_be_disabled()
    expect(page.get_by_role("button", name="Spara alla värden")).to_have_count(0)
    check_axe(page)
    # Even a hand-made request (the form's own fields, a new value) changes nothing.
    token = page.locator("#entry-form input[name=csrfmiddlewaretoken]").input_value()
    field = value.get_attribute("name")
    response = page.request.post(
        page.url,
        form={"csrfmiddlewaretoken": token, "period": "2026-08", field: "1"},
        headers={"Referer": page.url},
    )
    assert response.ok
    assert "låst" in response.text()
    august.refresh_from_db()
    assert august.value != 1

    # The occasion's assessments are read-only too.
    page.goto(demo(card.get_absolute_url()))
    page.get_by_role("navigation", name="Uppföljning").get_by_role(
        "link", name="Delårsrapport"
    ).click()
    expect(page.get_by_role("note")).to_contain_text("Tillfället är låst")
    expect(page.get_by_role("button", name="Spara bedömningen")).to_have_count(0)

    # Reopening needs a reason; the error is tied to its field.
    page.get_by_role("link", name="Om tillfället").click()
    page.get_by_role("link", name="Öppna igen").click()
    page.locator("main form").get_by_role("button", name="Öppna igen").click()
    reason = page.get_by_label("Skäl till att tillfället öppnas igen")
    expect(reason).to_have_attribute("aria-invalid", "true")
    described = reason.get_attribute("aria-describedby").split()
    assert any(page.locator(f"#{i}").inner_text().strip() for i in described if "error" in i)
    check_axe(page)
    reason.fill("Rättelse av sjukfrånvaron efter revisionens granskning.")
    page.locator("main form").get_by_role("button", name="Öppna igen").click()
    expect(page.locator(".messages")).to_contain_text("är öppnat igen")
    expect(page.locator("main dl")).to_contain_text("Öppet")
