"""Many callers writing the first values of one period at the same moment (PostgreSQL only).

The first writer creates the rows; the others must see them and update them (no version sent) or
be told they were too late (409, version 0 sent) — never a 500 from the unique constraint.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from followup.models import Measurement

BULK = "/api/v1/values/bulk/"
WRITERS = 24

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write: concurrent first writes cannot collide there")


def _race(api, entry, rows_for) -> list[int]:
    """Post ``WRITERS`` bulk writes of one new month at once; their status codes."""

    def body(index):
        return {"unit": entry.card.unit.code, "year": 2026, "month": 5, "rows": rows_for(index)}

    return _at_once(lambda: api("reporter"), BULK, body)


def _at_once(make_client, path: str, body_for) -> list[int]:
    """Post ``WRITERS`` requests at the same moment, each from its own client; their statuses."""
    start = threading.Barrier(WRITERS)
    clients = [make_client() for _ in range(WRITERS)]

    def post(index: int) -> int:
        try:
            start.wait()
            return clients[index].post(path, body_for(index), format="json").status_code
        finally:
            connections.close_all()  # this thread's own connection

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(post, range(WRITERS)))


def test_writers_without_a_version_all_succeed(api, entry):
    def rows(index):
        # Half of them name the indicators in the other order: no deadlock either.
        pair = [entry.monthly.pk, entry.waste.pk][:: 1 if index % 2 else -1]
        return [{"indicator": pk, "value": str(100 + index)} for pk in pair]

    codes = _race(api, entry, rows)
    assert codes == [200] * WRITERS
    assert Measurement.objects.filter(unit=entry.card.unit, year=2026, month=5).count() == 2


def test_writers_of_version_0_get_one_success_and_conflicts(api, entry):
    def rows(index):
        return [{"indicator": entry.monthly.pk, "value": str(100 + index), "version": 0}]

    codes = _race(api, entry, rows)
    assert sorted(set(codes)) == [200, 409], codes
    assert codes.count(200) == 1
    value = Measurement.objects.get(unit=entry.card.unit, year=2026, month=5)
    assert value.version == 1


def test_writers_of_one_new_target_get_one_success_and_conflicts(api, entry):
    """No retry here: the unique constraint's refusal is the API's 409, not a 500."""

    def body(index):
        return {
            "metric": entry.metric.pk,
            "year": 2030,
            "comparator": "lte",
            "value": str(index),
            "reason": "Nämndens beslut",
        }

    codes = _at_once(lambda: api("editor"), "/api/v1/targets/", body)
    assert sorted(set(codes)) == [201, 409], codes
    assert codes.count(201) == 1
