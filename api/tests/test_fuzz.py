"""Property-based fuzzing of every operation in the OpenAPI schema with schemathesis.

Anonymous callers and an administrator's token: no answer may be a 5xx, and every answer must
match the schema (status code, content type, headers and body). The run is seeded and small so
the whole fuzz stays well under a minute on two cores.
"""

import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from api.models import ApiToken
from config.wsgi import application
from core.testing import make_goal, make_scorecard
from followup.assessments import occasion_create_defaults
from followup.models import Action
from scorecards.models import ScorecardStatus

# Hypothesis' cache outside the work tree, so pytest never meets a .hypothesis folder there.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "styrkort-hypothesis")

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 20260101,
        "generation": {"max-examples": 6, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": False},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": False},
        },
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    }
)


@contextmanager
def _one_connection():
    """Keep the test's database connection open across requests (PostgreSQL would close it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_data(world, chain):
    occasion_create_defaults(year=2026)
    Action.objects.create(goal=chain.mid, title="Byt belysning", owner="Fastighet")
    make_goal(make_scorecard(world.unit_a1, year=2025, status=ScorecardStatus.DRAFT), "Utkast")
    return world


@pytest.fixture
def admin_token(fuzz_data):
    return ApiToken.issue(user=fuzz_data.admin, name="fuzz")[1]


# Loaded once, at collection: the schema endpoint reads no data. (Schemathesis' fixture-based
# loader does not run on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


# The data fixture is made once per operation on purpose: the examples share it.
SHARED_FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@schema.parametrize()
@SHARED_FIXTURES
def test_anonymous_callers(case, fuzz_data):
    with _one_connection():
        case.call_and_validate()


@schema.parametrize()
@SHARED_FIXTURES
def test_token_callers(case, admin_token):
    with _one_connection():
        case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"})
