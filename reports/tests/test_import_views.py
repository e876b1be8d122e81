"""The import pages: who may import what, the upload checks, preview, confirm and cancel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from core.testing import make_scorecard
from followup.models import Measurement
from reports import imports
from reports.models import ImportBatch, ImportState
from scorecards.models import ScorecardStatus

from .conftest import MONTH_COLUMN, filled, row_of, xlsx_upload


def upload(client, card, kind, file):
    return client.post(reverse("import_upload", args=[card.pk, kind]), {f"{kind}-file": file})


def values_file(card, month=1, value=150):
    template = imports.values_template(card)
    return xlsx_upload(filled(template, {(row_of(template, "energi"), MONTH_COLUMN[month]): value}))


def test_a_reporter_sees_values_but_not_targets(client, world, card):
    client.force_login(world.reporter)
    text = client.get(reverse("import_start", args=[card.pk])).content.decode()
    assert "Ladda ner mall för utfall" in text and "Ladda ner mall för målvärden" not in text


def test_an_editor_imports_targets(client, world, card):
    client.force_login(world.editor)
    text = client.get(reverse("import_start", args=[card.pk])).content.decode()
    assert "Ladda ner mall för målvärden" in text
    response = client.get(reverse("import_template", args=[card.pk, "malvarden"]) + "?ar=2027")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        "malvarden-" in response["Content-Disposition"]
        and "2027" in response["Content-Disposition"]
    )


@pytest.mark.parametrize(
    ("who", "kind", "status"),
    [("reader", "utfall", 403), ("reporter", "malvarden", 403), (None, "utfall", 302)],
)
def test_others_may_not_import(client, world, card, who, kind, status):
    if who:
        client.force_login(world.users[who])
    assert client.get(reverse("import_template", args=[card.pk, kind])).status_code == status
    assert upload(client, card, kind, values_file(card)).status_code == status
    assert not ImportBatch.objects.exists()


def test_a_draft_of_another_unit_is_404(client, world):
    draft = make_scorecard(world.unit_b, status=ScorecardStatus.DRAFT)
    client.force_login(world.reporter)
    assert client.get(reverse("import_start", args=[draft.pk])).status_code == 404


def test_upload_preview_confirm(client, world, card):
    client.force_login(world.reporter)
    response = upload(client, card, "utfall", values_file(card))
    batch = ImportBatch.objects.get()
    assert response.url == reverse("import_preview", args=[batch.pk])
    text = client.get(response.url).content.decode()
    assert "Det här kommer att ändras" in text and "Spara 1 ändring" in text
    assert not Measurement.objects.exists()
    response = client.post(response.url, {"confirm": "1"}, follow=True)
    assert "Importen är klar." in response.content.decode()
    assert Measurement.objects.get().value == 150


def test_a_file_with_errors_has_no_confirm_button(client, world, card):
    client.force_login(world.reporter)
    response = upload(client, card, "utfall", values_file(card, value="många"))
    text = client.get(response.url).content.decode()
    assert "”många” är inte ett tal." in text and "Inget sparades." in text
    assert 'name="confirm"' not in text


def test_cancelling_removes_the_upload(client, world, card):
    client.force_login(world.reporter)
    url = upload(client, card, "utfall", values_file(card)).url
    client.post(url, {"cancel": "1"})
    assert not ImportBatch.objects.exists() and not Measurement.objects.exists()


def test_an_upload_is_only_its_uploaders(client, world, card):
    client.force_login(world.reporter)
    url = upload(client, card, "utfall", values_file(card)).url
    client.force_login(world.editor)
    assert client.get(url).status_code == 404
    assert client.post(url, {"confirm": "1"}).status_code == 404
    assert ImportBatch.objects.get().state == ImportState.PREVIEW


def test_a_file_of_another_type_is_refused_on_the_form(client, world, card):
    client.force_login(world.reporter)
    fake = SimpleUploadedFile("utfall.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = upload(client, card, "utfall", fake)
    assert response.status_code == 200 and "Filtypen stöds inte" in response.content.decode()


@override_settings(IMPORT_MAX_UPLOAD_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(client, world, card):
    client.force_login(world.reporter)
    response = upload(client, card, "utfall", values_file(card))
    assert "Filen är för stor" in response.content.decode()
    assert not ImportBatch.objects.exists()
