"""Property-based fuzzing of every operation in the OpenAPI schema with schemathesis.

Anonymous callers and an administrator's token: no answer may be a 5xx, and every answer must
match the schema (status code, content type, headers and body). The run is seeded and small
(see ``openapi.CONFIG``) so the whole fuzz stays well under a minute on two cores.
"""

import pytest
from hypothesis import HealthCheck, settings

from api.models import ApiToken
from core.testing import make_goal, make_scorecard
from followup.assessments import occasion_create_defaults
from followup.models import Action
from scorecards.models import ScorecardStatus

from .openapi import one_connection, schema

# The data fixture is made once per operation on purpose: the examples share it.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def fuzz_data(world, chain):
    occasion_create_defaults(year=2026)
    Action.objects.create(goal=chain.mid, title="Byt belysning", owner="Fastighet")
    make_goal(make_scorecard(world.unit_a1, year=2025, status=ScorecardStatus.DRAFT), "Utkast")
    return world


@pytest.fixture
def admin_token(fuzz_data):
    return ApiToken.issue(user=fuzz_data.admin, name="fuzz")[1]


@schema.parametrize()
@SHARED_FIXTURES
def test_anonymous_callers(case, fuzz_data):
    with one_connection():
        case.call_and_validate()


@schema.parametrize()
@SHARED_FIXTURES
def test_token_callers(case, admin_token):
    with one_connection():
        case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"})
