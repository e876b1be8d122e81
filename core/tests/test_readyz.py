from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_readyz_is_ok_when_database_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "queue": "ok",
        "queue_backend": "DatabaseBackend",
        "queue_depth": 0,
        "worker": "down",  # no worker has written a heartbeat here
    }


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(client):
    with mock.patch("core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["database"] == "OperationalError"


@pytest.mark.django_db
def test_readyz_is_503_when_the_queue_cannot_be_read(client):
    with mock.patch("core.jobs.queue_state", side_effect=OperationalError("no table")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "queue": "OperationalError",
    }
