"""An administrator uploads the municipality's Word template, is refused a file that is not one
(with the template kept), and removes it; each page checked with axe at 1440 and 375 px."""

from io import BytesIO

import docx
import pytest
from playwright.sync_api import Page, expect

from .browsing import assert_no_horizontal_scroll, check_axe, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _look(page: Page, name: str) -> None:
    for width in (1440, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_scroll(page)
        screenshot(page, f"word-template-{name}-{width}")
        check_axe(page)
    page.set_viewport_size({"width": 1440, "height": 900})


def _template() -> bytes:
    out = BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def test_an_administrator_uploads_replaces_and_removes_the_word_template(
    page: Page, demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sign_in(page, demo, "admin")
    page.goto(demo("/administration/"))
    page.get_by_role("link", name="Word-mall", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Word-mall för rapporter")
    _look(page, "empty")

    page.get_by_label("Word-mall").set_input_files(
        {"name": "stadens-mall.docx", "mimeType": "application/octet-stream", "buffer": _template()}
    )
    page.get_by_role("button", name="Ladda upp mallen").click()
    expect(page.locator(".messages")).to_contain_text("Word-mallen är sparad.")
    expect(page.locator("main")).to_contain_text("stadens-mall.docx")

    page.get_by_label("Word-mall").set_input_files(
        {"name": "inte-word.docx", "mimeType": "application/pdf", "buffer": b"%PDF-1.7"}
    )
    page.get_by_role("button", name="Ersätt mallen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Formuläret innehåller fel")
    expect(page.locator("main")).to_contain_text("stadens-mall.docx")
    _look(page, "refused")

    page.get_by_role("button", name="Ta bort mallen").click()
    expect(page.locator(".messages")).to_contain_text("Word-mallen är borttagen.")
    expect(page.locator("main")).to_contain_text("Ingen mall är uppladdad")
