"""Adopted stays adopted (issue #17.6), in the browser: an editor changes a goal of an adopted
scorecard — first without saying why (refused), then with a reason — and the page marks the goal
"ändrat efter beslut" with who, when and why; "Visa som fastställt" still shows the goal as
decided. A unit renamed after its T1 report was locked keeps its old name in that report."""

import pytest
from playwright.sync_api import Page, expect

from followup.models import FollowUpOccasion
from organisation.models import OrgUnit
from scorecards.models import Scorecard

from .browsing import assert_no_horizontal_scroll, check_axe, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
REFUSED = "Styrkortet är fastställt: ange varför det ändras efter beslutet."
REASON = "Nämnden skärpte målet vid sitt möte i juni (§ 45)."


def test_a_change_after_adoption_needs_a_reason_and_is_marked(page: Page, demo):
    card = Scorecard.objects.get(unit__code="ff", year=2026)
    goal = card.goals.order_by("perspective__order", "order", "pk").first()
    old_title, new_title = goal.title, goal.title + " – skärpt"
    sign_in(page, demo, "redaktor", next=card.get_absolute_url())
    article = page.locator(f"#mal-{goal.pk}")
    article.get_by_role("link", name="Redigera mål").click()

    page.get_by_label("Mål:", exact=True).fill(new_title)
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("main")).to_contain_text(REFUSED)
    check_axe(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_no_horizontal_scroll(page)
    screenshot(page, "adopted-reason-refused-375")
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_label("Varför ändras det fastställda styrkortet?").fill(REASON)
    page.get_by_role("button", name="Spara").click()
    expect(article.get_by_role("heading", level=3)).to_have_text(new_title)
    mark = article.locator(".changed-after-decision")
    expect(mark).to_contain_text("Ändrat efter beslut")
    expect(mark).to_contain_text("Erik Lund")
    expect(mark).to_contain_text(REASON)
    check_axe(page)
    article.scroll_into_view_if_needed()
    screenshot(page, "adopted-marked-1440", full_page=False)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_no_horizontal_scroll(page)
    article.scroll_into_view_if_needed()
    screenshot(page, "adopted-marked-375", full_page=False)
    page.set_viewport_size({"width": 1440, "height": 900})

    page.get_by_role("link", name="Visa som fastställt").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("som fastställt")
    expect(main.get_by_role("heading", name=old_title, exact=True)).to_be_visible()
    expect(main.get_by_role("heading", name=new_title, exact=True)).to_have_count(0)
    expect(main).to_contain_text(REASON)
    check_axe(page)
    screenshot(page, "adopted-version-1440")
    page.set_viewport_size({"width": 375, "height": 800})
    assert_no_horizontal_scroll(page)
    screenshot(page, "adopted-version-375")

    page.goto(demo(f"/historik/goal/{goal.pk}/"))
    expect(page.locator("main")).to_contain_text(REASON)
    check_axe(page)


def test_a_locked_report_keeps_the_units_name(page: Page, demo):
    unit = OrgUnit.objects.get(code="ff")
    old_name = unit.name
    card = Scorecard.objects.get(unit=unit, year=2025)
    t1 = FollowUpOccasion.objects.get(year=2025, end_month=4)
    assert t1.is_locked
    unit.name = "Omdöpta förvaltningen"
    unit.save()
    sign_in(page, demo, "redaktor", next=f"/styrkort/{card.pk}/uppfoljning/{t1.pk}/")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(old_name)
    expect(heading).not_to_contain_text("Omdöpta")


def test_a_target_import_into_an_adopted_scorecard_asks_why(page: Page, demo):
    import io

    import openpyxl
    from django.contrib.auth import get_user_model

    from reports import imports
    from reports.models import ImportKind
    from reports.tests.conftest import filled, xlsx_upload

    card = Scorecard.objects.get(unit__code="ff", year=2026)
    template = imports.targets_template(card, 2026)
    # One target changed: the first row's value (column I) raised by one.
    sheet = openpyxl.load_workbook(io.BytesIO(template)).active
    first = next(r for r in sheet.iter_rows(min_row=6) if r[8].value is not None)
    data = filled(template, {(first[0].row, "I"): float(first[8].value) + 1})
    batch = imports.batch_create(
        card=card,
        kind=ImportKind.TARGETS,
        upload=xlsx_upload(data, "malvarden.xlsx"),
        user=get_user_model().objects.get(username="redaktor"),
    )
    sign_in(page, demo, "redaktor", next=f"/import/{batch.pk}/")
    reason = page.get_by_label("Varför ändras det fastställda styrkortet?")
    expect(reason).to_be_visible()
    check_axe(page)
    page.set_viewport_size({"width": 375, "height": 800})
    assert_no_horizontal_scroll(page)
    screenshot(page, "adopted-import-reason-375")
    page.set_viewport_size({"width": 1440, "height": 900})
    reason.fill("Ny budgetram från nämnden.")
    page.get_by_role("button", name="Spara 1 ändring").click()
    expect(page.get_by_role("status").filter(has_text="Importen är klar.").last).to_be_visible()
    page.goto(demo(card.get_absolute_url()))
    expect(page.locator(".changed-after-decision").first).to_contain_text(
        "Ny budgetram från nämnden."
    )
