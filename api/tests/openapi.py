"""The API's OpenAPI schema loaded by schemathesis, shared by the fuzz and conformance tests."""

import tempfile
from contextlib import contextmanager
from pathlib import Path

import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis.configuration import set_hypothesis_home_dir

from config.wsgi import application

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

# Loaded once, at collection: the schema endpoint reads no data. (Schemathesis' fixture-based
# loader, schemathesis.pytest.from_fixture, does not run on pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIG)


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
