"""Every page the journeys touch, anonymous and signed in, in Swedish and English: zero axe-core
violations (WCAG 2.0/2.1 A and AA), landmarks and one h1, no sideways page scroll at 375 px, and
screenshots at 375 and 1440 px in artifacts/screenshots/."""

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from demo.city import C_CLIMATE
from followup.models import FollowUpOccasion
from scorecards.models import Goal, GoalProgramme, Indicator, Metric, Scorecard

from .browsing import (
    ENERGY_GOAL,
    NARROW,
    WIDE,
    assert_no_horizontal_scroll,
    check_axe,
    screenshot,
    sign_in,
    slug,
    switch_language,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _card(code: str, year: int = 2026) -> Scorecard:
    return Scorecard.objects.get(unit__code=code, year=year)


def _energy_goal() -> Goal:
    return Goal.objects.get(scorecard=_card("ff-energi"), title=ENERGY_GOAL)


def _energy_metric() -> Metric:
    return _energy_goal().metrics.get(indicator__code="energi-lokaler")


def _occasion(year: int, end_month: int) -> FollowUpOccasion:
    return FollowUpOccasion.objects.get(year=year, end_month=end_month)


def _report(code: str, end_month: int):
    from yearreports.models import Report

    return Report.objects.get(unit__code=code, occasion__year=2026, occasion__end_month=end_month)


def _section(code: str, heading: str = "Sammanfattning"):
    return _report(code, 12).sections.get(heading=heading)


# (name, address): the name is the screenshot's; addresses are looked up in the demo city.
PUBLIC: list[tuple[str, Callable[[], str]]] = [
    ("city-scorecard", lambda: "/"),
    ("organisation", lambda: reverse("unit_tree")),
    ("unit", lambda: reverse("unit_detail", args=["ff-energi"])),
    ("programmes", lambda: reverse("programme_list")),
    ("programme", lambda: reverse("programme_detail", args=[GoalProgramme.objects.first().pk])),
    ("indicators", lambda: reverse("indicator_list")),
    (
        "indicator",
        lambda: reverse("indicator_detail", args=[Indicator.objects.get(code="energi-lokaler").pk]),
    ),
    ("unit-scorecard", lambda: _card("ff-energi").get_absolute_url()),
    (
        "goal-chain",
        lambda: reverse(
            "goal_chain", args=[Goal.objects.get(title=C_CLIMATE, scorecard__year=2026).pk]
        ),
    ),
    ("unit-goal-chain", lambda: reverse("goal_chain", args=[_energy_goal().pk])),
    ("metric-trend", lambda: reverse("metric_trend", args=[_energy_metric().pk])),
    ("api-docs", lambda: reverse("api:docs")),
    (
        "follow-up",
        lambda: reverse("scorecard_followup", args=[_card("ff-energi").pk, _occasion(2026, 8).pk]),
    ),
    ("reports", lambda: reverse("yearreports:report_list")),
    ("year-report", lambda: _report("helsingborg", 8).get_absolute_url()),
    ("year-report-page", lambda: reverse("yearreports:html", args=[_report("helsingborg", 8).pk])),
    (
        "forecast",
        lambda: reverse(
            "scorecard_forecast", args=[_card("helsingborg").pk, _occasion(2026, 8).pk]
        ),
    ),
]
SIGNED_IN: list[tuple[str, Callable[[], str]]] = [
    *PUBLIC,
    (
        "value-entry",
        lambda: reverse("value_entry", args=[_card("ff-energi").pk]) + "?period=2026-12",
    ),
    ("locked-value-entry", lambda: reverse("value_entry", args=[_card("ff-energi", 2025).pk])),
    ("occasions", lambda: reverse("occasion_list")),
    ("todo", lambda: reverse("todo")),
    ("occasion", lambda: reverse("occasion_detail", args=[_occasion(2026, 8).pk])),
    ("occasion-reopen", lambda: reverse("occasion_reopen", args=[_occasion(2025, 8).pk])),
    ("occasion-defaults", lambda: reverse("occasion_create_defaults", args=[2027])),
    ("scorecard-create", lambda: reverse("scorecard_create", args=["ff-service"])),
    ("scorecard-edit", lambda: reverse("scorecard_edit", args=[_card("ff-energi").pk])),
    ("scorecard-adopt", lambda: reverse("scorecard_adopt", args=[_card("vof-hemvard").pk])),
    ("scorecard-copy", lambda: reverse("scorecard_copy", args=[_card("ff-energi").pk])),
    ("goal-create", lambda: reverse("goal_create", args=[_card("ff-energi").pk])),
    ("goal-edit", lambda: reverse("goal_edit", args=[_energy_goal().pk])),
    ("goal-links", lambda: reverse("goal_links", args=[_energy_goal().pk])),
    ("metric-create", lambda: reverse("metric_create", args=[_energy_goal().pk])),
    ("target-edit", lambda: reverse("target_edit", args=[_energy_metric().pk, 2026])),
    ("import", lambda: reverse("import_start", args=[_card("ff-energi").pk])),
    ("actions", lambda: reverse("action_list", args=[_card("ff-energi").pk])),
    ("action-create", lambda: reverse("action_create", args=[_energy_goal().pk])),
    ("history", lambda: reverse("object_history", args=["goal", _energy_goal().pk])),
    ("report-templates", lambda: reverse("yearreports:template_list")),
    (
        "report-template",
        lambda: reverse("yearreports:template_detail", args=[_report("mn", 12).template_id]),
    ),
    (
        "occasion-reports",
        lambda: reverse("yearreports:occasion_reports", args=[_occasion(2026, 12).pk]),
    ),
    ("report-distribute", lambda: reverse("yearreports:distribute", args=[_occasion(2026, 12).pk])),
    ("report-in-progress", lambda: _report("von", 12).get_absolute_url()),
    ("report-section", lambda: _section("mn").get_absolute_url()),
    ("report-section-draft", lambda: _section("sofn").get_absolute_url()),
    (
        "report-send-back",
        lambda: reverse("yearreports:section_send_back", args=[_section("mn").pk]),
    ),
    ("report-complete", lambda: reverse("yearreports:complete", args=[_report("kn", 12).pk])),
    # issue 22: economy
    ("economy", lambda: reverse("economy_home")),
    ("economy-unit", lambda: reverse("economy_unit", args=["von", 2026])),
    ("economy-upload", lambda: reverse("economy_upload")),
    ("economy-mapping", lambda: reverse("economy_mapping")),
]
# The main pages, screenshotted at both widths (Swedish): as a citizen sees them, and the pages
# only signed-in people see (the follow-up page with its forms).
MAIN_PAGES = {
    "anonymous": {
        "city-scorecard",
        "organisation",
        "unit",
        "unit-scorecard",
        "goal-chain",
        "metric-trend",
        "follow-up",
        "forecast",
        "login",
    },
    "admin": {
        "follow-up",
        "forecast",
        "value-entry",
        "occasions",
        "occasion",
        "todo",
        "scorecard-create",
        "goal-links",
        "target-edit",
        "scorecard-adopt",
        "economy-unit",
    },
}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_page_is_accessible_and_fits_both_widths(page: Page, demo, who, lang):
    pages = PUBLIC if who == "anonymous" else SIGNED_IN
    addresses = [(name, address()) for name, address in pages]
    if who == "anonymous":
        addresses.append(("login", reverse("login")))
    else:
        sign_in(page, demo, who)
    page.goto(demo("/"))
    switch_language(page, lang)
    for name, address in addresses:
        page.set_viewport_size({"width": WIDE, "height": 900})
        response = page.goto(demo(address))
        assert response.status == 200, (address, response.status)
        expect(page.locator("html")).to_have_attribute("lang", lang)
        check_structure(page)
        # One axe run per page and language: Swedish at the wide layout, English at the narrow.
        if lang == "sv":
            check_axe(page, who=who)
            if name in MAIN_PAGES[who]:
                screenshot(page, f"{WIDE}-{who}-{name}")
        page.set_viewport_size({"width": NARROW, "height": 800})
        assert_no_horizontal_scroll(page)
        if lang == "en":
            check_axe(page, who=who)
        elif name in MAIN_PAGES[who]:
            screenshot(page, f"{NARROW}-{who}-{name}")


def check_structure(page: Page) -> None:
    """Landmarks, one h1, a title, and a skip link that leads to the main content."""
    found = page.evaluate(
        """() => ({
        banner: document.querySelectorAll('body > header').length,
        main: document.querySelectorAll('main#main').length,
        contentinfo: document.querySelectorAll('body > footer').length,
        nav: document.querySelectorAll('header nav[aria-label]').length,
        h1: document.querySelectorAll('h1').length,
        title: document.title.trim().length > 0,
        skip: document.querySelector('body > a.skip-link')?.getAttribute('href'),
    })"""
    )
    expected = {"banner": 1, "main": 1, "contentinfo": 1, "nav": 1, "h1": 1, "title": True}
    assert found == {**expected, "skip": "#main"}, (page.url, found)


def test_the_scorecard_prints_without_the_site_around_it(page: Page, demo):
    page.goto(demo(_card("ff-energi").get_absolute_url()))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".toolbar").first).to_be_hidden()
    expect(page.get_by_role("navigation", name="Du är här")).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text("Helsingborgs stad · utskrivet")
    expect(page.locator(".perspective")).to_have_count(4)
    expect(page.locator(".perspective-icon").first).to_be_visible()
    screenshot(page, f"print-{slug('unit-scorecard')}")
