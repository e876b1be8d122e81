"""The production profile (DEBUG off) refuses to start without its secrets: checked in a fresh
interpreter, since settings are read once per process."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = "k" * 50 + "-production-test-key"


def start(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = start(ALLOWED_HOSTS="styrkort.example.se")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = start(SECRET_KEY=KEY)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set when DEBUG is off" in result.stderr


def test_production_with_its_secrets_passes_djangos_deployment_checks():
    result = start(SECRET_KEY=KEY, ALLOWED_HOSTS="styrkort.example.se")
    assert result.returncode == 0, result.stderr
