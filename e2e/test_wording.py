"""A kommun, not a stad: the pages name the municipality as the settings say, the follow-up
calendar reads in months, locking asks first, and every edit and history link is on the page.
Screenshots at 375 and 1440 px; axe on each page."""

import pytest
from playwright.sync_api import Page, expect

from followup.models import FollowUpOccasion
from scorecards.models import Scorecard

from .browsing import assert_no_horizontal_scroll, check_axe, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WIDTHS = (375, 1440)


@pytest.fixture
def kommun(settings):
    settings.MUNICIPALITY_NAME = "Exempelby kommun"
    settings.MUNICIPALITY_DESIGNATION = "kommun"


def look(page: Page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_scroll(page)
        screenshot(page, f"wording-{name}-{width}")
    check_axe(page)


def test_a_kommun_reads_kommun_and_locking_asks_first(page: Page, demo, kommun):
    page.goto(demo("/"))
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Kommunens styrkort")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunens styrkort 2026")
    look(page, "home")

    sign_in(page, demo, "admin")
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=8)
    page.goto(demo(f"/uppfoljning/tillfalle/{occasion.pk}/"))
    expect(page.locator("main dl")).to_contain_text("januari–augusti 2026")
    expect(page.get_by_role("link", name="Exportera alla styrkort (Excel)")).to_be_visible()
    page.get_by_role("link", name="Lås tillfället").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Lås {occasion}?")
    expect(page.locator("main")).to_contain_text("mål saknar bedömning")
    look(page, "lock-confirm")
    page.get_by_role("link", name="Avbryt").click()
    occasion.refresh_from_db()
    assert not occasion.is_locked

    page.goto(demo("/organisation/ff/roller/"))
    expect(page.get_by_role("combobox", name="Roll")).to_have_value("reader")
    look(page, "roles")


def test_an_editor_finds_edit_and_history_links(page: Page, demo, kommun):
    card = Scorecard.objects.filter(unit__code="ff", year=2026).get()
    sign_in(page, demo, "redaktor", next=card.get_absolute_url())
    main = page.locator("main")
    expect(main.get_by_role("link", name="Ändra målvärde").first).to_be_visible()
    expect(main.get_by_role("link", name="Historik").first).to_be_visible()
    if card.goals.filter(strategies__isnull=False).exists():
        expect(main.get_by_role("link", name="Ta bort").first).to_be_visible()
    look(page, "scorecard-editor")
    page.goto(demo("/organisation/ff/roller/"))  # an editor is no administrator
    expect(page.locator("main")).to_contain_text("Kontakta kommunens administratör")
    look(page, "forbidden")
