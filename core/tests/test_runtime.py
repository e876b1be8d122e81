"""A served worker tunes the garbage collector once it has started (see core/runtime.py):
checked in a fresh interpreter, since the settings are process-wide."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc
import config.wsgi
from core.runtime import GC_THRESHOLDS
assert gc.get_threshold() == GC_THRESHOLDS, gc.get_threshold()
assert gc.get_freeze_count() > 1000, gc.get_freeze_count()
print("tuned")
"""


def test_the_wsgi_application_freezes_start_up_objects_and_raises_the_thresholds():
    result = subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.test_settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.strip() == "tuned", result.stderr
