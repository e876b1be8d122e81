"""Property-based fuzzing of every operation in the OpenAPI schema with schemathesis.

Anonymous callers and an administrator's token, with every check schemathesis has: no 5xx, every
answer as the schema says (status, content type, headers, body), requests the schema allows are
accepted and those it forbids refused, and — in the stateful run, which follows the links
schemathesis infers from the schema (an id in a 201 leads to that object's GET, PUT and PATCH) —
what was created can be read and changed. The run is seeded and small (``openapi.CONFIG``).
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
STATEFUL = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


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


def _run_stateful(headers: dict) -> None:
    class Machine(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"headers": headers}

    with one_connection():
        Machine.run(settings=STATEFUL)


def test_stateful_anonymous(fuzz_data):
    _run_stateful({})


def test_stateful_token(admin_token):
    _run_stateful({"Authorization": f"Bearer {admin_token}"})
