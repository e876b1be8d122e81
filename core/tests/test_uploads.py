import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadValidator, validate_upload


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _file(name, content, content_type=""):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_real_csv_and_a_real_xlsx_pass():
    assert (
        validate_upload(_file("utfall.csv", "år;värde\n2026;150\n".encode()), kinds=["csv"])
        == "csv"
    )
    assert validate_upload(_file("utfall.XLSX", _xlsx()), kinds=["xlsx"]) == "xlsx"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("utfall.exe", b"MZ\x90\x00", "extension"),
        ("utfall.xlsx", b"MZ\x90\x00 not a zip", "content"),
        ("utfall.xlsx", b"PK\x03\x04 broken zip", "content"),
        ("utfall.csv", b"<html><script>alert(1)</script>", "content"),
        ("utfall.csv", b"a;b\x00c", "content"),
        ("utfall.csv", b"", "empty"),
        ("utfall", b"a;b", "extension"),
    ],
)
def test_it_refuses_wrong_types_with_a_swedish_message(name, content, code):
    with pytest.raises(ValidationError) as error:
        validate_upload(_file(name, content), kinds=["csv", "xlsx"])
    assert error.value.code == code
    assert error.value.messages[0][0].isupper()


def test_it_refuses_files_over_the_limit():
    with pytest.raises(ValidationError, match="för stor"):
        validate_upload(_file("utfall.csv", b"a;b\n" * 100), kinds=["csv"], max_bytes=10)


def test_it_refuses_a_browser_content_type_that_contradicts_the_name():
    with pytest.raises(ValidationError):
        validate_upload(_file("utfall.csv", b"a;b", "text/html"), kinds=["csv"])


def test_the_validator_works_in_a_form():
    class ImportForm(forms.Form):
        file = forms.FileField(validators=[UploadValidator(kinds=("xlsx",))])

    good = ImportForm(files={"file": _file("a.xlsx", _xlsx())})
    bad = ImportForm(files={"file": _file("a.xlsx", b"<svg onload=alert(1)>")})
    assert good.is_valid()
    assert not bad.is_valid() and "stämmer inte" in bad.errors["file"][0]


def test_unknown_kinds_are_a_programming_error():
    with pytest.raises(ValueError):
        validate_upload(_file("a.csv", b"a"), kinds=["odt"])
