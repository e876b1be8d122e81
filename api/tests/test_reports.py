"""/api/v1/reports/ and /api/v1/report-sections/: read within rights, written within roles, the
version guard answering 409 like the rest of the API."""

import json

import pytest
from django.test import Client

from yearreports.models import ReportSection
from yearreports.testing import make_report


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _patch(client, section, data):
    return client.patch(
        f"/api/v1/report-sections/{section.pk}/", json.dumps(data), content_type="application/json"
    )


@pytest.fixture
def report(world):
    return make_report(world.unit_a)


def test_a_report_lists_with_its_downloads_for_its_units_roles_only(world, report):
    body = _client(world.editor).get("/api/v1/reports/").json()
    [row] = [r for r in body["results"] if r["id"] == report.pk]
    assert row["docx"].endswith(f"/rapporter/{report.pk}/rapport.docx")
    assert row["pdf"].endswith(f"/rapporter/{report.pk}/rapport.pdf")
    assert row["state"] == "writing" and len(row["sections"]) == 3
    assert _client(None).get(f"/api/v1/reports/{report.pk}/").status_code == 404
    others = _client(world.reader).get("/api/v1/reports/").json()["results"]
    assert report.pk not in [r["id"] for r in others]


def test_a_writer_writes_and_marks_ready_and_a_stale_version_answers_409(world, report):
    section = report.sections.order_by("order").first()
    client = _client(world.reporter)
    response = _patch(client, section, {"version": 1, "text": "<p>Hej<script>x</script></p>"})
    assert response.status_code == 200, response.content
    assert response.json()["text"] == "<p>Hej</p>" and response.json()["version"] == 2
    stale = _patch(client, section, {"version": 1, "text": "<p>Över</p>"})
    assert stale.status_code == 409
    assert ReportSection.objects.get(pk=section.pk).text == "<p>Hej</p>"
    ready = _patch(client, section, {"version": 2, "state": "ready"})
    assert ready.json()["state"] == "ready"
    refused = _patch(client, section, {"version": 3, "state": "approved"})
    assert refused.status_code == 422  # a reporter is not the owner
    approved = _patch(_client(world.editor), section, {"version": 3, "state": "approved"})
    assert approved.json()["state"] == "approved"


def test_a_reader_elsewhere_cannot_see_or_write(world, report):
    section = report.sections.first()
    assert _patch(_client(world.reader), section, {"version": 1, "text": "x"}).status_code == 404
    assert _patch(_client(None), section, {"version": 1, "text": "x"}).status_code == 401
    assert ReportSection.objects.get(pk=section.pk).text == ""
