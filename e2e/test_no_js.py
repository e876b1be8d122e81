"""Without JavaScript the pages still read and the forms still submit: HTMX only enhances."""

import pytest
from playwright.sync_api import Page, expect

from followup.models import Assessment, Measurement, SummaryAnalysis
from scorecards.models import Scorecard

from .browsing import ENERGY_GOAL, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page(new_context) -> Page:
    return new_context(java_script_enabled=False).new_page()


def test_without_javascript_the_pages_read(page: Page, demo):
    page.goto(demo("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadens styrkort 2026")
    expect(page.locator(".perspective")).to_have_count(4)
    page.get_by_role(
        "link", name="Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Målkedja")
    page.get_by_role("region", name="Mål som bidrar").locator("a.chain-goal").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Målkedja")

    card = Scorecard.objects.get(unit__code="ff-energi", year=2026)
    page.goto(demo(card.get_absolute_url()))
    page.get_by_role("link", name="Energianvändning i kommunala lokaler").first.click()
    expect(page.locator("svg.trend-chart")).to_be_visible()
    expect(page.get_by_role("table", name="Utfall och målvärden")).to_be_visible()

    # The language switch is a form too.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Svenska")).to_be_visible()


def test_without_javascript_values_and_assessments_are_saved(page: Page, demo):
    card = Scorecard.objects.get(unit__code="ff-energi", year=2026)
    sign_in(page, demo, "rapportor", next=f"/styrkort/{card.pk}/utfall/?period=2026-11")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Utfall november 2026 – Energienheten"
    )

    # A bad value: the page comes back with the error next to its field, nothing saved.
    energy = page.get_by_label("Utfall för Energianvändning i kommunala lokaler")
    sick = page.get_by_label("Utfall för Sjukfrånvaro")
    energy.fill("147")
    sick.fill("sex")
    page.get_by_role("button", name="Spara alla värden").click()
    expect(page.locator(".error-summary")).to_contain_text("Inget sparades.")
    expect(sick).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".error-summary")).to_be_focused()  # autofocus needs no script
    assert not Measurement.objects.filter(unit=card.unit, year=2026, month=11).exists()

    sick.fill("6,1")
    page.get_by_role("button", name="Spara alla värden").click()
    expect(page.locator(".messages")).to_contain_text("2 värden sparade.")
    assert Measurement.objects.filter(unit=card.unit, year=2026, month=11).count() == 2

    # The follow-up form posts and comes back to the goal.
    page.goto(demo(card.get_absolute_url()))
    page.get_by_role("navigation", name="Uppföljning").get_by_role(
        "link", name="Årsredovisning"
    ).click()
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=ENERGY_GOAL))
    goal.locator("label", has_text="(förslaget)").click()
    goal.get_by_label("Analys").fill("Skrivet utan JavaScript.")
    goal.get_by_role("button", name="Spara bedömningen").click()
    expect(page.locator(".messages")).to_contain_text("Bedömningen av målet har sparats.")
    assert Assessment.objects.get(goal__title=ENERGY_GOAL, goal__scorecard=card).analysis == (
        "Skrivet utan JavaScript."
    )
    summary = page.get_by_role("region", name="Sammanfattande analys")
    summary.get_by_label("Sammanfattande analys").fill("Sammanfattat utan JavaScript.")
    summary.get_by_role("button", name="Spara analysen").click()
    expect(page.locator(".messages")).to_contain_text("Den sammanfattande analysen har sparats.")
    assert SummaryAnalysis.objects.get(scorecard=card).text == "Sammanfattat utan JavaScript."


def test_the_main_menu_folds_on_a_phone_and_opens_without_javascript(page: Page, demo):
    """14 links took six lines of header at 375 px: there they sit behind a "Meny" toggle (a
    <details>, so no script), reachable by keyboard; at 1440 px they are shown as before."""
    sign_in(page, demo, "admin")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    page.set_viewport_size({"width": 375, "height": 800})
    expect(nav.get_by_role("link", name="Ekonomi")).to_be_hidden()
    toggle = nav.locator("summary", has_text="Meny")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(nav.get_by_role("link", name="Ekonomi")).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="Stadens styrkort")).to_be_focused()
    nav.get_by_role("link", name="Internkontroll").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Internkontroll")

    page.set_viewport_size({"width": 1440, "height": 900})
    expect(toggle).to_be_hidden()
    expect(nav.get_by_role("link", name="Ekonomi")).to_be_visible()
