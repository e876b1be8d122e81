"""A new municipality starts from an empty database: the README's create_admin command, then
signing in leads through the setup pages — no /admin/, no shell beyond that command."""

import io
import os
from io import StringIO

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from core.site import site_settings
from followup.models import FollowUpOccasion
from organisation.models import OrgUnit
from scorecards.models import GoalProgramme, Perspective

from .browsing import NARROW, WIDE, Site, assert_no_horizontal_scroll, check_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "tanum-kust-2026-lösen"  # noqa: S105 - a test account


@pytest.fixture
def empty(transactional_db, live_server, monkeypatch) -> Site:
    monkeypatch.setitem(os.environ, "STYRKORT_ADMIN_PASSWORD", PASSWORD)
    call_command(
        "create_admin",
        username="anna",
        email="anna@tanum.se",
        name="Anna Andersson",
        municipality="Tanums kommun",
        no_input=True,
        stdout=StringIO(),
    )
    return Site(live_server.url)


def organisation_xlsx(tmp_path) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Organisation"
    for row in [
        ["Kod", "Namn", "Typ", "Överordnad kod"],
        ["bun", "Barn- och utbildningsnämnden", "Nämnd", "tanums-kommun"],
        ["skola", "Skolenheten Hamburgsund", "Enhet", "bun"],
    ]:
        ws.append(row)
    path = tmp_path / "organisation.xlsx"
    out = io.BytesIO()
    wb.save(out)
    path.write_bytes(out.getvalue())
    return str(path)


def look(page: Page, name: str) -> None:
    """Axe-clean, no sideways scroll, and screenshots at both widths."""
    for width in (NARROW, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_scroll(page)
        screenshot(page, f"first-run-{name}-{width}")
    check_axe(page)


def test_a_new_municipality_is_set_up_through_the_pages(page: Page, empty, tmp_path):
    page.goto(empty("/konto/logga-in/"))
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kom igång")
    look(page, "start")
    page.get_by_role("link", name="Börja med första steget").click()

    # 1. The municipality: guessed from the name create_admin was given.
    expect(page.get_by_label("Kommunens namn")).to_have_value("Tanums kommun")
    expect(page.get_by_label("Kommunen i Kolada")).to_have_value("1435")
    expect(page.get_by_label("kommun", exact=True)).to_be_checked()
    look(page, "kommun")
    page.get_by_label("Kommunens namn").fill("")
    page.get_by_role("button", name="Spara och fortsätt").click()
    expect(page.locator(".form-errors")).to_be_visible()
    look(page, "kommun-fel")
    page.get_by_label("Kommunens namn").fill("Tanums kommun")
    page.get_by_role("button", name="Spara och fortsätt").click()

    # 2. Unit kinds: a small municipality without boards and departments.
    expect(page.get_by_role("heading", level=1)).to_have_text("Enhetstyper")
    page.get_by_label("Bolag").uncheck()
    page.get_by_label("Avdelning").uncheck()
    look(page, "enhetstyper")
    page.get_by_role("button", name="Spara och fortsätt").click()

    # 3. The organisation: one unit by hand, the rest from a spreadsheet.
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")
    page.locator("#id_name").fill("Kommunstyrelsen")
    page.get_by_label("Typ").select_option(label="Styrelse")
    page.get_by_label("Överordnad enhet").select_option(label="Tanums kommun")
    page.get_by_label("Kod").fill("ks")
    page.get_by_role("button", name="Lägg till enheten").click()
    expect(page.locator(".messages")).to_contain_text("Enheten Kommunstyrelsen har skapats.")
    page.get_by_label("Fil").set_input_files(organisation_xlsx(tmp_path))
    page.get_by_role("button", name="Läs in filen").click()
    expect(page.get_by_role("table", name="Nya och ändrade enheter")).to_contain_text(
        "Skolenheten Hamburgsund (Enhet) under bun"
    )
    look(page, "import-granska")
    page.get_by_role("button", name="Spara 2 ändringar").click()
    expect(page.locator(".messages")).to_contain_text("2 nya och 0 ändrade enheter")
    look(page, "enheter")
    page.get_by_role("link", name="Fortsätt").click()

    # 4. Perspectives: the preset.
    expect(page.get_by_role("heading", level=1)).to_have_text("Perspektiv")
    look(page, "perspektiv")
    page.get_by_role("button", name="Använd de fyra perspektiven").click()

    # 5. The goal programme.
    expect(page.get_by_role("heading", level=1)).to_have_text("Målprogram")
    page.locator("#id_name").fill("Vision Tanum 2030")
    page.get_by_label("Vision").fill("Tanum – en levande kustkommun året om")
    page.get_by_label("Första år").fill("2027")
    page.get_by_label("Sista år").fill("2030")
    page.get_by_label("Beslutande organ").fill("Kommunfullmäktige")
    look(page, "malprogram")
    page.get_by_role("button", name="Spara och fortsätt").click()

    # 6. The calendar: the proposed occasions and deadlines.
    expect(page.get_by_role("heading", level=1)).to_have_text("Uppföljningskalender")
    look(page, "kalender")
    page.get_by_role("button", name="Spara och fortsätt").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kom igång")
    expect(page.locator("main")).not_to_contain_text("inte gjort ännu")
    page.get_by_role("button", name="Uppstarten är klar").click()
    expect(page.locator(".brand-city")).to_have_text("Tanums kommun")

    site = site_settings()
    assert (site.name, site.designation, site.kolada_id, site.setup_done) == (
        "Tanums kommun",
        "kommun",
        "1435",
        True,
    )
    assert "bolag" not in site.unit_kinds
    assert OrgUnit.objects.get(code="skola").parent.code == "bun"
    assert Perspective.objects.count() == 4
    assert GoalProgramme.objects.get().vision.startswith("Tanum")
    assert FollowUpOccasion.objects.count() == 3
