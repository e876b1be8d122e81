"""Two app servers, one database: what one server saves, the other shows at once.

Two gunicorn processes run the production profile (DEBUG off, hashed static files, database
sessions, cache and job queue) against this test's database: the throw-away PostgreSQL under
``make test-pg``, a copy of the SQLite test database in a file otherwise. A client that, like a
load balancer without sticky sessions, sends each request to either server signs in on one,
saves a value there, and reads it on the other; a job queued on one server is run by a separate
worker process and reported on the other. Requests carry ``X-Forwarded-Proto: https`` as the
reverse proxy would, so the production security settings stay as they are.
"""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from scorecards.models import Comparator, Frequency

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TOKEN = "metrics-token-for-the-test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url(tmp_path: Path) -> str:
    """A URL other processes can open, holding what this test has written so far."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    # The SQLite test database lives in this process's memory: copy it to a file.
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def production_env(url: str, tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PROMETHEUS_")) and k not in {"DEBUG", "DATABASE_URL"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": "two-servers-test-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(tmp_path / "static"),
        "TASKS_BACKEND": "database",
        "METRICS_TOKEN": TOKEN,
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "INFO",
    }


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def collect_static(root: Path) -> None:
    """collectstatic with the production storage, as ``make serve`` runs it. The pages here need
    only the project's own files, so other apps' (the API docs' large scripts) are left out."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "core.staticfiles.StaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", "--noinput", "-v", "0", "-i", "rest_framework", "-i", "admin", "-i", "django_htmx")  # fmt: skip


@pytest.fixture
def start_servers(transactional_db, tmp_path):
    """``start_servers()`` → (env, [base URL of server A, of server B]); stopped afterwards."""
    processes = []

    def start():
        env = production_env(database_url(tmp_path), tmp_path)
        collect_static(tmp_path / "static")
        urls = []
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"server-{name}.log", "w")  # noqa: SIM115 - closed below
            processes.append((subprocess.Popen(  # noqa: S603
                [BIN / "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi"],
                cwd=ROOT, env=env | {"BIND": f"127.0.0.1:{port}"}, stdout=log, stderr=log,
            ), log))  # fmt: skip
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            wait_until_ready(url, tmp_path)
        return env, urls

    yield start
    for process, _log in processes:
        process.send_signal(signal.SIGINT)  # gunicorn's quick shutdown
    for process, log in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def wait_until_ready(url: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    logs = "\n".join(p.read_text() for p in tmp_path.glob("server-*.log"))
    raise AssertionError(f"{url} did not become ready:\n{logs}")


class Browser:
    """Cookies kept by hand: the servers mark them Secure, as they are behind TLS."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, url: str, **kw) -> httpx.Response:
        host = url.split("/")[2]
        headers = {
            "X-Forwarded-Proto": "https",
            "Origin": f"https://{host}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        response = httpx.request(method, url, headers=headers, timeout=10, **kw)
        self.cookies.update(response.cookies)
        return response

    def get(self, url: str) -> httpx.Response:
        return self.request("GET", url)

    def post_form(self, url: str, data: dict) -> httpx.Response:
        """Post a form the way a person would: read the page first for its CSRF token."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(url).text)
        return self.request("POST", url, data={"csrfmiddlewaretoken": token[1], **data})

    def sign_in(self, server: str, username: str, password: str) -> None:
        response = self.post_form(
            server + reverse("login"), {"username": username, "password": password}
        )
        assert response.status_code == 302, response.text[:2000]


def set_password(user, password: str) -> None:
    """A hash the production profile accepts (the test settings use a fast one of their own)."""
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])


def test_what_one_server_saves_the_other_shows_at_once(world, start_servers, tmp_path):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    energy = make_indicator("Energi i lokaler", frequency=Frequency.MONTHLY, plausible_max=500)
    make_target(make_metric(goal, energy), 160, comparator=Comparator.LTE, tolerance=5)
    set_password(world.reporter, "reporter-pw-1")
    set_password(world.admin, "admin-pw-1")
    env, (a, b) = start_servers()

    reporter = Browser()
    reporter.sign_in(a, "reporter", "reporter-pw-1")
    entry = reverse("value_entry", args=[card.pk]) + "?period=2026-03"
    saved = reporter.post_form(a + entry, {f"v-{energy.pk}": "150,5", "period": "2026-03"})
    assert saved.status_code == 302

    # Server B knows the session server A started, and shows the value A saved.
    on_b = reporter.get(b + entry)
    assert on_b.status_code == 200
    assert 'value="150,5"' in on_b.text
    assert "150,5" in Browser().get(b + card.get_absolute_url()).text  # a citizen, signed out

    # A job queued through server B is run by a worker process and reported by server A.
    admin = Browser()
    admin.sign_in(b, "admin", "admin-pw-1")
    assert admin.post_form(b + reverse("ops_status"), {"job": "reminders"}).status_code == 302
    assert "Väntar" in admin.get(a + reverse("ops_status")).text
    manage(env, "run_worker", "--batch", "--no-startup-delay")
    page = admin.get(a + reverse("ops_status")).text
    assert "Påminnelser om saknade utfall" in page and "Klart" in page

    # Both answer the load balancer's probes and Prometheus, and serve the hashed static files.
    for server in (a, b):
        assert httpx.get(server + "/healthz").json()["status"] == "ok"
        ready = httpx.get(server + "/readyz").json()
        assert ready["queue_backend"] == "DatabaseBackend" and ready["queue_depth"] == 0
        assert httpx.get(server + "/metrics").status_code == 401
        metrics = httpx.get(server + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert "styrkort_http_request_duration_seconds_bucket" in metrics.text
        assert 'styrkort_task_queue_depth{state="ready"} 0.0' in metrics.text

    page = Browser().get(b + "/")
    css = re.search(r'href="(/static/css/styrkort\.[0-9a-f]{12}\.css)"', page.text)[1]
    static = httpx.get(
        b + css, headers={"Accept-Encoding": "br, gzip", "X-Forwarded-Proto": "https"}
    )
    assert static.status_code == 200
    assert "immutable" in static.headers["Cache-Control"]
    assert static.headers["Content-Encoding"] in ("br", "gzip")

    # Each server logs JSON lines; the page's line carries the id its response was given.
    lines = (tmp_path / "server-b.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines if line.startswith("{")]
    assert {"path": "/", "request_id": page.headers["X-Request-ID"]}.items() <= next(
        e for e in entries if e.get("path") == "/"
    ).items()
