"""The economy pages: upload → preview → confirm, mappings, a unit's economy with its forecast,
the xlsx export; and who may do what (organisation.access)."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from economy.models import Amount, EconomyImport, ForecastNote, ObjectMapping, Version
from followup.models import FollowUpOccasion

from .files import SIE3, cp437


@pytest.fixture
def mapped(world):
    ObjectMapping.objects.create(dimension=1, code="100", unit=world.unit_a1)
    ObjectMapping.objects.create(dimension=1, code="200", unit=world.unit_b)
    return world


def upload(client, data=None, name="ekonomi.se"):
    file = SimpleUploadedFile(name, data if data is not None else cp437(SIE3), "text/plain")
    return client.post(reverse("economy_upload"), {"file": file})


def test_upload_preview_confirm(client, mapped):
    client.force_login(mapped.admin)
    response = upload(client)
    batch = EconomyImport.objects.get()
    assert response.status_code == 302 and str(batch.pk) in response["Location"]
    assert not Amount.objects.exists()  # the preview writes nothing but the batch
    page = client.get(response["Location"]).content.decode()
    assert "Förvaltning Öst" in page and "-800.00" in page and "Socialförvaltningen" in page
    client.post(response["Location"], {"apply": "1"})
    batch.refresh_from_db()
    assert batch.state == "applied" and Amount.objects.count() == 7
    # a second confirmation does nothing more
    client.post(response["Location"], {"apply": "1"})
    assert Amount.objects.count() == 7


def test_a_malformed_file_names_its_line_and_writes_nothing(client, mapped):
    client.force_login(mapped.admin)
    bad = cp437(
        SIE3.replace("#PSALDO 0 202501 3010 {} -800.00", "#PSALDO 0 202501 3010 {} -800,00")
    )
    response = upload(client, bad)
    assert response.status_code == 200
    assert "Rad 12:" in response.content.decode()
    assert not EconomyImport.objects.exists() and not Amount.objects.exists()


def test_a_renamed_non_sie_file_is_refused(client, mapped):
    client.force_login(mapped.admin)
    response = upload(client, b"\x00\x01binary", name="ekonomi.se")
    assert "stämmer inte" in response.content.decode()


@pytest.mark.parametrize("who", ["editor", "reporter", "reader"])
def test_only_importers_import_and_map(client, world, who):
    client.force_login(world.users[who])
    assert client.get(reverse("economy_upload")).status_code == 403
    assert client.get(reverse("economy_mapping")).status_code == 403
    assert upload(client).status_code == 403


def test_an_economy_editor_by_permission_imports(client, world):
    from django.contrib.auth.models import Permission

    world.reader.user_permissions.add(Permission.objects.get(codename="import_economy"))
    client.force_login(world.reader)
    assert client.get(reverse("economy_upload")).status_code == 200


def test_mapping_page_maps_an_object(client, mapped):
    client.force_login(mapped.admin)
    waiting = ObjectMapping.objects.create(dimension=1, code="300", name="Ny")
    client.post(
        reverse("economy_mapping"), {"save_objects": "1", f"obj-{waiting.pk}": mapped.unit_a.code}
    )
    waiting.refresh_from_db()
    assert waiting.unit == mapped.unit_a
    client.post(
        reverse("economy_mapping"),
        {
            "rule-prefix": "3510",
            "rule-row": Amount._meta.get_field("row")
            .related_model.objects.get(name="Personalkostnader")
            .pk,
        },
    )
    from economy.models import AccountRule

    assert AccountRule.objects.get(prefix="3510").row.name == "Personalkostnader"


def imported(client, world):
    client.force_login(world.admin)
    response = upload(client)
    client.post(response["Location"], {"apply": "1"})
    client.logout()


def test_unit_page_sums_the_subtree_and_respects_rights(client, mapped):
    imported(client, mapped)
    client.force_login(mapped.editor)  # editor of unit A; object 100 is A1, below A
    page = client.get(reverse("economy_unit", args=[mapped.unit_a.code, 2025]))
    assert page.status_code == 200
    economy = page.context["economy"]
    assert economy.month == 2
    lines = {x.name: x for x in economy.lines}
    assert lines["Verksamhetens intäkter"].actual_ytd == Decimal("-300.00")
    assert lines["Personalkostnader"].budget == Decimal("1200.00")
    assert economy.total.deviation_ytd == Decimal("-400.00") - Decimal("-300.00") + Decimal(
        "1200.00"
    ) - Decimal("1000.00")
    # the reader of unit B reads B, not A
    client.force_login(mapped.reader)
    assert client.get(reverse("economy_unit", args=[mapped.unit_a.code, 2025])).status_code == 403
    assert client.get(reverse("economy_unit", args=[mapped.unit_b.code, 2025])).status_code == 200
    # and enters no forecast
    response = client.post(
        reverse("economy_unit", args=[mapped.unit_b.code, 2025]), {"comment": "x"}
    )
    assert response.status_code == 403
    client.logout()
    assert client.get(reverse("economy_unit", args=[mapped.unit_b.code, 2025])).status_code == 302


def test_forecast_entry_and_its_lock(client, mapped):
    imported(client, mapped)
    client.force_login(mapped.editor)
    url = reverse("economy_unit", args=[mapped.unit_a.code, 2025]) + "?manad=2"
    rows = {r.name: r.pk for r in Amount._meta.get_field("row").related_model.objects.all()}
    data = {f"row_{rows['Personalkostnader']}": "1300,50", "comment": "Fler vikarier än planerat."}
    response = client.post(url, data)
    assert response.status_code == 302
    forecast = Amount.objects.get(version=Version.FORECAST)
    assert forecast.amount == Decimal("1300.50") and forecast.unit == mapped.unit_a
    assert ForecastNote.objects.get().comment == "Fler vikarier än planerat."
    economy = client.get(url).context["economy"]
    personal = next(x for x in economy.lines if x.name == "Personalkostnader")
    assert personal.forecast == Decimal("1300.50")
    assert personal.deviation_year == Decimal("1200.00") - Decimal("1300.50")
    income = next(x for x in economy.lines if x.name == "Verksamhetens intäkter")
    assert income.forecast == income.budget == Decimal("-400.00")  # no forecast: as budgeted
    assert economy.total.forecast == Decimal("1300.50") - Decimal("400.00")
    # locked with the occasion: the forecast stays
    FollowUpOccasion.objects.create(
        year=2025,
        end_month=2,
        name="Delår",
        kind="tertial",
        deadline="2025-03-10",
        locked_at="2025-03-10T10:00Z",
    )
    client.post(url, {f"row_{rows['Personalkostnader']}": "9", "comment": "ändrad"})
    assert Amount.objects.get(version=Version.FORECAST).amount == Decimal("1300.50")


def test_xlsx_export(client, mapped):
    imported(client, mapped)
    client.force_login(mapped.admin)
    response = client.get(reverse("economy_unit_xlsx", args=[mapped.city.code, 2025]))
    sheet = load_workbook(BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][0] == "Verksamhetens intäkter"
    assert Decimal(str(values[2][3])) == Decimal("-800.00")  # A1's -300 and B's -500
    assert values[-1][0] == "Nettokostnad"


def test_driftredovisning_block_has_the_document_shape(client, mapped):
    from economy.report import driftredovisning_blocks
    from yearreports.document import problems

    assert driftredovisning_blocks(mapped.city, 2025, 2) == []  # nothing imported yet
    imported(client, mapped)
    blocks = driftredovisning_blocks(mapped.city, 2025, 2)
    document = {"schema": 1, "sections": [{"heading": "Ekonomi", "blocks": blocks}]}
    assert problems(document) == []
    rows = {r[0]: r for r in blocks[0]["rows"]}
    assert set(rows) == {"Miljöförvaltningen", "Skolförvaltningen", "Totalt"}
    # Skolförvaltningen (object 200): budget -500, utfall -500 + 500 = 0 → avvikelse -500
    assert rows["Skolförvaltningen"][1:4] == ["−500", "0", "−500"]


def test_api_reads_within_rights(client, mapped):
    imported(client, mapped)
    url = reverse("api:economy-list")
    assert client.get(url).json()["results"] == []  # anonymous: economy is never public
    client.force_login(mapped.reader)  # reader of B
    rows = client.get(url, {"year": 2025}).json()["results"]
    assert {r["unit_code"] for r in rows} == {mapped.unit_b.code}
    assert {r["amount"] for r in rows} == {"-500.00", "500.00"}
    client.force_login(mapped.admin)
    assert len(client.get(url, {"version": "budget"}).json()["results"]) == 3
    assert client.get(url, {"version": "gissning"}).status_code == 400


def test_the_unit_page_links_to_its_economy_for_those_who_read_it(client, world):
    url = reverse("unit_detail", args=[world.unit_a.code])
    link = reverse("economy_unit", args=[world.unit_a.code, 2026])[:-5]  # /ekonomi/<code>/
    assert link not in client.get(url).content.decode()
    client.force_login(world.editor)
    assert link in client.get(url).content.decode()
    client.force_login(world.reader)  # of unit B
    assert link not in client.get(url).content.decode()
