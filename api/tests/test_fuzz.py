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

from .openapi import FuzzToken, one_connection, schema, token_schema

# The data fixture is made once per operation on purpose: the examples share it.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
STATEFUL = settings(
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
    FuzzToken.secret = ApiToken.issue(user=fuzz_data.admin, name="fuzz")[1]
    yield FuzzToken.secret
    FuzzToken.secret = ""


@schema.parametrize()
@SHARED_FIXTURES
def test_anonymous_callers(case, fuzz_data):
    with one_connection():
        case.call_and_validate()


@token_schema.parametrize()
@SHARED_FIXTURES
def test_token_callers(case, admin_token):
    with one_connection():
        case.call_and_validate()


def _run_stateful(loaded, examples: int) -> set[tuple[str, int]]:
    """Run the stateful phase; the (method, status) pairs it saw."""
    seen = set()

    class Machine(loaded.as_state_machine()):
        def after_call(self, response, case):
            super().after_call(response, case)
            seen.add((case.method, response.status_code))

    with one_connection():
        Machine.run(settings=settings(STATEFUL, max_examples=examples))
    return seen


def test_stateful_anonymous(fuzz_data):
    seen = _run_stateful(schema, 4)  # a short run: every write answers 401
    assert ("POST", 401) in seen  # the writes were tried, and refused to a caller without a token


def test_stateful_token(admin_token):
    seen = _run_stateful(token_schema, 10)
    written = {method for method, code in seen if 200 <= code < 300}
    # The links lead from a listed or created object to its successful changes. (A successful
    # POST needs ids of objects that fit together; test_schema's write tests send those.)
    assert written & {"PUT", "PATCH"}, seen
