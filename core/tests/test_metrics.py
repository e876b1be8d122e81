import pytest
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from core.jobs import enqueue_job

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def families(response) -> dict:
    return {f.name: f for f in text_string_to_metric_families(response.content.decode())}


def value(family, suffix: str = "", **labels) -> float:
    """The sample ``family.name + suffix`` with these labels; 0 if there is none yet."""
    samples = [s for s in family.samples if s.name == family.name + suffix]
    return next((s.value for s in samples if labels.items() <= s.labels.items()), 0.0)


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=[])
def test_metrics_answer_nobody_without_a_token_or_address(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret", METRICS_ALLOWED_IPS=[])
def test_metrics_need_the_token(client):
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret").status_code == 200


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="", METRICS_ALLOWED_IPS=["127.0.0.1"])
def test_metrics_answer_an_allowed_address(client):
    assert client.get("/metrics").status_code == 200  # the test client comes from 127.0.0.1


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret", TASKS=DB_QUEUE)
def test_metrics_are_prometheus_text_with_latency_errors_and_queue_depth(client):
    auth = {"HTTP_AUTHORIZATION": "Bearer s3cret"}
    before = families(client.get("/metrics", **auth)).get("styrkort_http_responses")
    errors_before = value(before, "_total", status_class="4xx", method="GET") if before else 0
    client.get("/healthz")
    client.get("/no-such-page/")
    enqueue_job("reminders")
    response = client.get("/metrics", **auth)
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    found = families(response)
    latency = found["styrkort_http_request_duration_seconds"]
    assert latency.type == "histogram"
    assert value(latency, "_count", view="healthz", method="GET") >= 1
    errors = found["styrkort_http_responses"]
    assert value(errors, "_total", status_class="4xx", method="GET") == errors_before + 1
    assert value(found["styrkort_task_queue_depth"], state="ready") == 1
    assert value(found["styrkort_database_up"]) == 1
