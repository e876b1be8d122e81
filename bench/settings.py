"""Settings for measuring: the production profile (DEBUG off, cached templates, no query log),
served over plain HTTP on the loopback interface, so cookies and redirects work without TLS.

Never for a real deployment: it has a fixed key unless SECRET_KEY is set.
"""

import os
from pathlib import Path

os.environ.setdefault("DEBUG", "false")
# Collected static files of the measured profile, apart from a real deployment's.
os.environ.setdefault(
    "STATIC_ROOT", str(Path(__file__).resolve().parent.parent / "data/bench/static")
)
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

from config.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # 404s and 403s of discovery requests are expected; errors still show.
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "ERROR")},
}
