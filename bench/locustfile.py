"""Load: citizens browsing scorecards and goal chains, reporters signing in and saving values.

``bench/load.sh`` runs this against gunicorn on 127.0.0.1. The scorecards, goals and reporter
accounts come from the targets file that ``manage.py benchmark --targets FILE`` writes
(``BENCH_TARGETS``). Each reporter user signs in as a different reporter account, on that
reporter's own unit, so two simulated users never save the same values (which would be a
correct, but here unwanted, version conflict).

A save counts as successful only when the server redirects back to the entry page (values saved);
a page shown again with errors is a failure.
"""

import html
import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

TARGETS = json.loads(
    Path(os.environ.get("BENCH_TARGETS", "bench/results/load-targets.json")).read_text()
)
LOGIN = "/konto/logga-in/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FIELD = re.compile(r'name="((?:v|c|ver)-\d+)" value="([^"]*)"')
ERROR = re.compile(r'id="e-\d+"[^>]*>([^<]+)')
_next_reporter = itertools.count()


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
