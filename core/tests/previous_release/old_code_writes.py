"""Run BY THE PREVIOUS RELEASE's code (core/tests/test_previous_release.py starts it with that
release's source first on the path): ``seed`` fills its fresh schema with a small city, ``write``
then — after the current release has migrated the database — goes through the main write paths
the way its servers do during an upgrade or after a rollback.

Written against the previous release's API (see PREVIOUS_RELEASE in the test): when that moves
to a newer release, check these calls still match it. Exits non-zero with the error on failure.
"""

import json
import os
import sys
from datetime import date
from decimal import Decimal

import django

sys.path.insert(0, os.getcwd())  # the previous release's source, not this file's folder
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")
django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's 'testserver' host is allowed

from rest_framework.test import APIClient  # noqa: E402

from api.models import ApiToken  # noqa: E402
from core.testing import (  # noqa: E402
    World,
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
)
from followup.assessments import save_assessment  # noqa: E402
from followup.entry import RowInput, measurements_save  # noqa: E402
from followup.models import (  # noqa: E402
    Assessment,
    FollowUpOccasion,
    Measurement,
    OccasionKind,
    RollupChange,
)
from organisation.models import OrgUnit  # noqa: E402
from scorecards.models import Comparator, Frequency, Goal, Indicator  # noqa: E402


def seed() -> dict:
    world = World()
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    energy = make_indicator("Energi", code="energi", frequency=Frequency.MONTHLY)
    waste = make_indicator("Avfall", code="avfall", frequency=Frequency.MONTHLY)
    metric = make_metric(goal, energy)
    make_metric(goal, waste)
    make_target(metric, 160, comparator=Comparator.LTE, tolerance=5)
    FollowUpOccasion.objects.create(
        year=2026, kind=OccasionKind.TERTIAL, name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    Measurement.objects.create(indicator=energy, unit=world.unit_a, year=2026, month=1, value=170)
    return {"values": Measurement.objects.count()}


def write() -> dict:
    from django.contrib.auth import get_user_model

    reporter = get_user_model().objects.get(username="reporter")
    unit = OrgUnit.objects.get(name="Miljöförvaltningen")
    energy, waste = Indicator.objects.get(code="energi"), Indicator.objects.get(code="avfall")
    goal = Goal.objects.get(title="Minskad energianvändning")
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=4)
    changes_before = RollupChange.objects.count()
    done = {}

    # 1. The entry page's function: a new value and a change to a stored one.
    old = Measurement.objects.get(indicator=energy, unit=unit, year=2026, month=1)
    allowed = {energy.pk: energy, waste.pk: waste}
    for month, value, version in [(1, "165", old.version), (3, "150", None)]:
        result = measurements_save(
            unit=unit,
            year=2026,
            month=month,
            inputs=[RowInput(indicator_id=energy.pk, value=value, version=version)],
            user=reporter,
            allowed=allowed,
        )
        assert result.ok, result.errors
    stored = Measurement.objects.filter(indicator=energy, unit=unit, month__in=[1, 3])
    done["entry"] = [str(v) for v in stored.order_by("month").values_list("value", flat=True)]
    assert [Decimal(v) for v in done["entry"]] == [165, 150], done["entry"]

    # 2. The API: a token, then a bulk write of two values.
    _token, secret = ApiToken.issue(user=reporter, name="previous release")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    rows = [{"indicator": energy.pk, "value": "140"}, {"indicator": waste.pk, "value": "12"}]
    payload = {"unit": unit.code, "year": 2026, "month": 4, "rows": rows}
    response = client.post("/api/v1/values/bulk/", payload, format="json")
    assert response.status_code == 200, (response.status_code, response.content[:2000])
    done["api_bulk"] = response.json()["created"]

    # 3. Assessing the goal: created through the API, changed through the page's function.
    payload = {"goal": goal.pk, "occasion": occasion.pk, "status": "met", "analysis": "Bra."}
    response = client.post("/api/v1/assessments/", payload, format="json")
    assert response.status_code == 201, (response.status_code, response.content[:2000])
    assessment = save_assessment(
        goal=goal,
        occasion=occasion,
        user=reporter,
        data={"status": "met", "analysis": "Bättre än väntat."},
        version=response.json()["version"],
    )
    done["assessment"] = [assessment.version, Assessment.objects.get(pk=assessment.pk).analysis]

    done["rollup_changes_recorded"] = RollupChange.objects.count() - changes_before
    assert done["rollup_changes_recorded"] > 0, "no roll-up change recorded: path not exercised"
    return done


if __name__ == "__main__":
    print(json.dumps({"seed": seed, "write": write}[sys.argv[1]](), ensure_ascii=False))
