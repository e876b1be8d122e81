"""A citizen reads the city's scorecard and follows a goal chain down to a unit."""

import pytest
from playwright.sync_api import Page, expect

from demo.city import C_CLIMATE, DRIFT_ENERGY, FF_ENERGY, FN_ENERGY

from .browsing import ENERGY_GOAL, check_axe

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_follows_the_climate_goal_from_the_city_down_to_a_unit(page: Page, demo):
    page.goto(demo("/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stadens styrkort 2026")
    # The four perspectives, each a landmark-named section with its own icon and colour.
    for name, icon in [
        ("Medborgare", "people"),
        ("Ekonomi", "coins"),
        ("Organisation", "building"),
        ("Framtid", "leaf"),
    ]:
        section = page.get_by_role("region", name=name)
        expect(section.locator(f"svg use[href$='#{icon}']")).to_have_count(1)
    check_status_has_text(page)

    page.get_by_role("link", name=C_CLIMATE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Målkedja: {C_CLIMATE}")
    # Down the chain one level at a time: nämnd → förvaltning → avdelning, each the first level
    # of the tree of contributing goals.
    for title in (FN_ENERGY, FF_ENERGY, DRIFT_ENERGY):
        tree = page.get_by_role("region", name="Mål som bidrar")
        tree.locator(":scope > ul.chain-tree > li > .chain-node").get_by_role(
            "link", name=title, exact=True
        ).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Målkedja: {title}")
        expect(page.get_by_text(C_CLIMATE).first).to_be_visible()  # the city goal stays above

    # … and from the department's goal to the unit's scorecard.
    page.get_by_role("region", name="Mål som bidrar").get_by_role(
        "link", name="Energienheten"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrkort 2026 – Energienheten")
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=ENERGY_GOAL))
    expect(goal).to_be_in_viewport()  # the link pointed at the goal (#mal-…)
    expect(goal.locator(".chain-links")).to_contain_text(f"Bidrar till: {DRIFT_ENERGY}")
    check_status_has_text(page)

    # The metric's trend: a chart with a text alternative and the same figures as a table.
    goal.get_by_role("link", name="Energianvändning i kommunala lokaler").click()
    chart = page.locator("svg.trend-chart")
    expect(chart).to_have_attribute("role", "img")
    name = page.evaluate(
        """() => document.querySelector('svg.trend-chart').getAttribute('aria-labelledby')
            .split(' ').map(id => document.getElementById(id).textContent).join(' ')"""
    )
    assert "Energianvändning i kommunala lokaler" in name
    expect(page.get_by_role("table", name="Utfall och målvärden")).to_be_visible()
    check_axe(page)

    # Breadcrumbs lead back to the unit and the organisation.
    page.get_by_role("navigation", name="Du är här").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Styrkort 2026 – Energienheten")
    page.get_by_role("navigation", name="Du är här").get_by_role(
        "link", name="Energienheten"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Energienheten")
    expect(page.get_by_role("link", name="Styrkort 2026")).to_be_visible()


def check_status_has_text(page: Page) -> None:
    """Status is never told by colour alone: every status has a symbol and words."""
    statuses = page.locator(".status")
    assert statuses.count() > 0
    for text in statuses.all_inner_texts():
        symbol, *words = text.split()
        assert not symbol.isalnum() and words, f"status without symbol and text: {text!r}"
