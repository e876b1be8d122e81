"""Assignments (uppdrag) in the browser: an editor registers one from a decision, a reporter of
the receiving unit reports its status at an occasion, and it is in the open data; every new page
of assignments and internal control has no axe violations at 375 and 1440 px."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from assignments.models import Assignment, AssignmentReceiver
from followup.models import FollowUpOccasion

from .browsing import NARROW, WIDE, assert_no_horizontal_scroll, check_axe, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
TITLE = "Installera solceller på tio skolor"


def test_register_report_and_publish_an_assignment(page: Page, demo):
    sign_in(page, demo, "redaktor")  # editor of Fastighetsförvaltningen
    page.goto(demo(reverse("assignment_list")))
    page.get_by_role("link", name="Registrera uppdrag").click()
    page.get_by_label("Utfärdande enhet").select_option(label="Fastighetsförvaltningen")
    page.get_by_label("Beslutande organ").fill("Fastighetsnämnden")
    page.get_by_label("Beslutsdatum").fill("2026-03-18")
    page.get_by_label("Paragraf").fill("§ 41")
    page.get_by_label("Diarienummer").fill("FN 2026/00211")
    page.get_by_label("Rubrik").fill(TITLE)
    page.get_by_label("Uppdragets text").fill(
        "Energienheten får i uppdrag att installera solceller."
    )
    page.get_by_label("Ska vara klart").fill("2027-06-30")
    page.get_by_label("Energienheten").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text(
        "Fastighetsnämnden, 2026-03-18, § 41, dnr FN 2026/00211"
    )

    page.context.clear_cookies()
    sign_in(page, demo, "rapportor")  # reporter of Energienheten
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=12)
    page.goto(demo(reverse("occasion_detail", args=[occasion.pk])))
    page.get_by_role("link", name=f"Rapportera {TITLE}, Energienheten").click()
    page.get_by_label("Pågår").check()
    page.get_by_label("Kommentar").fill("Upphandlingen är klar; montering i vår.")
    page.get_by_role("button", name="Spara status").click()
    expect(page.locator("main")).to_contain_text("Upphandlingen är klar; montering i vår.")

    page.context.clear_cookies()
    response = page.goto(demo(reverse("assignment_open_data_json")))
    data = json.loads(response.text())
    ours = next(a for a in data["uppdrag"] if a["rubrik"] == TITLE)
    assert ours["beslut"]["diarienummer"] == "FN 2026/00211"
    assert ours["mottagare"][0]["senaste_status"] == "ongoing"


def _pages() -> list[tuple[str, str]]:
    overdue = Assignment.objects.get(title="Utreda fler laddplatser vid stadens fastigheter")
    receiver = AssignmentReceiver.objects.get(assignment=overdue, unit__code="fn")
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=12)
    return [
        ("assignments", reverse("assignment_list")),
        ("assignments-overdue", reverse("assignment_list") + "?status=overdue"),
        ("assignment", overdue.get_absolute_url()),
        ("assignment-create", reverse("assignment_create")),
        ("assignment-import", reverse("assignment_import")),
        ("assignment-edit", reverse("assignment_edit", args=[overdue.pk])),
        ("assignment-close", reverse("assignment_close", args=[overdue.pk])),
        ("assignment-report", reverse("assignment_report", args=[receiver.pk, occasion.pk])),
        ("assignment-history", reverse("object_history", args=["assignment", overdue.pk])),
        ("occasion-with-assignments", reverse("occasion_detail", args=[occasion.pk])),
        *_control_pages(),
    ]


def _control_pages() -> list[tuple[str, str]]:
    from internalcontrol.models import Control, ControlPlan

    plan = ControlPlan.objects.get(unit__code="fn", year=2026)
    control = Control.objects.filter(risk__plan=plan).first()
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=12)
    return [
        ("control-plans", reverse("control_plan_list")),
        ("control-plan", plan.get_absolute_url()),
        ("risk-create", reverse("risk_create", args=[plan.pk])),
        ("risk-import", reverse("control_plan_import", args=[plan.pk])),
        ("control-edit", reverse("control_edit", args=[control.pk])),
        ("control-result", reverse("control_result", args=[control.pk, occasion.pk])),
        ("control-plan-adopt", reverse("control_plan_adopt", args=[plan.pk])),
        # the demo's plans are adopted: the matrix size shown fixed, removal refused with a reason
        ("control-plan-edit", reverse("control_plan_edit", args=[plan.pk])),
        ("risk-delete", reverse("risk_delete", args=[control.risk_id])),
        ("control-delete", reverse("control_delete", args=[control.pk])),
    ]


def test_the_assignment_pages_are_accessible_at_both_widths(page: Page, demo):
    sign_in(page, demo, "admin")
    for name, address in _pages():
        for width, height in ((WIDE, 900), (NARROW, 800)):
            page.set_viewport_size({"width": width, "height": height})
            response = page.goto(demo(address))
            assert response.status == 200, (address, response.status)
            check_axe(page, who="admin")
            if width == NARROW:
                assert_no_horizontal_scroll(page)
            if name in ("assignments", "assignment", "control-plan"):
                screenshot(page, f"{width}-admin-{name}")
