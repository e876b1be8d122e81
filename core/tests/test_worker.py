"""The worker survives: killed during a job, the job runs again to success, its e-mails once;
with the database stopped under it, it waits and carries on, while the API answers 503.

These tests run real processes (``manage.py run_worker``, gunicorn) against a PostgreSQL server
of their own that they can stop and start; they are skipped where the PostgreSQL server binaries
are missing (CI installs them). Whether the suite itself runs on SQLite or PostgreSQL does not
matter: these tests never use the suite's database.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import psycopg
import pytest

from .test_two_servers import collect_static, free_port

ROOT = Path(__file__).resolve().parents[2]
PGBIN = Path(
    os.environ.get("PGBIN")
    or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), "/nonexistent")
)
pytestmark = pytest.mark.skipif(
    not (PGBIN / "initdb").exists(), reason="needs the PostgreSQL server binaries"
)


class Server:
    """A throw-away PostgreSQL server; ``stop()`` and ``start()`` make an outage."""

    def __init__(self):
        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="styrkort-worker-pg."))
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
        self.pg("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8")  # fmt: skip
        self.start()

    def pg(self, tool: str, *args) -> None:
        command = [str(PGBIN / tool), *map(str, args)]
        if os.geteuid() == 0:  # initdb refuses to run as root
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)  # noqa: S603

    def start(self) -> None:
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} -c fsync=off"
        self.pg("pg_ctl", "-D", self.data, "-l", self.data / "log", "-w", "-o", options, "start")

    def stop(self) -> None:
        self.pg("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def sql(self, query: str, *params, database: str = "postgres") -> list[tuple]:
        with psycopg.connect(self.url(database), autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped
        shutil.rmtree(self.data, ignore_errors=True)


def environment(url: str, **extra: str) -> dict[str, str]:
    """The production profile against ``url``, as systemd would start the processes."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PROMETHEUS_")) and k not in {"DEBUG", "DATABASE_URL"}
    }
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(ROOT),
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "TASKS_BACKEND": "database",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "INFO",
        **extra,
    }


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def server():
    """The server, with a migrated template database each test copies (quicker than migrating)."""
    pg = Server()
    pg.sql("CREATE DATABASE template_styrkort")
    manage(environment(pg.url("template_styrkort")), "migrate", "--no-input", "-v", "0")
    yield pg
    pg.remove()


@pytest.fixture
def database(server):
    name = f"t_{uuid.uuid4().hex[:12]}"
    server.sql(f"CREATE DATABASE {name} TEMPLATE template_styrkort")
    return name


@pytest.fixture
def processes(tmp_path):
    """``start(name, command, env)`` → the process, its output in ``tmp_path/<name>.log``."""
    started = []

    def start(name: str, command: list[str], env: dict) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "a")  # noqa: SIM115 - closed below
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)  # noqa: S603
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def worker_command(worker_id: str, *extra: str) -> list[str]:
    return [sys.executable, "manage.py", "run_worker", "--worker-id", worker_id,
            "--no-startup-delay", "--interval", "0.2", "--heartbeat-every", "0.5",
            "--max-backoff", "2", *extra]  # fmt: skip


def wait_for(condition, *, timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except psycopg.OperationalError:
            pass  # the server is restarting
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what or condition}")


def jobs(server, database) -> list[tuple]:
    return server.sql(
        "SELECT id, task_path, status, worker_ids FROM django_tasks_database_dbtaskresult"
        " ORDER BY enqueued_at",
        database=database,
    )


def heartbeat(server, database, worker_id) -> tuple | None:
    rows = server.sql(
        "SELECT last_seen, stopped_at, jobs_run, jobs_failed, jobs_retried"
        " FROM core_workerheartbeat WHERE worker_id = %s",
        worker_id,
        database=database,
    )
    return rows[0] if rows else None


SEED = """
from datetime import date, timedelta
from core.jobs import enqueue_job
from core.testing import World, make_goal, make_indicator, make_metric, make_scorecard
from followup.models import FollowUpOccasion
from organisation.models import Role, RoleAssignment
from scorecards.models import Frequency
from django.contrib.auth import get_user_model

world = World()
card = make_scorecard(world.unit_a)
make_metric(make_goal(card), make_indicator("Avfall", frequency=Frequency.MONTHLY))
FollowUpOccasion.objects.create(year=card.year, kind="tertial", name="Tertial 1", end_month=4,
                                deadline=date.today() + timedelta(days=3))
for n in range(1, 7):
    user = get_user_model().objects.create_user(f"r{n}", email=f"r{n}@example.se")
    RoleAssignment.objects.create(user=user, unit=world.unit_a, role=Role.REPORTER)
enqueue_job("reminders")
"""


def mailbox(folder: Path) -> list[str]:
    return sorted(p.read_text().splitlines()[0] for p in folder.glob("*.eml"))


