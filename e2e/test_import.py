"""A reporter fills in the spreadsheet template, uploads it, checks the preview and saves it."""

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from followup.models import Measurement
from scorecards.models import Scorecard, Source

from .browsing import check_axe, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
DECEMBER = {
    "energironder": 44,
    "budgetavvikelse": 1.1,
    "sjukfranvaro": 5.9,
    "energi-lokaler": 146,
    "energibesparing": 2.3,
}


def test_a_reporter_imports_a_months_values_from_a_spreadsheet(page: Page, demo, tmp_path):
    card = Scorecard.objects.get(unit__code="ff-energi", year=2026)
    sign_in(page, demo, "rapportor", next=card.get_absolute_url())
    page.get_by_role("link", name="Registrera utfall").click()
    page.get_by_role("link", name="Importera från fil (Excel)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importera från fil – Energienheten 2026"
    )
    check_axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner mall för utfall 2026 (.xlsx)").click()
    template = tmp_path / "mall.xlsx"
    download.value.save_as(template)
    book = openpyxl.load_workbook(template)
    sheet = book.active
    header = next(r for r in sheet.iter_rows() if r[0].value == "id")
    december = next(c.column for c in header if str(c.value).lower().startswith("dec"))
    code_column = next(c.column for c in header if c.value == "Kod")
    filled = 0
    for row in sheet.iter_rows(min_row=header[0].row + 1):
        code = row[code_column - 1].value
        if code in DECEMBER:
            sheet.cell(row=row[0].row, column=december, value=DECEMBER[code])
            filled += 1
    assert filled == len(DECEMBER)
    upload = tmp_path / "utfall-december.xlsx"
    book.save(upload)

    page.get_by_label("Fil:", exact=True).set_input_files(upload)
    page.get_by_role("button", name="Läs in filen och visa ändringarna").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import av utfall 2026")
    expect(page.get_by_role("row", name="Nya")).to_contain_text(str(len(DECEMBER)))
    assert not Measurement.objects.filter(unit=card.unit, year=2026, month=12).exists()
    check_axe(page)

    page.get_by_role("button", name=f"Spara {len(DECEMBER)} ändringar").click()
    result = page.get_by_role("status").filter(has_text="Importen är klar.").last
    expect(result).to_contain_text(f"{len(DECEMBER)} nya, 0 ändrade och 0 borttagna sparades")
    check_axe(page)
    saved = Measurement.objects.filter(unit=card.unit, year=2026, month=12)
    assert {m.indicator.code: float(m.value) for m in saved} == DECEMBER
    assert {m.source for m in saved} == {Source.FILE}

    # The imported values are there on the value-entry page, with their statuses.
    page.goto(demo(f"/styrkort/{card.pk}/utfall/?period=2026-12"))
    expect(page.get_by_label("Utfall för Energianvändning i kommunala lokaler")).to_have_value(
        "146"
    )
