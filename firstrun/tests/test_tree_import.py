"""The organisation tree from a spreadsheet: template, preview, all or nothing."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from firstrun import orgimport
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind

KINDS = tuple(UnitKind.values)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEAD = ["Kod", "Namn", "Typ", "Överordnad kod"]


def xlsx(rows, head=HEAD) -> SimpleUploadedFile:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Organisation"
    ws.append(head)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("organisation.xlsx", out.getvalue(), XLSX)


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("organisation.csv", text.encode("utf-8-sig"), "text/csv")


# Children before their parents, as people paste them: the import orders them.
TREE = [
    ["ks", "Kommunstyrelsen", "Styrelse", "tanum"],
    ["skola", "Skolenheten Hamburgsund", "enhet", "bun-forv"],
    ["bun", "Barn- och utbildningsnämnden", "Nämnd", "tanum"],
    ["bun-forv", "Barn- och utbildningsförvaltningen", "Förvaltning", "bun"],
]


@pytest.fixture
def top(db):
    return OrgUnit.objects.create(name="Tanums kommun", kind=UnitKind.MUNICIPALITY, code="tanum")


@pytest.fixture
def admin_client(client, top):
    admin = get_user_model().objects.create_user("anna")
    RoleAssignment.objects.create(user=admin, unit=top, role=Role.ADMIN)
    client.force_login(admin)
    return client


def plan_of(upload):
    return orgimport.tree_plan(orgimport.read_tree(upload), kinds=KINDS)


def test_a_good_file_plans_new_units_and_writes_them_parents_first(top):
    rows = orgimport.read_tree(xlsx(TREE))
    plan = orgimport.tree_plan(rows, kinds=KINDS)
    assert not plan.errors
    assert plan.counts()["new"] == 4
    assert OrgUnit.objects.count() == 1  # the preview writes nothing
    counts = orgimport.tree_apply(rows=rows, kinds=KINDS)
    assert counts["new"] == 4
    school = OrgUnit.objects.get(code="skola")
    assert [u.code for u in school.ancestors()] == ["tanum", "bun", "bun-forv"]
    assert school.kind == UnitKind.UNIT
    assert OrgUnit.objects.get(code="bun").kind == UnitKind.COMMITTEE


def test_a_known_code_changes_that_unit_and_an_identical_row_changes_nothing(top):
    OrgUnit.objects.create(name="KS", kind=UnitKind.BOARD, code="ks", parent=top)
    plan = plan_of(
        xlsx(
            [
                ["ks", "Kommunstyrelsen", "Styrelse", "tanum"],
                ["tanum", "Tanums kommun", "Kommun", ""],
            ]
        )
    )
    assert [(c.name, c.action) for c in plan.changes] == [("ks", "changed"), ("tanum", "unchanged")]
    assert plan.changes[0].old_text == "KS (Styrelse) under tanum"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["", "Namn", "enhet", "tanum"], "Kod", "Koden saknas."),
        (["å ä", "Namn", "enhet", "tanum"], "Kod", "bara innehålla"),
        (["ny", "Namn", "enhet", "tanum"], "Kod", "är reserverad"),
        (["ks", "Namn", "enhet", "tanum"], "Kod", "Koden finns redan på rad 2 i filen."),
        (["x", "", "enhet", "tanum"], "Namn", "Namnet saknas."),
        (["x", "Namn", "land", "tanum"], "Typ", "Okänd typ ”land”. Välj en av: Kommun"),
        (["x", "Namn", "enhet", "saknas"], "Överordnad kod", "finns varken i filen eller i"),
        (["x", "Namn", "enhet", "x"], "Överordnad kod", "kan inte ligga under sig själv"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_written(top, row, column, message):
    rows = orgimport.read_tree(xlsx([TREE[0], row]))
    plan = orgimport.tree_plan(rows, kinds=KINDS)
    assert [(e.row, e.column) for e in plan.errors] == [(3, column)]
    assert message in plan.errors[0].message
    with pytest.raises(orgimport.TreeImportError):
        orgimport.tree_apply(rows=rows, kinds=KINDS)
    assert list(OrgUnit.objects.values_list("code", flat=True)) == ["tanum"]


def test_a_loop_through_parents_is_an_error(top):
    plan = plan_of(xlsx([["a", "A", "enhet", "b"], ["b", "B", "enhet", "a"]]))
    assert {e.row for e in plan.errors} == {2, 3}
    assert "under sig själv genom" in plan.errors[0].message


def test_moving_a_stored_unit_under_its_own_child_is_an_error(top):
    child = OrgUnit.objects.create(name="Barn", kind=UnitKind.UNIT, code="barn", parent=top)
    plan = plan_of(xlsx([["tanum", "Tanums kommun", "Kommun", "barn"]]))
    assert plan.errors and plan.errors[0].row == 2
    assert child.parent == top


def test_only_the_kinds_chosen_in_the_setup_are_accepted(top):
    rows = orgimport.read_tree(xlsx([["ks", "KS", "Styrelse", "tanum"]]))
    plan = orgimport.tree_plan(rows, kinds=("kommun", "enhet"))
    assert "Välj en av: Kommun, Enhet." in plan.errors[0].message


def test_a_file_without_the_header_is_refused_in_swedish():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="saknar rubrikraden"):
        orgimport.read_tree(xlsx([["a", "b"]], head=["Något", "Annat"]))


def test_a_csv_from_swedish_excel_reads_the_same(top):
    text = "Kod;Namn;Typ;Överordnad kod\nks;Kommunstyrelsen;Styrelse;tanum\n"
    plan = plan_of(csv_file(text))
    assert not plan.errors and plan.counts()["new"] == 1


def test_the_template_holds_the_current_tree_and_reads_back_unchanged(top):
    OrgUnit.objects.create(name="KS", kind=UnitKind.BOARD, code="ks", parent=top)
    data = orgimport.tree_template(KINDS)
    plan = plan_of(SimpleUploadedFile("mall.xlsx", data, XLSX))
    assert not plan.errors
    assert [(c.name, c.action) for c in plan.changes] == [
        ("tanum", "unchanged"),
        ("ks", "unchanged"),
    ]


# --- the pages ------------------------------------------------------------------------------


def test_upload_preview_and_confirm_through_the_pages(admin_client):
    response = admin_client.post(reverse("setup_import"), {"fil-file": xlsx(TREE)})
    assert response["Location"] == reverse("setup_import_preview")
    page = admin_client.get(reverse("setup_import_preview")).content.decode()
    assert "Spara 4 ändringar" in page
    assert "Skolenheten Hamburgsund (Enhet) under bun-forv" in page
    assert OrgUnit.objects.count() == 1
    response = admin_client.post(reverse("setup_import_preview"), {"confirm": "1"})
    assert response["Location"] == reverse("setup_units")
    assert OrgUnit.objects.count() == 5
    # The upload is used up: the preview page now says so.
    response = admin_client.get(reverse("setup_import_preview"))
    assert response["Location"] == reverse("setup_units")


def test_a_file_with_a_bad_row_shows_the_row_and_confirming_saves_nothing(admin_client):
    bad = [*TREE, ["x", "Namn", "land", "tanum"]]
    admin_client.post(reverse("setup_import"), {"fil-file": xlsx(bad)})
    page = admin_client.get(reverse("setup_import_preview")).content.decode()
    assert "Inget sparades." in page
    assert "Okänd typ ”land”" in page
    assert '<td class="num">6</td>' in page  # the row as numbered in the spreadsheet
    assert "Spara" not in page.split("Fel i filen")[1]
    response = admin_client.post(reverse("setup_import_preview"), {"confirm": "1"})
    assert response.status_code == 302
    assert OrgUnit.objects.count() == 1


def test_cancelling_the_preview_saves_nothing(admin_client):
    admin_client.post(reverse("setup_import"), {"fil-file": xlsx(TREE)})
    response = admin_client.post(reverse("setup_import_preview"), {"cancel": "1"})
    assert response["Location"] == reverse("setup_units")
    assert OrgUnit.objects.count() == 1


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.xlsx", b"not a zip", XLSX), "stämmer inte med filtypen"),
        (SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf"), ".xlsx"),
    ],
)
def test_an_unreadable_file_is_refused_on_the_page(admin_client, upload, message):
    response = admin_client.post(reverse("setup_import"), {"fil-file": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert OrgUnit.objects.count() == 1


def test_the_template_downloads_as_xlsx(admin_client):
    response = admin_client.get(reverse("setup_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Organisation"][1]] == HEAD
    assert [c.value for c in wb["Organisation"][2]] == ["tanum", "Tanums kommun", "Kommun", None]