@pytest.mark.parametrize("taken_over_by", ["the same worker restarted", "another worker"])
def test_a_job_of_a_killed_worker_runs_again_to_success_and_sends_each_email_once(
    server, database, processes, tmp_path, taken_over_by
):
    box = tmp_path / "mail"
    box.mkdir()
    env = environment(
        server.url(database),
        EMAIL_BACKEND="core.tests.slow_mail.SlowMailbox",
        SLOW_MAILBOX=str(box),
        WORKER_STALE_AFTER="2",
    )
    manage(env, "shell", "-c", SEED)  # six reporters to remind, and the reminders job queued

    first = processes("w1", worker_command("w1"), env)

    def some_sent_and_recorded() -> bool:  # killed between e-mails, not in the instant after one
        [(recorded,)] = server.sql("SELECT count(*) FROM followup_remindersent", database=database)
        return 2 <= recorded == len(mailbox(box))

    wait_for(some_sent_and_recorded, what="two e-mails sent and recorded")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    [(_id, _path, status, worker_ids)] = jobs(server, database)
    assert (status, worker_ids) == ("RUNNING", ["w1"])
    assert len(mailbox(box)) < 6  # killed half-way

    again = "w1" if taken_over_by == "the same worker restarted" else "w2"
    processes(again, worker_command(again), env)
    wait_for(lambda: jobs(server, database)[0][2] == "SUCCESSFUL", what="the job to succeed")

    [(_id, path, status, worker_ids)] = jobs(server, database)  # the same job, not a new one
    assert path == "followup.tasks.send_reminders_task"
    assert worker_ids == ["w1", again]
    assert mailbox(box) == [f"r{n}@example.se" for n in range(1, 7)]  # each exactly once
    # run, failed, run again — the heartbeat row is written just after the job's own row
    wait_for(lambda: (heartbeat(server, database, again) or ())[2:] == (1, 0, 1), what="counters")


def test_the_worker_carries_on_through_a_database_outage_and_the_api_answers_503(
    server, database, processes, tmp_path
):
    box = tmp_path / "mail"
    box.mkdir()
    env = environment(server.url(database), WEB_CONCURRENCY="1", SECURE_SSL_REDIRECT="false",
                      STATIC_ROOT=str(tmp_path / "static"),
                      EMAIL_BACKEND="core.tests.slow_mail.SlowMailbox", SLOW_MAILBOX=str(box),
                      SLOW_MAIL_SECONDS="1.5")  # fmt: skip
    manage(env, "shell", "-c", SEED)  # six reporters to remind, and the reminders job queued
    collect_static(tmp_path / "static")  # the error page's stylesheet
    web_port = free_port()
    web = f"http://127.0.0.1:{web_port}"
    processes("web", [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
                      "config.wsgi"], env | {"BIND": f"127.0.0.1:{web_port}"})  # fmt: skip
    wait_for(lambda: _get(web + "/readyz") == 200, what="the web server")
    assert httpx.get(web + "/api/v1/units/").status_code == 200

    worker = processes("worker", worker_command("w1"), env)
    wait_for(lambda: len(mailbox(box)) >= 1, what="the job to be under way")
    server.stop()  # in the middle of the job: its next record cannot be written
    try:
        assert httpx.get(web + "/healthz").json() == {"status": "ok"}  # alive: no database asked
        assert httpx.get(web + "/readyz").status_code == 503
        api = httpx.get(web + "/api/v1/units/")
        assert api.status_code == 503
        assert api.headers["Content-Type"] == "application/problem+json"
        assert int(api.headers["Retry-After"]) > 0
        assert api.json()["status"] == 503 and api.json()["title"]
        page = httpx.get(web + "/")  # a page: 503 too, not 500
        assert (page.status_code, page.headers["Retry-After"]) == (503, "30")
        time.sleep(6)  # several failed polls and heartbeats
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-3000:]
    finally:
        server.start()

    wait_for(lambda: jobs(server, database)[0][2] == "SUCCESSFUL", what="the job to succeed")
    [(_id, _path, _status, worker_ids)] = jobs(server, database)
    assert worker_ids == ["w1", "w1"]  # taken up again once the database was back
    assert mailbox(box) == [f"r{n}@example.se" for n in range(1, 7)]  # each exactly once
    assert worker.poll() is None
    assert httpx.get(web + "/api/v1/units/").status_code == 200
    wait_for(lambda: httpx.get(web + "/readyz").json().get("worker") == "ok", what="worker ok")

    server.stop()  # again, while the worker waits for work: what ended db_worker within a second
    time.sleep(3)
    assert worker.poll() is None
    server.start()
    manage(env, "enqueue_job", "reminders")
    wait_for(lambda: len(jobs(server, database)) == 2 and jobs(server, database)[1][2] == "SUCCESSFUL",
             what="a job queued after the second outage")  # fmt: skip
    assert len(mailbox(box)) == 6  # all sent today already: nobody gets a second one

    worker.send_signal(signal.SIGTERM)
    assert worker.wait(timeout=20) == 0
    assert heartbeat(server, database, "w1")[1] is not None  # stopped on purpose, not dead
    lines = (tmp_path / "worker.log").read_text().splitlines()
    entries = [json.loads(line) for line in lines]  # JSON lines, like the app servers
    messages = [e["message"] for e in entries if e.get("worker_id") == "w1"]
    assert any(m.startswith("Database unavailable (") for m in messages)
    assert "Database answers again; worker w1 carries on (1 job(s) queued again)" in messages


def _get(url: str) -> int:
    try:
        return httpx.get(url, timeout=2).status_code
    except httpx.TransportError:
        return 0
