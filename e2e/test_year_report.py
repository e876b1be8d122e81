"""The year's report in the browser (issue 18): a writer writes a section and marks it ready, the
owner sends it back with a reason, the writer fixes it, the owner approves, the parent unit quotes
it, and the controller completes the parent's report. The text is written with simple marks (a
heading, a list, bold, a link) and previewed, never as HTML. axe on every report page at 375 and
1440 px."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from followup.models import FollowUpOccasion
from yearreports.models import Report

from .browsing import NARROW, WIDE, assert_no_horizontal_scroll, check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
REASON = "Beskriv också hur LED-bytet har gått."


def _as(page: Page, demo, username: str, path: str) -> None:
    page.context.clear_cookies()
    sign_in(page, demo, username, next=path)


def _axe_both(page: Page) -> None:
    for width, height in ((WIDE, 900), (NARROW, 800)):
        page.set_viewport_size({"width": width, "height": height})
        check_axe(page)
    assert_no_horizontal_scroll(page)
    page.set_viewport_size({"width": WIDE, "height": 900})


def _button(page: Page, name: str):
    return page.locator("main").get_by_role("button", name=name, exact=True)


def _write(page: Page, text: str) -> None:
    page.locator("#id_text").fill(text)
    _button(page, "Spara texten").click()
    expect(page.locator(".messages, [role=status], main").first).to_contain_text("sparats")


def test_write_send_back_fix_approve_quote_and_complete(page: Page, demo):
    annual = FollowUpOccasion.objects.get(year=2026, end_month=12)
    overview = reverse("yearreports:occasion_reports", args=[annual.pk])

    # The controller sends the årsredovisning to the departments and units.
    _as(page, demo, "admin", overview)
    _axe_both(page)
    page.get_by_role("link", name="Skicka ut en rapportmall").click()
    page.get_by_label("Rapportmall").select_option(label="Årsredovisning 2026")
    page.get_by_label("Avdelning").check()
    page.get_by_label("Enhet", exact=True).check()
    _axe_both(page)
    _button(page, "Skicka ut").click()
    expect(page.get_by_role("link", name="Energienheten")).to_be_visible()

    # The writer finds the report on the unit's page, writes and marks the section ready.
    _as(page, demo, "rapportor", reverse("unit_detail", args=["ff-energi"]))
    page.get_by_role("link", name="Årsredovisning 2026").click()
    _axe_both(page)
    page.get_by_role("link", name="Sammanfattning").click()
    section_url = page.url
    # Formatting without HTML: a heading, a list, bold and a link, previewed, then saved.
    page.locator("#id_text").fill(
        "## Belysning\n\nEnergienheten har bytt till **LED** i tolv hallar.\n\n"
        "- Idrottshallar\n- Simhallar\n\n[Energiplanen](https://www.exempel.se/energi)"
    )
    page.locator("main summary").get_by_text("Så formaterar du texten", exact=True).click()
    _button(page, "Förhandsgranska").click()
    preview = page.get_by_role("region", name="Förhandsgranskning (inte sparad)")
    expect(preview.get_by_role("heading", name="Belysning")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("LED")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    expect(preview.get_by_role("link", name="Energiplanen")).to_be_visible()
    _axe_both(page)
    _button(page, "Spara texten").click()
    expect(page.locator(".messages, [role=status], main").first).to_contain_text("sparats")
    expect(page.locator("#id_text")).to_have_value(re.compile(r"^## Belysning\n"))
    _axe_both(page)
    _button(page, "Klarmarkera").click()
    expect(page.locator("main")).to_contain_text("Klar")

    # The owner sends it back with a reason.
    _as(page, demo, "redaktor", section_url)
    page.get_by_role("link", name="Skicka tillbaka").click()
    _axe_both(page)
    page.get_by_label("Skäl").fill(REASON)
    _button(page, "Skicka tillbaka").click()

    # The writer reads the reason and fixes the text.
    _as(page, demo, "rapportor", section_url)
    expect(page.locator("main")).to_contain_text(REASON)
    _write(page, "Energienheten har bytt till **LED** i tolv hallar; bytet gick enligt plan.")
    _button(page, "Klarmarkera").click()

    # The owner approves.
    _as(page, demo, "redaktor", section_url)
    _button(page, "Godkänn").click()
    expect(page.locator("main")).to_contain_text("Godkänd")

    # The parent (Drift- och underhållsavdelningen) quotes it and finishes its own sections.
    parent = Report.objects.get(occasion=annual, unit__code="ff-drift")
    page.goto(demo(parent.get_absolute_url()))
    for heading in ("Sammanfattning", "Måluppfyllelse", "Aktiviteter"):
        page.get_by_role("link", name=heading, exact=True).click()
        if heading == "Sammanfattning":
            expect(page.locator("main")).to_contain_text("bytet gick enligt plan")
            _button(page, "Citera Energienheten").click()
            expect(page.locator("#id_text")).to_contain_text("bytet gick enligt plan")
        else:
            _write(page, f"Avdelningens text om *{heading.lower()}*.")
        _button(page, "Klarmarkera").click()
        _button(page, "Godkänn").click()
        page.goto(demo(parent.get_absolute_url()))

    # The controller completes it with the decision.
    _as(page, demo, "admin", parent.get_absolute_url())
    page.get_by_role("link", name="Fastställ rapporten").click()
    _axe_both(page)
    page.get_by_label("Beslutande organ").fill("Fastighetsnämnden")
    page.get_by_label("Beslutsdatum").fill("2027-02-20")
    page.get_by_label("Paragraf").fill("§ 14")
    page.get_by_label("Diarienummer").fill("FN 2027/14")
    _button(page, "Fastställ").click()
    expect(page.locator("main")).to_contain_text("Fastställd")
    expect(page.locator("main")).to_contain_text("bytet gick enligt plan")
    _axe_both(page)
    parent.refresh_from_db()
    assert parent.is_completed and parent.decision_paragraph == "§ 14"
    assert "bytet gick enligt plan" in str(parent.document)

    # Anyone reads the adopted report, also as a web page of its own.
    page.context.clear_cookies()
    page.goto(demo(reverse("yearreports:html", args=[parent.pk])))
    expect(page.locator("main")).to_contain_text("bytet gick enligt plan")
    _axe_both(page)
