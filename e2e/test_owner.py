"""An owner (redaktör) makes a unit's scorecard from its parent's, links goals, sets targets, adopts
it and copies it to the next year."""

import pytest
from playwright.sync_api import Browser, Page, expect

from demo.city import DRIFT_CITIZENS, DRIFT_ENERGY, STAFF
from scorecards.models import Scorecard, ScorecardStatus

from .browsing import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
OWN_GOAL = "Fastighetsservice ska ha friska och engagerade medarbetare"


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def test_an_owner_builds_and_adopts_a_units_scorecard(page: Page, demo, browser: Browser):
    sign_in(page, demo, "redaktor", next="/organisation/ff-service/")
    page.get_by_role("link", name="Skapa styrkort för 2026").click()

    # From the parent's scorecard: two of the department's goals are taken over.
    expect(heading(page)).to_have_text("Nytt styrkort för Fastighetsservice")
    expect(page.get_by_label("År")).to_have_value("2026")
    take_over = page.get_by_role("group", name="Ta över mål från Drift- och underhållsavdelningen")
    take_over.get_by_label(DRIFT_CITIZENS).check()
    take_over.get_by_label(DRIFT_ENERGY).check()
    check_axe(page)
    page.get_by_role("button", name="Skapa styrkort").click()

    expect(heading(page)).to_have_text("Styrkort 2026 – Fastighetsservice")
    expect(page.locator(".badge").first).to_have_text("Utkast")
    taken = page.locator("article.goal").filter(
        has=page.get_by_role("heading", name=DRIFT_CITIZENS)
    )
    expect(taken.locator(".chain-links")).to_contain_text(f"Bidrar till: {DRIFT_CITIZENS}")

    # A goal of its own, linked up the chain to the department's staff goal.
    page.get_by_role("link", name="Nytt mål").click()
    page.get_by_label("Perspektiv").select_option(label="Organisation")
    page.get_by_label("Mål:", exact=True).fill(OWN_GOAL)
    page.get_by_role("button", name="Spara").click()
    own = page.locator("article.goal").filter(has=page.get_by_role("heading", name=OWN_GOAL))
    own.get_by_role("link", name="Koppla i målkedjan").click()
    expect(heading(page)).to_contain_text("i målkedjan")
    check_axe(page)
    department = page.get_by_role("group", name="Drift- och underhållsavdelningen")
    department.get_by_label(STAFF, exact=False).check()
    page.get_by_role("button", name="Spara").click()
    expect(own.locator(".chain-links")).to_contain_text(f"Bidrar till: {STAFF}")

    # A metric with its 2026 target on the taken-over goal.
    taken.get_by_role("link", name="Lägg till mätetal").click()
    page.get_by_label("Mätetal").select_option(
        label="Andel felanmälningar åtgärdade inom 5 arbetsdagar (%)"
    )
    target = page.get_by_role("group", name="Målvärde för 2026")
    target.get_by_label("minst (≥)").check()
    target.get_by_label("Målvärde:", exact=True).fill("90")
    target.get_by_label("Tolerans").fill("5")
    check_axe(page)
    page.get_by_role("button", name="Spara").click()
    metric_row = taken.get_by_role("row").filter(has_text="Andel felanmälningar")
    expect(metric_row).to_contain_text("minst 90,0 %")

    # Adopt it with the decision; a citizen can read it now.
    page.locator(".toolbar").get_by_role("link", name="Fastställ").click()
    page.get_by_label("Beslutande organ").fill("Enhetschefen")
    page.get_by_label("Paragraf").fill("§ 12")
    page.get_by_label("Diarienummer").fill("FF 2026/00123")
    check_axe(page)
    page.locator("main form").first.get_by_role("button", name="Fastställ").click()
    expect(heading(page)).to_have_text("Styrkort 2026 – Fastighetsservice")
    expect(page.locator(".badge").first).to_have_text("Fastställt")
    expect(page.locator(".decision").first).to_contain_text("Enhetschefen")
    card = Scorecard.objects.get(unit__code="ff-service", year=2026)
    assert card.status == ScorecardStatus.ADOPTED
    assert card.goals.count() == 3

    citizen = browser.new_context()
    public = citizen.new_page()
    public.goto(demo(card.get_absolute_url()))
    expect(public.get_by_role("heading", name=OWN_GOAL)).to_be_visible()
    citizen.close()

    # Next year's work starts from a copy.
    page.get_by_role("link", name="Kopiera till nästa år").click()
    expect(page.get_by_label("År")).to_have_value("2027")
    check_axe(page)
    page.locator("main form").get_by_role("button", name="Kopiera").click()
    expect(heading(page)).to_have_text("Styrkort 2027 – Fastighetsservice")
    expect(page.locator("article.goal")).to_have_count(3)
