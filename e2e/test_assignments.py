"""Assignments (uppdrag) in the browser: an editor registers one from a decision, a reporter of
the receiving unit reports its status at an occasion, and it is in the open data. Their pages, and
those of internal control, are in the axe walk of e2e/test_pages.py."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from followup.models import FollowUpOccasion

from .browsing import sign_in

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
