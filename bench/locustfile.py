"""Load: citizens browsing scorecards and goal chains, reporters signing in and saving values,
and systems writing values in bulk through the API (``ApiWriter``, issue #16 item 6).

``bench/load.sh`` runs this against gunicorn on 127.0.0.1. The scorecards, goals and reporter
accounts come from the targets file that ``manage.py benchmark --targets FILE`` writes
(``BENCH_TARGETS``). Each reporter user signs in as a different reporter account, on that
reporter's own unit, so two simulated users never save the same values (which would be a
correct, but here unwanted, version conflict).

A save counts as successful only when the server redirects back to the entry page (values saved);
a page shown again with errors is a failure. An API writer's bulk write succeeds only with 200;
any other answer — a 409 from a lost race, a 500 from a deadlock — is a failure.
"""

import html
import itertools
import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events, task

# The writers' request body is built by plain code the tests also run (no locust there).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.writer_body import bulk_body  # noqa: E402

TARGETS = json.loads(
    Path(os.environ.get("BENCH_TARGETS", "bench/results/load-targets.json")).read_text()
)
LOGIN = "/konto/logga-in/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = re.compile(r'name="((?:v|c|ver)-\d+)" value="([^"]*)"')
ERROR = re.compile(r'id="e-\d+"[^>]*>([^<]+)')
_next_reporter = itertools.count()
_next_writer = itertools.count()


# Exact figures per group of requests (locust's CSV has them per request name only), written as
# JSON to LOAD_GROUPS when locust quits; bench/load_report.py prints them.
GROUPS = ("pages (citizens, reporters)", "API writers (read + bulk write)", "API bulk writes")
_seen: dict[str, dict] = {
    g: {"times": [], "failures": 0, "first": None, "last": 0.0} for g in GROUPS
}


def _groups(name: str) -> tuple[str, ...]:
    if "(writer)" in name:
        return (GROUPS[1],)
    if "/bulk/" in name:
        return GROUPS[1], GROUPS[2]
    return (GROUPS[0],)


@events.request.add_listener
def _record(name, response_time, exception, start_time=None, **kwargs):
    now = time.time()
    for group in _groups(name):
        seen = _seen[group]
        seen["times"].append(response_time)
        seen["failures"] += exception is not None
        seen["first"] = seen["first"] or (start_time or now)
        seen["last"] = now


@events.quitting.add_listener
def _write_groups(environment, **kwargs):
    target = os.environ.get("LOAD_GROUPS")
    if not target:
        return
    out = {}
    for group, seen in _seen.items():
        times = sorted(seen["times"])
        if not times:
            continue
        span = max(seen["last"] - seen["first"], 1e-9)

        def pct(p, times=times):
            return round(times[min(len(times) - 1, int(p / 100 * len(times)))], 1)

        out[group] = {
            "requests": len(times),
            "failures": seen["failures"],
            "requests_per_s": round(len(times) / span, 2),
            "p50_ms": pct(50),
            "p95_ms": pct(95),
            "p99_ms": pct(99),
            "max_ms": round(times[-1], 1),
        }
    Path(target).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")


def csrf_token(text: str) -> str:
    found = CSRF.search(text)
    return found.group(1) if found else ""


class Citizen(HttpUser):
    """Someone reading the city's scorecards: the start page, units' pages and goal chains."""

    weight = 4
    wait_time = between(1, 3)

    @task(3)
    def city_scorecard(self):
        self.client.get("/", name="/ (city scorecard)")

    @task(4)
    def unit_scorecard(self):
        card = random.choice(TARGETS["cards"])
        self.client.get(f"/styrkort/{card}/", name="/styrkort/[id]/")

    @task(2)
    def goal_chain(self):
        goal = random.choice(TARGETS["goals"])
        self.client.get(f"/mal/{goal}/malkedja/", name="/mal/[id]/malkedja/")

    @task(1)
    def city_goal_chain(self):
        self.client.get(f"/mal/{TARGETS['city_goal']}/malkedja/", name="/mal/[city goal]/malkedja/")

    @task(1)
    def organisation(self):
        self.client.get("/organisation/", name="/organisation/")


class Reporter(HttpUser):
    """A reporter who signs in, opens their unit's entry page and saves every value's comment."""

    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        reporters = TARGETS["reporters"]
        me = reporters[next(_next_reporter) % len(reporters)]
        self.entry = f"/styrkort/{me['card']}/utfall/"
        page = self.client.get(LOGIN, name=LOGIN)
        data = {
            "username": me["username"],
            "password": TARGETS["password"],
            "csrfmiddlewaretoken": csrf_token(page.text),
            "next": self.entry,
        }
        with self.client.post(LOGIN, data=data, name=f"{LOGIN} (POST)", catch_response=True) as r:
            if LOGIN in r.url:
                r.failure("sign-in refused")

    @task(3)
    def open_entry(self):
        self.client.get(self.entry, name="/styrkort/[id]/utfall/")

    @task(1)
    def save_values(self):
        page = self.client.get(self.entry, name="/styrkort/[id]/utfall/")
        fields = {name: html.unescape(value) for name, value in FIELD.findall(page.text)}
        if not fields:
            return
        stamp = random.randint(1, 10**6)
        data = {**fields, "csrfmiddlewaretoken": csrf_token(page.text)}
        period = re.search(r'name="period" value="([^"]+)"', page.text)
        if period:
            data["period"] = period.group(1)
        for name in fields:
            if name.startswith("c-"):
                data[name] = f"Lasttest {stamp}"  # a changed comment: every value is saved
        name = "/styrkort/[id]/utfall/ (POST)"
        with self.client.post(self.entry, data=data, name=name, catch_response=True) as r:
            if not r.history or r.status_code != 200:
                error = ERROR.search(r.text)
                detail = html.unescape(error.group(1)).strip() if error else ""
                r.failure(f"not saved (HTTP {r.status_code}, no redirect) {detail}")


class ApiWriter(HttpUser):
    """A system (say the finance system) that reads its unit's values for the month through the
    API and writes them back changed, all rows in one bulk write. Exactly as many run as the
    targets file has writers (``manage.py benchmark --targets FILE --api-writers 4``); their
    units are siblings, so each write refreshes the same ancestors' roll-ups as the others'."""

    fixed_count = len(TARGETS.get("writers", []))
    abstract = not fixed_count  # no writers in the targets file: none run
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.me = TARGETS["writers"][next(_next_writer) % len(TARGETS["writers"])]
        self.client.headers["Authorization"] = f"Bearer {self.me['token']}"

    @task
    def write_values(self):
        me = self.me
        query = f"unit={me['unit']}&year={me['year']}&period={me['month']}&page_size=500"
        current = self.client.get(f"/api/v1/values/?{query}", name="/api/v1/values/ (writer)")
        body = bulk_body(me, current.json().get("results", []), random)
        if not body["rows"]:
            return
        name = "/api/v1/values/bulk/ (POST)"
        with self.client.post(
            "/api/v1/values/bulk/", json=body, name=name, catch_response=True
        ) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}: {r.text[:300]}")
