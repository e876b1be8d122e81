"""The municipality's Word template: uploaded, replaced and removed by an administrator, refused
with a Swedish message (and nothing changed) unless python-docx opens it, used by the export."""

import zipfile
from io import BytesIO

import docx
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx.shared import Pt

from core import word_template
from core.models import SiteSettings
from yearreports.render import to_docx
from yearreports.tests.documents import city_report

URL = reverse("word_template")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def admin(world):
    client = Client()
    client.force_login(world.admin)
    return client


def template_bytes(font="Georgia", *, dotx=False) -> bytes:
    document = docx.Document()
    document.styles["Heading 1"].font.name = font
    document.styles["Heading 1"].font.size = Pt(23)
    out = BytesIO()
    document.save(out)
    if not dotx:
        return out.getvalue()
    source, target = zipfile.ZipFile(out), BytesIO()
    with zipfile.ZipFile(target, "w") as zout:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(b"document.main+xml", b"template.main+xml")
            zout.writestr(item, content)
    return target.getvalue()


def upload(client, name: str, data: bytes, content_type: str = DOCX):
    return client.post(
        URL, {"action": "upload", "file": SimpleUploadedFile(name, data, content_type)}
    )


def stored() -> str:
    row = SiteSettings.objects.filter(pk=1).first()
    return row.word_template.name if row else ""


def test_the_administration_page_links_to_it(admin):
    assert URL in admin.get(reverse("administration")).content.decode()


def test_upload_replace_and_remove(admin, media):
    page = admin.get(URL).content.decode()
    assert "Ingen mall är uppladdad" in page
    assert upload(admin, "Helsingborg mall.docx", template_bytes()).status_code == 302
    first = stored()
    assert first.startswith("wordmall/") and default_storage.exists(first)
    assert "Helsingborg_mall.docx" in admin.get(URL).content.decode()
    opened = docx.Document(word_template.template_file())
    assert opened.styles["Heading 1"].font.name == "Georgia"
    # The export starts from the stored template (how the report's download calls it).
    exported = to_docx(city_report(), template_path=word_template.template_file())
    assert docx.Document(BytesIO(exported)).styles["Heading 1"].font.name == "Georgia"

    assert upload(admin, "ny.dotx", template_bytes("Arial", dotx=True)).status_code == 302
    second = stored()
    assert second.endswith(".dotx") and not default_storage.exists(first)

    assert admin.post(URL, {"action": "remove"}).status_code == 302
    assert stored() == "" and not default_storage.exists(second)
    assert word_template.template_file() is None


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("mall.docx", b"%PDF-1.7 not word", "Filens innehåll stämmer inte med filtypen .docx."),
        ("mall.pdf", b"%PDF-1.7", "Filtypen stöds inte."),
        ("mall.docx", b"", "Den skickade filen var tom."),
    ],
)
def test_not_a_word_file_is_refused_and_nothing_changes(admin, name, data, message):
    upload(admin, "mall.docx", template_bytes())
    before = stored()
    response = upload(admin, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert stored() == before and default_storage.exists(before)


def test_a_zip_with_word_folder_python_docx_cannot_open_is_refused(admin):
    broken = BytesIO()
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("word/document.xml", "<not really/>")
    response = upload(admin, "trasig.docx", broken.getvalue())
    assert "Filen går inte att öppna som Word-dokument" in response.content.decode()
    assert stored() == ""


def test_a_template_missing_from_storage_is_said_and_not_fatal(admin):
    upload(admin, "mall.docx", template_bytes())
    default_storage.delete(stored())
    assert "Filen saknas i lagringen" in admin.get(URL).content.decode()
    assert word_template.template_file() is None


def test_only_the_whole_municipalitys_administrator(world):
    client = Client()
    client.force_login(world.editor)
    assert client.get(URL).status_code == 403
    assert upload(client, "mall.docx", template_bytes()).status_code == 403
    assert stored() == ""
