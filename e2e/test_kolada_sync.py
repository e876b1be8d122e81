"""An administrator starts a Kolada sync and follows it: the page answers at once, the worker does
the work, and the page shows the run's progress as it goes (HTMX), or a refresh link without
JavaScript. Kolada is a local pytest-httpserver holding its data answer until the test lets go."""

import re
import threading

import pytest
from playwright.sync_api import Page, expect
from werkzeug import Response

from kolada.models import SyncRun
from kolada.tests.conftest import DATA_3KPI, GROUP, KPI_META, recorded
from kolada.tests.test_sync_background import DB_QUEUE, start_worker

from .browsing import assert_no_horizontal_scroll, check_axe, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_kolada(httpserver, settings):
    """Kolada answering its metadata at once and its data when ``release`` is set."""
    asked, release = threading.Event(), threading.Event()

    def data(request):
        asked.set()
        release.wait(timeout=60)
        return Response(recorded(DATA_3KPI), content_type="application/json")

    httpserver.expect_request(re.compile(r"^/v3/kpi/.+")).respond_with_data(
        recorded(KPI_META), content_type="application/json"
    )
    httpserver.expect_request("/v3/municipality_groups/G37394").respond_with_data(
        recorded(GROUP), content_type="application/json"
    )
    httpserver.expect_request(re.compile(r"^/v3/data/kpi/.+")).respond_with_handler(data)
    settings.TASKS = DB_QUEUE
    settings.KOLADA_BASE_URL = httpserver.url_for("/v3/")
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    settings.KOLADA_COMPARISON_GROUP = "G37394"
    settings.KOLADA_SYNC_BEAT_SECONDS = 0.5
    yield asked, release
    release.set()


@pytest.fixture
def worker(slow_kolada):
    """Starts the worker; at the end lets Kolada answer and waits for the worker to stop, so
    the database is free to be emptied even when the test failed half-way."""
    threads: list[threading.Thread] = []

    def start() -> threading.Thread:
        threads.append(start_worker())
        return threads[-1]

    yield start
    slow_kolada[1].set()
    for thread in threads:
        thread.join(timeout=60)


def test_an_administrator_follows_a_sync_while_the_worker_runs_it(
    page: Page, demo, slow_kolada, worker
):
    asked, release = slow_kolada
    sign_in(page, demo, "admin", next="/kolada/synk/")
    page.get_by_role("button", name="Synkronisera nu").click()
    expect(page.locator(".messages")).to_contain_text("Synkroniseringen är köad")
    live = page.locator("#sync-live")
    expect(live.get_by_role("status")).to_contain_text("Köad")
    check_axe(page)

    running = worker()
    assert asked.wait(timeout=20), "the worker never asked Kolada for data"
    # No reload: htmx brings the progress in.
    expect(live.get_by_role("status")).to_contain_text("Hämtar värden från Kolada")
    expect(live).to_contain_text("0 av 4")
    expect(live.get_by_role("progressbar")).to_be_visible()
    expect(live.locator(".run-log")).to_contain_text("Hämtar alla värden")
    check_axe(page)
    screenshot(page, "kolada-sync-running")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_no_horizontal_scroll(page)

    release.set()
    running.join(timeout=60)
    expect(live.get_by_role("status")).to_contain_text("Klar", timeout=15_000)
    expect(live).to_contain_text("nya,")
    expect(live.locator("[hx-trigger]")).to_have_count(0)
    assert SyncRun.objects.get().status == SyncRun.Status.SUCCEEDED
    check_axe(page)


def test_without_javascript_a_refresh_link_shows_how_far_it_got(
    new_context, demo, slow_kolada, worker
):
    page = new_context(java_script_enabled=False).new_page()
    asked, release = slow_kolada
    sign_in(page, demo, "admin", next="/kolada/synk/")
    page.get_by_role("button", name="Synkronisera nu").click()
    expect(page.locator("#sync-live").get_by_role("status")).to_contain_text("Köad")

    running = worker()
    assert asked.wait(timeout=20)
    page.get_by_role("link", name="Uppdatera sidan").click()
    expect(page.locator("#sync-live").get_by_role("status")).to_contain_text("Pågår")
    release.set()
    running.join(timeout=60)
    page.get_by_role("link", name="Uppdatera sidan").click()
    expect(page.locator("#sync-live").get_by_role("status")).to_contain_text("Klar")
    expect(page.get_by_role("link", name="Uppdatera sidan")).to_have_count(0)
