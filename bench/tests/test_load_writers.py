"""The load test's API writers (issue #16, item 6): tokens for sibling units, and a bulk body the
API takes — written by the same code locust runs (bench/writer_body.py)."""

import random
from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from bench.writer_body import bulk_body, nudged
from bench.writers import issue_writers
from followup.models import Measurement
from organisation.models import OrgUnit


@pytest.mark.django_db(transaction=True)
def test_writers_on_sibling_units_write_their_month_in_bulk(tiny_city):
    year = date.today().year
    writers = issue_writers(2, year)
    assert len(writers) == 2
    units = [OrgUnit.objects.get(code=w["unit"]) for w in writers]
    assert units[0].parent_id == units[1].parent_id  # the same ancestors' roll-ups
    rng = random.Random(1)
    for writer in writers:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {writer['token']}")
        query = f"unit={writer['unit']}&year={year}&period={writer['month']}&page_size=500"
        current = client.get(f"/api/v1/values/?{query}").json()["results"]
        body = bulk_body(writer, current, rng)
        assert body["rows"]
        answer = client.post("/api/v1/values/bulk/", body, format="json")
        assert answer.status_code == 200, answer.content
        assert answer.json()["updated"] == len(body["rows"])
        stored = Measurement.objects.filter(
            unit__code=writer["unit"], year=year, month=writer["month"]
        )
        assert {m.comment for m in stored} == {body["rows"][0]["comment"]}


def test_a_nudged_value_stays_within_its_bounds_and_decimals():
    rng = random.Random(3)
    for written in ("100.0000", "0.0000", "12.5000", "7", "3.25"):
        for _ in range(200):
            moved = Decimal(nudged(written, rng))
            original = Decimal(written)
            assert original * Decimal("0.98") <= moved <= original
            assert -moved.as_tuple().exponent <= max(-original.normalize().as_tuple().exponent, 0)
