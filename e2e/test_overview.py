"""Issue 20, items 1-3 in a browser: a reporter lands on "Att göra" after signing in and reaches
the value-entry form in one click; the scorecard overview, "Att göra" and an occasion's progress
pass axe and fit at 375 and 1440 px (screenshots in artifacts/screenshots/)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from demo.city import DEMO_PASSWORD
from followup.models import FollowUpOccasion
from scorecards.models import Scorecard

from .browsing import (
    NARROW,
    REPORT,
    SCREENSHOTS,
    WIDE,
    assert_no_horizontal_scroll,
    check_axe,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def patient(page: Page):
    """The city's first page computes its roll-ups once; on a busy machine that takes a while."""
    page.set_default_timeout(60_000)


def test_a_reporter_reaches_the_entry_form_from_att_gora_in_one_click(page: Page, demo):
    page.set_viewport_size({"width": NARROW, "height": 800})
    page.goto(demo("/"))
    page.locator(".site-header").get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill("rapportor")
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Logga in").click()

    expect(page).to_have_url(re.compile(r"/att-gora/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Att göra")
    check_axe(page, who="rapportor")
    assert_no_horizontal_scroll(page)
    screenshot(page, f"{NARROW}-rapportor-todo")
    page.set_viewport_size({"width": WIDE, "height": 900})
    screenshot(page, f"{WIDE}-rapportor-todo")

    page.locator(".todo-list a", has_text="Registrera utfall").first.click()  # the one click
    expect(page).to_have_url(re.compile(r"/styrkort/\d+/utfall/\?period=\d{4}-\d{2}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utfall")
    expect(page.locator("table.entry")).to_be_visible()


def test_the_overview_and_the_occasion_progress_at_both_widths(page: Page, demo):
    sign_in(page, demo, "admin")
    card = Scorecard.objects.get(unit__code="ff-energi", year=2026)
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=8)
    pages = {
        "city-overview": "/",
        "unit-overview": card.get_absolute_url(),
        "occasion-progress": reverse("occasion_detail", args=[occasion.pk]) + "?sort=utfall",
    }
    for name, address in pages.items():
        for width, height in ((WIDE, 900), (NARROW, 800)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(demo(address))
            check_axe(page, who="admin")
            assert_no_horizontal_scroll(page)
            screenshot(page, f"{width}-admin-{name}")
            if name.endswith("overview"):  # the overview alone fits one screen
                summary = page.locator("section[aria-labelledby=summary-heading]")
                box = summary.bounding_box()
                assert box["height"] <= height, (name, width, box)
                _element_shot(summary, f"{width}-admin-{name}-summary")
    # The overview's bars are images with their counts as text.
    page.goto(demo("/"))
    bars = page.locator("svg.status-bar[role=img]")
    expect(bars.first).to_have_attribute("aria-label", re.compile(r"^\S+: \d+ uppfyllt"))
    page.goto(demo(pages["occasion-progress"]))
    expect(page.locator("table.progress")).to_contain_text("av")
    page.get_by_role("link", name="Flest obedömda mål").click()
    expect(page).to_have_url(re.compile(r"\?sort=bedomning"))


def _element_shot(locator, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    locator.screenshot(path=str(path), timeout=60_000)  # an artifact: see browsing.screenshot
    REPORT.screenshots.append(str(path.relative_to(SCREENSHOTS.parent.parent)))


def test_the_overview_prints(page: Page, demo):
    page.goto(demo("/"))
    page.emulate_media(media="print")
    expect(page.locator(".overview")).to_be_visible()
    screenshot(page, "print-city-overview", full_page=False)
