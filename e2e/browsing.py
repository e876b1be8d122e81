"""What the browser tests share: signing in, the language switch, axe-core, screenshots and the
layout checks. Plain functions over a Playwright ``Page``."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from demo.city import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
NARROW, WIDE = 375, 1440
# The demo's Energienheten goal the journeys follow (demo.city.SCORECARDS["ff-energi"]).
ENERGY_GOAL = "Energieffektiviseringen ska ge minst 2 % lägre energianvändning per år"
_axe = Axe()


@dataclass
class Report:
    """Collected during the run, printed by conftest's terminal summary."""

    screenshots: list[str] = field(default_factory=list)
    axe_pages: list[tuple[str, str, str, int]] = field(default_factory=list)  # path, who, lang, n


REPORT = Report()


@dataclass
class Site:
    url: str

    def __call__(self, path: str) -> str:
        return self.url + path


def sign_in(page: Page, site: Site, username: str, *, next: str = "/") -> None:
    page.goto(site(f"/konto/logga-in/?next={next}"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Logga in").click()
    expect(page.locator(".site-header")).to_contain_text("Logga ut")


def language(page: Page) -> str:
    return page.locator("html").get_attribute("lang") or ""


def switch_language(page: Page, lang: str) -> None:
    """Use the header's language button (a form: it works without JavaScript too)."""
    if language(page) == lang:
        return
    page.locator(".lang-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", lang)


def who_is_signed_in(page: Page) -> str:
    who = page.locator(".site-header .who")
    return who.inner_text() if who.count() else "anonymous"


def check_axe(page: Page, *, who: str | None = None) -> None:
    """Zero violations of the WCAG 2.0/2.1 A and AA rules on the page as it is now."""
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    path = re.sub(r"^https?://[^/]+", "", page.url)
    REPORT.axe_pages.append((path, who or who_is_signed_in(page), language(page), len(violations)))
    assert not violations, f"axe on {path} ({language(page)}):\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {n['target']}: {n.get('failureSummary', '')}" for n in v["nodes"][:5])
        for v in violations
    )


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # An artifact, not a check: a long page under a loaded CI machine may take more than the
    # 10 s that elements get (seen once on the chain tree), so it gets a minute.
    page.screenshot(path=str(path), full_page=full_page, timeout=60_000)
    REPORT.screenshots.append(str(path.relative_to(SCREENSHOTS.parent.parent)))
    print(f"screenshot: {path}")
    return path


# Elements that may be wider than the viewport: scroll containers and what they hold.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll')) continue;
    const box = el.getBoundingClientRect();
    if (box.width && box.right > width + 1) {  // overflow to the left never scrolls
      const style = getComputedStyle(el);
      if (style.position === 'absolute' && box.width <= 1) continue;  // visually hidden
      wide.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                + ' ' + Math.round(box.left) + '–' + Math.round(box.right));
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def assert_no_horizontal_scroll(page: Page) -> None:
    """The page itself never scrolls sideways; only .table-scroll containers may."""
    result = page.evaluate(_OVERFLOW_JS)
    assert result["scroll"] <= result["width"], (
        f"{page.url} scrolls sideways at {result['width']} px "
        f"(scrollWidth {result['scroll']}): {result['wide']}"
    )


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "start"


def tab_to(page: Page, selector: str, *, limit: int = 60) -> None:
    """Press Tab until the focused element matches ``selector`` (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab")


def focused(page: Page) -> dict:
    """The focused element: id, name, text and whether its focus ring shows."""
    return page.evaluate(
        """() => {
        const el = document.activeElement, style = getComputedStyle(el);
        return {id: el.id, name: el.name || '', tag: el.tagName.toLowerCase(),
                text: (el.innerText || '').trim(),
                ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2};
    }"""
    )
