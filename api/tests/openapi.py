"""The API's OpenAPI schema loaded by schemathesis, shared by the fuzz and conformance tests."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis.configuration import set_hypothesis_home_dir

from config.wsgi import application
from core.site import assume_no_row

# Hypothesis' cache outside the work tree, so pytest never meets a .hypothesis folder there.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "styrkort-hypothesis")

CHECKS = "all"  # every check schemathesis has, the stateful ones included
# A well-formed request may still break a rule that depends on stored data (an indicator that is
# not on the unit's scorecard, an implausible value): the API answers those 422, which the
# positive-data check is told is a refusal the schema cannot foresee.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "seed": 20260101,
        "generation": {"max-examples": 6, "deterministic": True, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            # Positive only: schemathesis 4.32 labels some of its mixed stateful cases positive
            # though their body breaks the schema (a NUL in a title); the phases above send the
            # negative cases. No made-up tokens either: the run sends its own (test_fuzz), and
            # ignored_auth would take a step's made-up token for the one that was sent.
            "stateful": {
                "enabled": True,
                "max-steps": 6,
                "generation": {"mode": "positive", "with-security-parameters": False},
            },
        },
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
    }
)

# Loaded once, at collection, before any test database exists: the schema endpoint reads no data
# but the assessment scale (SiteSettings, blank in tests: ASSESSMENT_SCALE), taken from the
# environment here without asking the database, as every test does (conftest.py).
assume_no_row()
# Loaded once, at collection: the schema endpoint reads no other data. (Schemathesis' fixture-based
# loader, schemathesis.pytest.from_fixture, does not run on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)
# The same schema for runs with a token, sent as schemathesis' own authentication: its check
# ignored_auth then knows the token is a real one and tries the call without it too.
token_schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


@token_schema.auth(refresh_interval=None)  # each test issues its own token
class FuzzToken:
    secret = ""  # set by the test's fixture

    def get(self, case, context) -> str:
        return FuzzToken.secret

    def set(self, case, data, context) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@contextmanager
def one_connection():
    """Keep the test's database connection open across requests (PostgreSQL would close it).

    Django's own test client does the same: the request signals would otherwise close the
    connection that holds the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
