"""The OpenAPI schema is valid, its documentation is served locally, and real answers match it."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from api.models import ApiToken
from followup.models import Action, Assessment
from yearreports.testing import make_report

from .openapi import CHECKS, one_connection, schema

DETAILS = {
    "units": lambda c, d: c.top.scorecard.unit_id,
    "programmes": lambda c, d: c.city.programme_id,
    "perspectives": lambda c, d: c.top.perspective_id,
    "scorecards": lambda c, d: c.city.pk,
    "goals": lambda c, d: c.top.pk,
    "strategies": lambda c, d: d.strategy.pk,
    "indicators": lambda c, d: c.energy.pk,
    "metrics": lambda c, d: c.metric.pk,
    "targets": lambda c, d: d.target.pk,
    "occasions": lambda c, d: d.assessment.occasion_id,
    "periods": lambda c, d: d.assessment.occasion_id,
    "values": lambda c, d: d.value.pk,
    "assessments": lambda c, d: d.assessment.pk,
    "actions": lambda c, d: d.action.pk,
    "reports": lambda c, d: make_report(c.city.unit).pk,
    "report-sections": lambda c, d: make_report(c.city.unit).sections.first().pk,
}


def test_the_schema_is_valid_openapi_3():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(generated)
    assert generated["openapi"].startswith("3.")
    # 29, /reports/ (4), /forecasts/ (3), /assignments/ (3), /economy/ (2), /risks/ (2), /controls/ (3)
    assert len(generated["paths"]) == 46


def test_every_operation_documents_its_problem_answers():
    for path, operations in schema.raw_schema["paths"].items():
        for method, operation in operations.items():
            assert {"400", "401", "404"} <= set(operation["responses"]), f"{method} {path}"


def test_the_documentation_is_a_page_of_the_site_without_outside_assets(db):
    client = Client()
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", html)
    assert "swagger-ui" not in html and 'href="/api/v1/schema/"' in html
    generated = SchemaGenerator().get_schema(request=None, public=True)
    operations = sum(
        method in item
        for item in generated["paths"].values()
        for method in ("get", "post", "put", "patch", "delete")
    )
    assert html.count('class="card api-op"') == operations
    assert "<code>/api/v1/values/bulk/</code>" in html
    assert "Spara många utfall för en enhet och period" in html
    assert "BulkValuesRequest" in html


def test_the_schemas_swedish_texts_are_marked_in_english(db):
    client = Client()
    client.cookies["django_language"] = "en"
    html = client.get("/api/v1/docs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert '<strong lang="sv">Spara många utfall för en enhet och period</strong>' in html


def _validate(case, headers=None):
    with one_connection():
        return case.call_and_validate(headers=headers or {}, checks=None, excluded_checks=None)


@pytest.mark.parametrize("endpoint", sorted(DETAILS))
def test_real_objects_match_the_schema(world, chain, draft, endpoint):
    secret = ApiToken.issue(user=world.admin)[1]
    pk = DETAILS[endpoint](chain, draft)
    operation = schema[f"/api/v1/{endpoint}/{{id}}/"]["GET"]
    response = _validate(
        operation.Case(path_parameters={"id": pk}), {"Authorization": f"Bearer {secret}"}
    )
    assert response.status_code == 200
    listing = schema[f"/api/v1/{endpoint}/"]["GET"].Case(query={"year": 2026})
    if endpoint in ("units", "perspectives", "indicators"):
        listing = schema[f"/api/v1/{endpoint}/"]["GET"].Case()
    assert _validate(listing).status_code == 200


@pytest.mark.parametrize("query", [{}, {"period": 4}])
def test_statuses_match_the_schema(chain, query):
    for endpoint in ("goals", "metrics"):
        assert _validate(schema[f"/api/v1/{endpoint}/"]["GET"].Case(query=query)).status_code == 200


def test_write_answers_match_the_schema(world, entry, occasions):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user=world.reporter)[1]}"}
    unit = entry.card.unit.code
    rows = [{"indicator": entry.monthly.pk, "value": "150", "version": 0}]
    bulk = {"unit": unit, "year": 2026, "month": 3, "rows": rows}
    answers = [
        ("/api/v1/values/bulk/", "POST", bulk, 200),
        ("/api/v1/values/bulk/", "POST", {**bulk, "rows": [{**rows[0], "value": "1"}]}, 409),
        ("/api/v1/values/", "POST", {**bulk, "rows": None, **rows[0], "value": "2"}, 409),
        ("/api/v1/actions/", "POST", {"goal": entry.goal.pk, "title": "A", "owner": "B"}, 201),
        (
            "/api/v1/assessments/",
            "POST",
            {"goal": entry.goal.pk, "occasion": occasions[8].pk, "status": "met"},
            201,
        ),
    ]
    for path, method, body, status in answers:
        body = {k: v for k, v in body.items() if v is not None}
        assert _validate(schema[path][method].Case(body=body), headers).status_code == status, path
    action = Action.objects.get()
    patch = schema["/api/v1/actions/{id}/"]["PATCH"].Case(
        path_parameters={"id": action.pk}, body={"state": "done"}
    )
    assert _validate(patch, headers).status_code == 200
    assessment = Assessment.objects.get()
    stale = {"status": "met", "version": 5}
    put = schema["/api/v1/assessments/{id}/"]["PUT"].Case(
        path_parameters={"id": assessment.pk}, body=stale
    )
    assert _validate(put, headers).status_code == 409


def test_target_answers_match_the_schema(world, entry):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user=world.editor)[1]}"}
    body = {
        "metric": entry.metric.pk,
        "year": 2027,
        "comparator": "range",
        "value": "1",
        "value_high": "2",
        "reason": "Nytt mål för 2027 efter budgetbeslutet",
    }
    assert _validate(schema["/api/v1/targets/"]["POST"].Case(body=body), headers).status_code == 201


assert CHECKS  # the same checks as the fuzz run (openapi.CONFIG) apply to these calls
