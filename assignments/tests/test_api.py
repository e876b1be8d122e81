"""/api/v1/assignments/: read within rights, write within roles, 409 on a stale version."""

from rest_framework.test import APIClient

from assignments.models import Assignment, AssignmentReport

from .conftest import make_assignment

URL = "/api/v1/assignments/"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_the_public_read_only_decided_assignments(world, assignment):
    make_assignment(world.unit_a, [world.unit_a1], title="Utkast")
    titles = [a["title"] for a in _client().get(URL).json()["results"]]
    assert titles == ["Utreda laddplatser"]
    mine = [a["title"] for a in _client(world.reporter).get(URL).json()["results"]]
    assert sorted(mine) == ["Utkast", "Utreda laddplatser"]


def test_filter_by_receiver(world, assignment):
    make_assignment(world.city, [world.unit_a], title="Annat", decided_on="2026-02-01")
    body = _client().get(URL, {"receiver": world.unit_b.code}).json()
    assert [a["title"] for a in body["results"]] == ["Utreda laddplatser"]


def test_an_editor_creates_and_a_stale_update_answers_409(world):
    payload = {
        "issuer": world.unit_a.code,
        "title": "Via API",
        "text": "Utred.",
        "receivers": [world.unit_a1.code],
        "deadline": "2026-12-31",
    }
    created = _client(world.editor).post(URL, payload, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    ok = _client(world.editor).put(
        f"{URL}{pk}/", {**payload, "title": "Ändrat", "version": 1}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = _client(world.editor).put(
        f"{URL}{pk}/", {**payload, "title": "Gammalt", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    assert Assignment.objects.get(pk=pk).title == "Ändrat"


def test_a_reporter_may_not_create(world):
    payload = {"issuer": world.unit_a.pk, "title": "X", "text": "Y", "receivers": [world.unit_a.pk]}
    assert _client(world.reporter).post(URL, payload, format="json").status_code == 403
    assert not Assignment.objects.exists()


def test_a_reporter_reports_a_status_and_the_second_save_is_409(world, assignment, occasion):
    body = {
        "unit": world.unit_a1.code,
        "occasion": occasion.pk,
        "status": "ongoing",
        "comment": "Pågår",
        "version": 0,
    }
    url = f"{URL}{assignment.pk}/report/"
    response = _client(world.reporter).post(url, body, format="json")
    assert response.status_code == 200, response.json()
    receiver = next(r for r in response.json()["receivers"] if r["unit_code"] == world.unit_a1.code)
    assert receiver["latest_status"] == "ongoing" and receiver["is_overdue"] is True
    again = _client(world.reporter).post(url, {**body, "status": "done"}, format="json")
    assert again.status_code == 409
    assert AssignmentReport.objects.get().status == "ongoing"


def test_reporting_for_a_unit_outside_ones_roles_is_403(world, assignment, occasion):
    body = {"unit": world.unit_b.pk, "occasion": occasion.pk, "status": "done", "version": 0}
    response = _client(world.reporter).post(f"{URL}{assignment.pk}/report/", body, format="json")
    assert response.status_code == 403 and not AssignmentReport.objects.exists()


def test_abandoned_without_a_comment_is_422(world, assignment, occasion):
    body = {"unit": world.unit_a1.pk, "occasion": occasion.pk, "status": "abandoned", "version": 0}
    response = _client(world.admin).post(f"{URL}{assignment.pk}/report/", body, format="json")
    assert response.status_code == 422


def test_open_data_has_decided_assignments_only(world, assignment, occasion):
    import csv
    import io
    import json

    from django.test import Client

    from assignments import rules

    make_assignment(world.unit_a, [world.unit_a1], title="=Utkast")
    rules.report_save(
        receiver=assignment.receivers.get(unit=world.unit_b),
        occasion=occasion,
        user=None,
        status="done",
        comment="Klart",
        version=0,
    )
    body = b"".join(Client().get("/oppna-data/uppdrag.json").streaming_content)
    data = json.loads(body)
    assert [a["rubrik"] for a in data["uppdrag"]] == ["Utreda laddplatser"]
    skola = next(r for r in data["uppdrag"][0]["mottagare"] if r["namn"] == "Skolförvaltningen")
    assert (skola["senaste_status"], skola["forsenat"]) == ("done", False)
    text = b"".join(Client().get("/oppna-data/uppdrag.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["mottagare_namn"] for r in rows} == {"Energienheten", "Skolförvaltningen"}
    assert "Utkast" not in text
