"""Issue 20 item 5, phones: at 375 px no table needs sideways scrolling to see a status. On every
page that shows a status (the city's and a unit's scorecard, the goal chain, follow-up, forecast,
actions, an occasion's progress, assignments, internal control, year reports, economy, a metric's
trend) each status lies inside the viewport with neither the page nor its scroll container
scrolled sideways; the scroll regions that remain can be reached by keyboard. The wide layout
keeps its tables. Screenshots of the pages at 375 px go to artifacts/screenshots/."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from demo.city import C_CLIMATE
from followup.models import FollowUpOccasion
from scorecards.models import Goal, Scorecard

from .browsing import (
    ENERGY_GOAL,
    NARROW,
    WIDE,
    assert_no_horizontal_scroll,
    check_axe,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parent.parent


def _card(code: str, year: int = 2026) -> Scorecard:
    return Scorecard.objects.get(unit__code=code, year=year)


def _occasion(end_month: int) -> FollowUpOccasion:
    return FollowUpOccasion.objects.get(year=2026, end_month=end_month)


def _energy_goal() -> Goal:
    return Goal.objects.get(scorecard=_card("ff-energi"), title=ENERGY_GOAL)


def _assignment() -> str:
    from assignments.models import Assignment

    return Assignment.objects.get(
        title="Utreda fler laddplatser vid stadens fastigheter"
    ).get_absolute_url()


def _control_plan() -> str:
    from internalcontrol.models import ControlPlan

    return ControlPlan.objects.get(unit__code="fn", year=2026).get_absolute_url()


def _metric_trend() -> str:
    metric = _energy_goal().metrics.get(indicator__code="energi-lokaler")
    return reverse("metric_trend", args=[metric.pk])


# Every page that shows a status, as the administrator sees it (the most rows and columns).
PAGES: dict[str, Callable[[], str]] = {
    "city-scorecard": lambda: "/",
    "unit-scorecard": lambda: _card("ff-energi").get_absolute_url(),
    "goal-chain": lambda: reverse(
        "goal_chain", args=[Goal.objects.get(title=C_CLIMATE, scorecard__year=2026).pk]
    ),
    "follow-up": lambda: reverse(
        "scorecard_followup", args=[_card("ff-energi").pk, _occasion(8).pk]
    ),
    "forecast": lambda: reverse(
        "scorecard_forecast", args=[_card("helsingborg").pk, _occasion(8).pk]
    ),
    "actions": lambda: reverse("action_list", args=[_card("ff-energi").pk]),
    "occasion": lambda: reverse("occasion_detail", args=[_occasion(12).pk]),
    "occasion-august": lambda: reverse("occasion_detail", args=[_occasion(8).pk]),
    "assignments": lambda: reverse("assignment_list"),
    "assignment": _assignment,
    "control-plan": _control_plan,
    "occasion-reports": lambda: reverse("yearreports:occasion_reports", args=[_occasion(12).pk]),
    "reports": lambda: reverse("yearreports:report_list"),
    "economy-unit": lambda: reverse("economy_unit", args=["von", 2026]),
    "metric-trend": _metric_trend,
    "occasions": lambda: reverse("occasion_list"),
    "persons": lambda: reverse("person_list"),
    "value-entry": lambda: reverse("value_entry", args=[_card("ff-energi").pk]) + "?period=2026-12",
}

# What counts as a status: the status badges (text + icon), a risk matrix's levels, and every cell
# of a table column whose heading names a status, a result, a state, an assessment or a deviation.
_STATUSES_JS = r"""() => {
  const width = document.documentElement.clientWidth;
  const heading = /status|resultat|läge$|bedömning|avvikelse/i;
  const found = new Set(document.querySelectorAll(
    'main .status, main .assignment-status, main .late, main .done, main .risk-matrix td'));
  for (const table of document.querySelectorAll('main table')) {
    const cols = [...table.querySelectorAll('thead th')]
      .map((th, i) => heading.test(th.textContent.trim()) ? i : -1).filter(i => i >= 0);
    for (const row of table.querySelectorAll('tbody tr'))
      for (const i of cols) if (row.cells[i] && row.cells[i].textContent.trim()) found.add(row.cells[i]);
  }
  // The visible text itself, not a cell stretched wider than it nor visually hidden labels.
  const textBox = el => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let left = Infinity, right = -Infinity;
    for (let node = walk.nextNode(); node; node = walk.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        left = Math.min(left, r.left); right = Math.max(right, r.right);
      }
    }
    return right > left ? {left, right} : null;
  };
  const outside = [], scrolled = [];
  let shown = 0;
  for (const el of found) {
    if (!el.getClientRects().length) continue;  // not rendered (a closed <details>, print only)
    shown++;
    const box = textBox(el);
    if (!box) continue;
    if (box.left < 0 || box.right > width + 0.5)
      outside.push(el.textContent.trim().replace(/\s+/g, ' ').slice(0, 40)
                   + ` (${Math.round(box.left)}–${Math.round(box.right)})`);
    for (let up = el.parentElement; up; up = up.parentElement)
      if (up.scrollLeft) { scrolled.push(up.className); break; }
  }
  return {shown, outside: outside.slice(0, 8), scrolled, pageX: window.scrollX};
}"""

# Scroll containers that still scroll sideways at this width, and whether a keyboard reaches them.
_SCROLLERS_JS = r"""() => [...document.querySelectorAll('main *')]
  .filter(el => el.scrollWidth > el.clientWidth + 1
          && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
  .map(el => ({cls: el.className, tabindex: el.getAttribute('tabindex'),
               role: el.getAttribute('role'),
               named: !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'))}))"""


@pytest.fixture(autouse=True)
def patient(page: Page):
    """The city's first page computes its roll-ups once; on a busy machine that takes a while."""
    page.set_default_timeout(60_000)


@pytest.mark.layout
@pytest.mark.parametrize("name", PAGES)
def test_every_status_lies_inside_a_phone_viewport(page: Page, demo, name):
    sign_in(page, demo, "admin")
    page.set_viewport_size({"width": NARROW, "height": 800})
    response = page.goto(demo(PAGES[name]()))
    assert response.status == 200, (name, response.status)
    assert_no_horizontal_scroll(page)
    found = page.evaluate(_STATUSES_JS)
    assert found["shown"] > 0, f"{name}: no status found"
    assert found["pageX"] == 0 and not found["scrolled"], found
    assert found["outside"] == [], f"{name}: statuses beyond {NARROW} px: {found['outside']}"
    for scroller in page.evaluate(_SCROLLERS_JS):
        assert scroller["tabindex"] == "0" and scroller["role"] == "region", (name, scroller)
        assert scroller["named"], (name, scroller)
    check_axe(page, who="admin")  # the stacked layout and the regions pass axe too
    screenshot(page, f"phone-{NARROW}-{name}")


def test_the_wide_layout_keeps_its_tables(page: Page, demo):
    """At 1440 px the stacked tables are tables again: headings shown, cells side by side; a
    table still too wide scrolls in a region a keyboard reaches."""
    sign_in(page, demo, "admin")
    page.set_viewport_size({"width": WIDE, "height": 900})
    changed = ("actions", "assignment", "control-plan", "occasion-reports", "economy-unit")
    for name in (*changed, "metric-trend"):
        page.goto(demo(PAGES[name]()))
        for scroller in page.evaluate(_SCROLLERS_JS):
            assert scroller["tabindex"] == "0" and scroller["role"] == "region", (name, scroller)
        if name in changed:
            screenshot(page, f"phone-{WIDE}-{name}")
        layout = page.evaluate(
            """() => [...document.querySelectorAll('main table')].map(t => ({
                display: getComputedStyle(t).display,
                head: t.tHead ? getComputedStyle(t.tHead).position : 'none'}))"""
        )
        assert layout, name
        for table in layout:
            assert table["display"] == "table" and table["head"] != "absolute", (name, layout)


_SCROLL_DIV = re.compile(r"<div\b[^>]*\bclass=\"[^\"]*\btable-scroll\b[^>]*>\s*(<table\b[^>]*>)?")
# A goal's metric table on the scorecard stacks by the .goal rules: a region per goal would add a
# tab stop for every goal of the city's page, where nothing scrolls.
STACKED_BY_GOAL_RULES = {"scorecards/templates/scorecards/_perspectives.html"}


def test_every_scroll_region_is_reachable_by_keyboard():
    """Every .table-scroll in the templates is a named, focusable region (a keyboard user scrolls
    it with the arrow keys once it has focus), unless its table stacks on a phone (class stack):
    then nothing scrolls there, and test_the_wide_layout_keeps_its_tables checks the wide pages."""
    missing = []
    for template in sorted(ROOT.glob("**/templates/**/*.html")):
        name = str(template.relative_to(ROOT))
        if ".venv" in template.parts or name in STACKED_BY_GOAL_RULES:
            continue
        for found in _SCROLL_DIV.finditer(template.read_text(encoding="utf-8")):
            tag, table = found.group(0), found.group(1) or ""
            named = "aria-label=" in tag or "aria-labelledby=" in tag
            stacked = re.search(r'class="[^"]*\bstack\b', table)
            if not (stacked or ('tabindex="0"' in tag and 'role="region"' in tag and named)):
                missing.append(f"{name}: {tag.strip()}")
    assert missing == [], "\n".join(missing)
