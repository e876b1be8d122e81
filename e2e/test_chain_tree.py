"""Issue 20, items 4, 5 and 7 in a real browser: the goal chain as a tree (expand, collapse,
keyboard), every status inside a 375 px viewport without sideways scroll, and axe on the changed
pages (the API documentation included) at 375 and 1440 px for every persona. Screenshots of the
changed pages at both widths go to artifacts/screenshots/."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from demo.city import ACCOUNTS, C_CLIMATE, DRIFT_ENERGY, FF_ENERGY, FN_ENERGY
from scorecards.models import Goal, Indicator, Scorecard

from .browsing import (
    NARROW,
    WIDE,
    assert_no_horizontal_scroll,
    check_axe,
    screenshot,
    sign_in,
    switch_language,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _climate_chain() -> str:
    return reverse("goal_chain", args=[Goal.objects.get(title=C_CLIMATE, scorecard__year=2026).pk])


def _unit_card() -> str:
    return Scorecard.objects.get(unit__code="ff-energi", year=2026).get_absolute_url()


def _benchmark() -> str:
    indicator = Indicator.objects.exclude(kolada_kpi="").order_by("pk").first()
    return reverse("benchmark", args=[indicator.pk])


PAGES = {
    "city-scorecard": lambda: "/",
    "unit-scorecard": _unit_card,
    "goal-chain": _climate_chain,
    "api-docs": lambda: "/api/v1/docs/",
    "benchmark": _benchmark,
}


def test_the_tree_opens_and_closes_by_mouse_and_keyboard(page: Page, demo):
    page.set_viewport_size({"width": WIDE, "height": 900})
    page.goto(demo(_climate_chain()))
    tree = page.get_by_role("region", name="Mål som bidrar")
    top = tree.locator(":scope > ul.chain-tree > li").filter(has_text=FN_ENERGY)
    branch = top.locator(":scope > details")
    summary = branch.locator(":scope > summary")
    expect(branch).to_have_attribute("open", "")  # a small tree starts open, to the last level
    expect(tree.get_by_role("link", name=DRIFT_ENERGY, exact=True).first).to_be_visible()
    for name in (FN_ENERGY, FF_ENERGY, DRIFT_ENERGY):  # each goal with its unit and status
        node = tree.locator(".chain-node").filter(
            has=page.get_by_role("link", name=name, exact=True)
        )
        expect(node.first.locator(".status")).to_have_count(1)
        expect(node.first.locator(".chain-meta a")).not_to_be_empty()
    summary.click()  # collapse with the mouse
    expect(branch).not_to_have_attribute("open", "")
    expect(top.get_by_role("link", name=FF_ENERGY, exact=True)).to_be_hidden()
    summary.click()  # and open again
    expect(top.get_by_role("link", name=FF_ENERGY, exact=True)).to_be_visible()

    summary.focus()  # by keyboard: Enter and Space toggle the branch, focus stays on it
    page.keyboard.press("Enter")
    expect(branch).not_to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(branch).to_have_attribute("open", "")
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")  # the next stop is the first goal inside the opened branch
    first_inside = top.locator(":scope > details .chain-goal").first
    expect(first_inside).to_be_focused()
    expect(summary).to_have_accessible_name(f"1 bidragande mål – {FN_ENERGY}")


def test_the_tree_works_without_javascript(browser, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo(_climate_chain()))
    branch = page.locator("ul.chain-tree details").first
    expect(branch).to_have_attribute("open", "")
    branch.locator(":scope > summary").click()
    expect(branch).not_to_have_attribute("open", "")
    context.close()


@pytest.mark.parametrize("name", ["city-scorecard", "unit-scorecard", "goal-chain"])
def test_every_status_lies_inside_a_phone_viewport(page: Page, demo, name):
    page.set_viewport_size({"width": NARROW, "height": 800})
    page.goto(demo(PAGES[name]()))
    assert_no_horizontal_scroll(page)
    outside = page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth, out = [];
        const shown = [...document.querySelectorAll('main .status')]
            .filter(el => el.getClientRects().length);
        for (const el of shown) {
          const box = el.getBoundingClientRect();
          if (box.left < 0 || box.right > width) out.push(el.textContent.trim());
        }
        return {count: shown.length, out};
    }"""
    )
    assert outside["count"] > 5, outside
    assert outside["out"] == [], f"{name}: statuses beyond {NARROW} px: {outside['out'][:5]}"
    screenshot(page, f"chaintree-{NARROW}-{name}", full_page=True)


PERSONAS = ["anonymous", *(username for username, *_rest in ACCOUNTS)]


@pytest.mark.parametrize("who", PERSONAS)
def test_the_changed_pages_pass_axe_at_both_widths_for_every_persona(page: Page, demo, who):
    if who != "anonymous":
        sign_in(page, demo, who)
    for name, address in PAGES.items():
        for width in (WIDE, NARROW):
            page.set_viewport_size({"width": width, "height": 900})
            response = page.goto(demo(address()))
            assert response.status == 200, (address(), response.status)
            check_axe(page, who=who)
            if width == NARROW:
                assert_no_horizontal_scroll(page)
            if who in ("anonymous", "admin"):
                screenshot(page, f"chaintree-{width}-{who}-{name}", full_page=width == NARROW)


def test_english_pages_mark_swedish_content(page: Page, demo):
    page.goto(demo("/"))
    switch_language(page, "en")
    page.goto(demo(_climate_chain()))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_axe(page)
    page.goto(demo("/api/v1/docs/"))
    expect(page.locator("strong[lang=sv]").first).to_be_visible()
    check_axe(page)
    page.set_viewport_size({"width": NARROW, "height": 800})
    check_axe(page)


def test_saving_every_value_with_the_space_key_keeps_the_focus(page: Page, demo):
    card = Scorecard.objects.get(unit__code="ff-energi", year=2026)
    sign_in(page, demo, "rapportor")
    page.goto(demo(reverse("value_entry", args=[card.pk]) + "?period=2026-12"))
    page.locator("table.entry input[name^=v-]").first.fill("12")
    button = page.get_by_role("button", name="Spara alla värden")
    button.focus()
    page.keyboard.press("Space")
    expect(page.locator("#entry-result .message-success")).to_be_visible()
    expect(page.get_by_role("button", name="Spara alla värden")).to_be_focused()
    assert page.evaluate("() => document.activeElement.tagName") == "BUTTON"


def test_the_search_boxes_look_alike(page: Page, demo):
    sign_in(page, demo, "admin")
    styles = []
    for address, field in (("/personer/", "#q"), ("/granskning/", "#person")):
        page.goto(demo(address))
        expect(page.get_by_role("search")).to_have_count(1)
        styles.append(
            page.locator(field).evaluate(
                "el => { const s = getComputedStyle(el);"
                " return [el.type, s.borderTopWidth, s.borderTopColor, s.paddingTop, s.borderRadius]; }"
            )
        )
    assert styles[0] == styles[1] == ["search", "1px", "rgb(107, 117, 128)", "6.4px", "4px"]
