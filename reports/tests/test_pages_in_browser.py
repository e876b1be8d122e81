"""The import and open data pages in headless chromium: zero axe-core violations (WCAG 2.1 AA).

Skipped where there is no chromium (apt-get install --no-install-recommends chromium).
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse

from reports import imports
from reports.models import ImportKind

from .conftest import MONTH_COLUMN, filled, row_of, xlsx_upload

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
SHOTS = os.environ.get("REPORTS_SCREENSHOTS")  # a folder, to look at the pages

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no chromium at {CHROMIUM}"),
]


def batch(card, user, cells):
    template = imports.values_template(card)
    row = row_of(template, "energi")
    data = filled(template, {(row, MONTH_COLUMN[m]): v for m, v in cells.items()})
    return imports.batch_create(
        card=card, kind=ImportKind.VALUES, upload=xlsx_upload(data), user=user
    )


def test_import_and_open_data_pages_pass_axe(live_server, world, card, playwright):
    # pytest-playwright's one Playwright instance: a second sync_playwright() in the same run
    # (e2e/ uses the plugin's fixtures) fails with "Sync API inside the asyncio loop".
    good = batch(card, world.reporter, {1: 150, 2: 151})
    bad = batch(card, world.reporter, {1: "femtio", 2: 9999})
    client = Client()
    client.force_login(world.reporter)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    pages = {
        "import-start": reverse("import_start", args=[card.pk]),
        "import-preview": reverse("import_preview", args=[good.pk]),
        "import-errors": reverse("import_preview", args=[bad.pk]),
        "open-data": reverse("open_data"),
    }
    problems = []
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    try:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        page = context.new_page()
        for name, path in pages.items():
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, name
            violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
            problems += [
                f"{name}: {v['id']} {v['help']} {v['nodes'][0]['target']}" for v in violations
            ]
            if SHOTS:
                page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
    finally:
        browser.close()
    assert not problems, "\n".join(problems)
