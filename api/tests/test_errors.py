"""Every error is JSON problem details in Swedish; unknown addresses and methods too."""

import base64

import pytest
from django.test import Client

from followup.models import Measurement

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nothing/", "/api/", "/api/v2/units/", "/api/v1/units"])
def test_unknown_addresses_answer_a_json_404(db, method, path):
    body = assert_problem(getattr(Client(), method)(path), 404)
    assert body["title"] == "Hittades inte"


@pytest.mark.parametrize("method", ["TRACE", "DELETE", "BREW", "PUT"])
def test_methods_an_endpoint_lacks_answer_405(api, method):
    response = api().generic(method, "/api/v1/units/")
    body = assert_problem(response, 405)
    assert body["title"] == "Metoden är inte tillåten"
    assert "GET" in response["Allow"]


def test_a_hidden_object_looks_exactly_like_a_missing_one(api, chain):
    hidden = api().get(f"/api/v1/goals/{chain.draft.pk}/")
    missing = api().get("/api/v1/goals/999999/")
    assert assert_problem(hidden, 404) == assert_problem(missing, 404)


def test_an_id_past_the_database_range_is_just_missing(api, chain):
    assert_problem(api().get("/api/v1/goals/9999999999999999999/"), 404)


@pytest.mark.parametrize(
    "path",
    [
        "values/?year=abc",
        "values/?year=",
        "values/?year=99999",
        "values/?unit=%00",
        "values/?period=13",
        "values/?page_size=0",
        "values/?page_size=501",
        "values/?page=2",
        "units/?page=x",
        "units/?page_size=0",
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(api, path):
    body = assert_problem(api().get(f"/api/v1/{path}"), 400)
    assert body["errors"][0]["parameter"] == path.split("?")[1].split("=")[0]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "token", ["abc", _b64("o=x"), _b64("p=abc"), _b64("p="), _b64("p=1.5"), _b64("r=1&p=-3")]
)
def test_a_made_up_cursor_answers_404_saying_to_follow_the_links(api, token):
    body = assert_problem(api().get(f"/api/v1/values/?cursor={token}"), 404)
    assert "next" in body["detail"]


def test_a_page_past_the_end_answers_404(api, chain):
    assert_problem(api().get("/api/v1/units/?page=99"), 404)


def test_malformed_json_answers_400(api, world):
    response = api("reporter").post(
        "/api/v1/values/bulk/", "{not json", content_type="application/json"
    )
    assert_problem(response, 400)


def test_other_formats_answer_415(api, world):
    response = api("reporter").post("/api/v1/values/bulk/", {"unit": "x"})  # a form, not JSON
    assert_problem(response, 415)


def test_writing_without_signing_in_answers_401_with_the_scheme(api, world):
    response = api().post("/api/v1/values/bulk/", {}, format="json")
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert body["title"] == "Inloggning krävs"


def test_a_validation_error_lists_each_field(api, world):
    body = assert_problem(api("reporter").post("/api/v1/values/bulk/", {}, format="json"), 400)
    assert body["type"] == "urn:styrkort:problem:validation"
    pointers = {e["pointer"] for e in body["errors"]}
    assert pointers == {"#/unit", "#/year", "#/month", "#/rows"}
    assert "fält" in body["errors"][0]["detail"]  # in Swedish


@pytest.mark.parametrize(
    ("path", "unknown", "allowed"),
    [
        ("values/?month=9", ["month"], "period"),
        ("goals/?year=2026&yera=2025&x=1", ["yera", "x"], "year"),
        ("goals/1/?unit=a", ["unit"], "period"),
    ],
)
def test_an_unknown_parameter_answers_400_naming_the_allowed_ones(
    api, chain, path, unknown, allowed
):
    body = assert_problem(api().get(f"/api/v1/{path}"), 400)
    assert [e["parameter"] for e in body["errors"]] == unknown
    assert allowed in body["detail"]


def test_an_endpoint_without_parameters_says_so(api, chain):
    body = assert_problem(api().get(f"/api/v1/units/{chain.top.scorecard.unit_id}/?year=2026"), 400)
    assert body["errors"] == [
        {"parameter": "year", "detail": "Här finns inga parametrar.", "code": "unknown"}
    ]


def test_a_write_with_a_parameter_answers_400(api, entry):
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    body = {"unit": entry.card.unit.code, "year": 2026, "month": 3, "rows": rows}
    response = api("reporter").post("/api/v1/values/bulk/?dry_run=1", body, format="json")
    assert_problem(response, 400)
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"year": "2026"}, "#/year"),  # DRF alone reads "2026" as 2026
        ({"month": 3.0}, "#/month"),
        ({"rows": [{"indicator": "1", "value": "150"}]}, "#/rows/0/indicator"),
        ({"rows": [{"indicator": 1, "value": "1."}]}, "#/rows/0/value"),
        ({"rows": [{"indicator": 1, "value": " 150"}]}, "#/rows/0/value"),
        ({"rows": [{"indicator": 1, "value": 150.5}]}, "#/rows/0/value"),
        ({"rows": [{"indicator": 1, "value": "150", "comment": 5}]}, "#/rows/0/comment"),
        ({"rows": {"indicator": 1}}, "#/rows"),
    ],
)
def test_json_types_are_held_to_the_schema(api, entry, change, pointer):
    body = {"unit": entry.card.unit.code, "year": 2026, "month": 3, "rows": []}
    response = api("reporter").post("/api/v1/values/bulk/", {**body, **change}, format="json")
    problem = assert_problem(response, 400)
    assert [e["pointer"] for e in problem["errors"]] == [pointer]
    assert not Measurement.objects.exists()


def test_a_number_may_be_text_or_an_integer(api, entry):
    rows = [
        {"indicator": entry.monthly.pk, "value": "150.25"},
        {"indicator": entry.waste.pk, "value": 12},
    ]
    body = {"unit": entry.card.unit.code, "year": 2026, "month": 3, "rows": rows}
    assert api("reporter").post("/api/v1/values/bulk/", body, format="json").status_code == 200


def test_an_id_of_nothing_in_a_well_formed_request_answers_422(api, entry):
    body = {"goal": 987654, "title": "Ny", "owner": "Någon"}
    problem = assert_problem(api("reporter").post("/api/v1/actions/", body, format="json"), 422)
    assert problem["errors"][0]["pointer"] == "#/goal"
