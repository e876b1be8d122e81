"""Reporter, editor and reader walk the pages whose content differs for them, and the import
previews (reached by uploading a file): zero axe-core violations at 375 and 1440 px, no sideways
scroll at 375 px, screenshots of the new pages in artifacts/screenshots/. The pages are listed in
e2e/pages.py; e2e/test_pages.py walks every page as anonymous and as the administrator."""

import re
from collections.abc import Callable

import pytest
from django.urls import resolve, reverse
from playwright.sync_api import Page, expect

from organisation.models import OrgUnit

from .browsing import NARROW, WIDE, assert_no_horizontal_scroll, check_axe, screenshot, sign_in
from .pages import ROLE_PAGES, Walk, check_structure, open_page, plan_of, problems_of

# The role's own view of the new pages (screenshots cost time: not every page).
ROLE_SCREENSHOTS = {"todo", "value-entry", "forecast", "economy-unit", "occasion"}


@pytest.mark.layout
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", sorted(ROLE_PAGES))
def test_every_role_sees_accessible_pages_at_both_widths(page: Page, demo, who):
    """Reporter, editor and reader: their pages in Swedish, axe at both widths, screenshots."""
    sign_in(page, demo, who)
    problems = []
    for walk in ROLE_PAGES[who]:
        problems += problems_of(walk, lambda w=walk: _check_role_page(page, demo, w, who))
    assert not problems, "\n\n".join(problems)


def _check_role_page(page: Page, demo, walk: Walk, who: str) -> None:
    page.set_viewport_size({"width": WIDE, "height": 900})
    open_page(page, demo, walk, walk.address())
    check_structure(page)
    check_axe(page, who=who)
    if walk.name in ROLE_SCREENSHOTS:
        screenshot(page, f"{WIDE}-{who}-{walk.name}")
    page.set_viewport_size({"width": NARROW, "height": 800})
    assert_no_horizontal_scroll(page)
    check_axe(page, who=who)
    if walk.name in ROLE_SCREENSHOTS:
        screenshot(page, f"{NARROW}-{who}-{walk.name}")


def _xlsx(header: list[str], rows: list[list]) -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Hjälptext"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Screenshot name → the preview's URL pattern.
PREVIEWS = {
    "economy-preview": "economy_preview",
    "assignment-import-preview": "assignment_import_preview",
    "risk-import-preview": "control_plan_import_preview",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _uploads() -> list[tuple[str, str, dict, Callable[[Page], None]]]:
    """(name, form address, file, what else the form needs): imports whose preview page is
    only reached by uploading a file (the previews answer a GET without one with a redirect)."""
    from assignments.imports import COLUMNS as ASSIGNMENT_COLUMNS
    from demo.economy import sie3
    from internalcontrol.imports import COLUMNS as RISK_COLUMNS

    good = ["Utreda solceller", "Utred.", "Fastighetsnämnden", "2026-02-10", "§ 7", "FN 1", "fn"]
    assignments = _xlsx(
        list(ASSIGNMENT_COLUMNS.values()),
        [[*good, "2026-12-31"], [*good[:6], "finns-inte", "inget datum"]],
    )
    risks = _xlsx(
        list(RISK_COLUMNS.values()),
        [["IT", "Driftstopp", "Servrar", 2, 3], ["IT", "Intrång", "", 4, 4]],
    )
    issuer = str(OrgUnit.objects.get(code="fn").pk)
    return [
        (
            "economy-preview",
            reverse("economy_upload"),
            {"name": "demo.se", "mimeType": "text/plain", "buffer": sie3()},
            lambda page: None,
        ),
        (
            "assignment-import-preview",
            reverse("assignment_import"),
            {"name": "uppdrag.xlsx", "mimeType": XLSX, "buffer": assignments},
            lambda page: page.locator("select[name$=issuer]").select_option(issuer),
        ),
        (
            "risk-import-preview",
            reverse("control_plan_import", args=[plan_of().pk]),
            {"name": "risker.xlsx", "mimeType": XLSX, "buffer": risks},
            lambda page: None,
        ),
    ]


@pytest.mark.django_db(transaction=True)
def test_the_import_previews_are_accessible_at_both_widths(page: Page, demo):
    """The previews of an economy import, an assignment import with rows in error (the error
    table) and a risk import without (the rows to be saved)."""
    sign_in(page, demo, "admin")
    problems = []
    for name, address, upload, fill in _uploads():
        page.set_viewport_size({"width": WIDE, "height": 900})
        page.goto(demo(address))
        page.locator("main input[type=file]").set_input_files(upload)
        fill(page)
        page.locator("main form[enctype] button[type=submit]").first.click()
        page.wait_for_load_state()
        walk = Walk(name, PREVIEWS[name], lambda: "")
        problems += problems_of(walk, lambda w=walk: _check_preview(page, w))
    assert not problems, "\n\n".join(problems)


def _check_preview(page: Page, walk: Walk) -> None:
    name = walk.name
    path = re.sub(r"^https?://[^/]+", "", page.url).split("?")[0]
    assert resolve(path).view_name == walk.url, (walk.url, page.url)
    expect(page.locator("main table").first).to_be_visible()
    check_structure(page)
    check_axe(page, who="admin")
    screenshot(page, f"{WIDE}-admin-{name}")
    page.set_viewport_size({"width": NARROW, "height": 800})
    assert_no_horizontal_scroll(page)
    check_axe(page, who="admin")
    screenshot(page, f"{NARROW}-admin-{name}")
