"""Settings for the test suite: the development profile with a fixed key and fast hashing."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only

# collectstatic does not run before tests: plain static files, no manifest of hashed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Jobs run at once, inside the test; core/tests/test_jobs.py also runs the database queue.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True  # no collected files in tests, and no warning about the folder
if DATABASES["default"]["ENGINE"] == "core.sqlite_engine":  # noqa: F405
    # In memory, as Django's own SQLite backend tests. Named explicitly because pytest-xdist's
    # per-worker suffix recognises only Django's engine path, and ours is a subclass.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}  # noqa: F405
