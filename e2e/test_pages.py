"""Every page of the app, anonymous and as the administrator, in Swedish and English: zero axe-core
violations (WCAG 2.0/2.1 A and AA), landmarks and one h1, no sideways page scroll at 375 px, and
screenshots at 375 and 1440 px in artifacts/screenshots/. The pages are listed in e2e/pages.py;
the other roles walk theirs in e2e/test_pages_roles.py (a second file, so xdist runs it alongside).

"Every page" is checked: ``test_every_page_is_walked_or_excluded`` takes the URL patterns that
answer a GET with 200 for some persona (the persona × URL table, core/tests/test_url_permissions.py)
and fails for one that is neither walked nor in ``pages.NOT_PAGES`` with a reason."""

import pytest
from playwright.sync_api import Page, expect

from .browsing import (
    NARROW,
    WIDE,
    assert_no_horizontal_scroll,
    check_axe,
    screenshot,
    sign_in,
    slug,
    switch_language,
)
from .pages import (
    ANONYMOUS,
    NOT_PAGES,
    ROLE_PAGES,
    SIGNED_IN,
    Walk,
    card_of,
    check_structure,
    open_page,
    problems_of,
)

# The REST API (api:*-list and api:*-detail) answers JSON; its HTML page is api:docs.
API_JSON = ("-list", "-detail")


def _answers_200() -> set[str]:
    """Names of the URL patterns that answer a GET with 200 for at least one persona."""
    from core.tests.test_url_permissions import TABLE, url_patterns

    names = set(url_patterns())
    found = {key.split("#")[0] for key, case in TABLE.items() if 200 in case.get.values()}
    return found & names


def test_every_page_is_walked_or_excluded():
    walked = {walk.url for walk in [*ANONYMOUS, *SIGNED_IN]}
    walked |= {walk.url for walks in ROLE_PAGES.values() for walk in walks}
    pages = {
        name for name in _answers_200() if not (name.startswith("api:") and name.endswith(API_JSON))
    }
    missing = sorted(pages - walked - set(NOT_PAGES))
    assert not missing, (
        "pages that answer a GET with 200 but are neither in the axe walk (e2e/pages.py "
        f"ANONYMOUS/SIGNED_IN/ROLE_PAGES) nor in NOT_PAGES: {missing}"
    )
    stale = sorted(set(NOT_PAGES) - pages)
    assert not stale, f"NOT_PAGES names no page that answers 200 any more: {stale}"
    assert not set(NOT_PAGES) & walked, "a page is both walked and excluded"


# The main pages, screenshotted at both widths (Swedish): as a citizen sees them, the pages only
# signed-in people see, and the new pages of year reports, forecasts, assignments, internal
# control and economy.
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
        "assignments",
        "assignment",
        "control-plan",
        "year-report",
    },
    "admin": {
        "follow-up",
        "forecast",
        "value-entry",
        "occasions",
        "occasion",
        "occasion-with-assignments",
        "todo",
        "scorecard-create",
        "goal-links",
        "target-edit",
        "scorecard-adopt",
        "economy",
        "economy-unit",
        "assignments",
        "assignment",
        "assignment-report",
        "control-plan",
        "control-result",
        "risk-edit",
        "report-section",
        "report-in-progress",
        "occasion-reports",
    },
}


@pytest.mark.layout
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_page_is_accessible_and_fits_both_widths(page: Page, demo, who, lang):
    walks = ANONYMOUS if who == "anonymous" else SIGNED_IN
    addresses = [(walk, walk.address()) for walk in walks]
    if who != "anonymous":
        sign_in(page, demo, who)
    page.goto(demo("/"))
    switch_language(page, lang)
    problems = []
    for walk, address in addresses:
        problems += problems_of(
            walk, lambda w=walk, a=address: _check_both(page, demo, w, a, who, lang)
        )
    assert not problems, "\n\n".join(problems)


def _check_both(page: Page, demo, walk: Walk, address: str, who: str, lang: str) -> None:
    page.set_viewport_size({"width": WIDE, "height": 900})
    open_page(page, demo, walk, address)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check_structure(page)
    # One axe run per page and language: Swedish at the wide layout, English at the narrow.
    if lang == "sv":
        check_axe(page, who=who)
        if walk.name in MAIN_PAGES[who]:
            screenshot(page, f"{WIDE}-{who}-{walk.name}")
    page.set_viewport_size({"width": NARROW, "height": 800})
    assert_no_horizontal_scroll(page)
    if lang == "en":
        check_axe(page, who=who)
    elif walk.name in MAIN_PAGES[who]:
        screenshot(page, f"{NARROW}-{who}-{walk.name}")


@pytest.mark.django_db(transaction=True)
def test_the_scorecard_prints_without_the_site_around_it(page: Page, demo):
    page.goto(demo(card_of("ff-energi").get_absolute_url()))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".toolbar").first).to_be_hidden()
    expect(page.get_by_role("navigation", name="Du är här")).to_be_hidden()
    expect(page.locator(".print-only")).to_contain_text("Helsingborgs stad · utskrivet")
    expect(page.locator(".perspective")).to_have_count(4)
    expect(page.locator(".perspective-icon").first).to_be_visible()
    screenshot(page, f"print-{slug('unit-scorecard')}")
