import json
import logging
import sys

import pytest

from core.logging import JsonFormatter, RequestIdFilter, request_id_var


@pytest.mark.django_db
def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_the_proxys_request_id_is_kept(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-4f2a.7")
    assert response["X-Request-ID"] == "nginx-4f2a.7"


@pytest.mark.django_db
def test_an_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "forged"}')
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_the_access_log_line_is_json_with_the_request_id(client, caplog):
    caplog.set_level(logging.INFO, logger="styrkort.request")
    response = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    record = next(r for r in caplog.records if r.name == "styrkort.request")
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == response["X-Request-ID"] == "abc-123"
    assert entry["status"] == 200 and entry["path"] == "/healthz" and entry["method"] == "GET"
    assert entry["level"] == "INFO" and entry["logger"] == "styrkort.request"


def test_records_outside_a_request_have_an_empty_id_and_keep_exceptions():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.getLogger("x").makeRecord(
            "x", logging.ERROR, __file__, 1, "failed %s", ("job",), sys.exc_info()
        )
    RequestIdFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "" and entry["message"] == "failed job"
    assert "ValueError: boom" in entry["exc_info"]


def test_a_log_record_inside_a_request_gets_its_id():
    token = request_id_var.set("req-1")
    try:
        record = logging.makeLogRecord({"msg": "hello"})
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    assert json.loads(JsonFormatter().format(record))["request_id"] == "req-1"
