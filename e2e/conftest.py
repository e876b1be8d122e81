"""Browser tests: headless Debian chromium driven by Playwright against pytest-django's live server.

Every test gets the demo city (``manage.py load_demo``) as it was just after loading: the live
server runs in another thread, so the tests need real transactions (``django_db(transaction=True)``)
and the database is emptied after each test; ``snapshot.py`` puts the demo back quickly. Screenshots go to ``artifacts/screenshots/`` and their paths
are listed at the end of the run, with a summary of the accessibility checks.
"""

import os
from io import StringIO
from pathlib import Path

# Playwright's sync API runs an event loop in the main thread; without this every ORM call made
# by a test (or the live server on its behalf) raises SynchronousOnlyOperation. Set before Django
# starts (config.test_settings sets it too).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.core.management import call_command  # noqa: E402

from e2e import browsing  # noqa: E402
from e2e.snapshot import Snapshot  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Without the networking flags chromium keeps trying to reach the internet (toolchain.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(
        reason=f"no chromium at {CHROMIUM}: apt-get install --no-install-recommends chromium"
    )
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def context(context):
    # Fail fast: a missing element should not cost Playwright's default 30 seconds.
    context.set_default_timeout(10_000)
    return context


SNAPSHOT = Snapshot()


@pytest.fixture
def demo(transactional_db, live_server) -> browsing.Site:
    """The demo city behind a live server: loaded by the first test, restored for the others."""
    if SNAPSHOT.taken:
        SNAPSHOT.restore()
    else:
        call_command("load_demo", "--force", stdout=StringIO())  # DEBUG is off in tests
        SNAPSHOT.take()
    return browsing.Site(live_server.url)


def pytest_terminal_summary(terminalreporter):
    report = browsing.REPORT
    if not (report.screenshots or report.axe_pages):
        return
    write = terminalreporter.write_line
    terminalreporter.section("browser tests")
    if report.axe_pages:
        violations = sum(n for *_, n in report.axe_pages)
        write(
            f"axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa): {len(report.axe_pages)} checks, "
            f"{violations} violations"
        )
        for who, lang in sorted({(who, lang) for _p, who, lang, _n in report.axe_pages}):
            pages = sorted({p for p, w, la, _n in report.axe_pages if (w, la) == (who, lang)})
            write(f"  {who}, {lang}: {len(pages)} pages")
    if report.screenshots:
        write(f"screenshots ({len(report.screenshots)}):")
        for path in report.screenshots:
            write(f"  {path}")
