"""The same value, the same answer on every route (issue #14.7).

One table of values goes through the entry page, the entry page as HTMX, the API (one value and
bulk) and the spreadsheet import. Each value is accepted everywhere or refused everywhere with
the same message — ``followup.entry.check_value`` decides, and the API answers its code as is.
"""

import re
from dataclasses import dataclass
from html import unescape

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.testing import make_goal, make_indicator, make_metric, make_scorecard
from followup.models import Measurement
from reports import imports
from reports.models import ImportKind
from reports.tests.conftest import csv_upload
from scorecards.models import Frequency, ScorecardStatus

YEAR, MONTH = 2026, 3


@dataclass
class Answer:
    accepted: bool
    message: str = ""
    code: str = ""  # the routes that show one (the API)


@dataclass
class Scene:
    card: object
    monthly: object
    yearly: object
    client: Client


@pytest.fixture
def scene(world) -> Scene:
    card = make_scorecard(world.unit_a, year=YEAR, status=ScorecardStatus.DRAFT)
    goal = make_goal(card, "Mindre energi")
    monthly = make_indicator(
        "Energi", code="energi", frequency=Frequency.MONTHLY, plausible_min=0, plausible_max=500
    )
    yearly = make_indicator("Årsmått", code="arsmatt", frequency=Frequency.YEARLY)
    make_metric(goal, monthly)
    make_metric(goal, yearly)
    client = Client()
    client.force_login(world.reporter)
    return Scene(card, monthly, yearly, client)


def _page(scene: Scene, indicator, text: str, *, htmx: bool) -> Answer:
    url = reverse("value_entry", args=[scene.card.pk]) + f"?period={YEAR}-{MONTH:02d}"
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    data = {"period": f"{YEAR}-{MONTH:02d}", f"v-{indicator.pk}": text}
    response = scene.client.post(url, data, **headers)
    assert response.status_code in (200, 302), response.status_code
    saved = Measurement.objects.filter(
        indicator=indicator, unit=scene.card.unit, year=YEAR, month=MONTH
    ).exists()
    # Read from the answer as a reader gets it (an HTMX answer is a fragment rendered without
    # a template context the test client could capture).
    html = response.content.decode() if response.status_code == 200 else ""
    if f'name="v-{indicator.pk}"' not in html and not saved:
        # Not offered on the page for this month (no row for it, nothing saved).
        return Answer(saved, "not offered")
    found = re.search(rf'<p class="errorlist" id="e-{indicator.pk}">(.*?)</p>', html)
    error = unescape(found.group(1)) if found else ""
    assert saved == (not error)
    return Answer(saved, error)


def _api(scene: Scene, indicator, text: str, *, bulk: bool) -> Answer:
    head = {"unit": scene.card.unit_id, "year": YEAR, "month": MONTH}
    if bulk:
        url, body = (
            reverse("api:value-bulk"),
            {**head, "rows": [{"indicator": indicator.pk, "value": text}]},
        )
    else:
        url, body = reverse("api:value-list"), {**head, "indicator": indicator.pk, "value": text}
    response = scene.client.post(url, body, content_type="application/json")
    if response.status_code in (200, 201):
        return Answer(True)
    [error] = response.json()["errors"]
    return Answer(False, error["detail"], error["code"])


def _import(scene: Scene, indicator, text: str) -> Answer:
    upload = csv_upload(f"kod;mar\n{indicator.code};{text}\n")
    batch = imports.batch_create(
        card=scene.card, kind=ImportKind.VALUES, upload=upload, user=scene.reporter
    )
    errors = batch.plan["errors"]
    if not errors:
        return Answer(bool(batch.plan["changes"]))
    [error] = errors
    return Answer(False, error["message"])


ROUTES = {
    "form": lambda s, i, t: _page(s, i, t, htmx=False),
    "htmx": lambda s, i, t: _page(s, i, t, htmx=True),
    "api": lambda s, i, t: _api(s, i, t, bulk=False),
    "api bulk": lambda s, i, t: _api(s, i, t, bulk=True),
    "import": _import,
}

# (indicator, value as written, accepted, the write path's code)
CASES = [
    ("monthly", "150", True, ""),
    ("monthly", "12.5", True, ""),
    ("monthly", "12.3456", True, ""),
    ("monthly", "1.23456", False, "too_many_decimals"),  # the import rounded it, the form refused
    ("monthly", "600", False, "implausible"),
    ("monthly", "-1", False, "implausible"),
    ("monthly", "123456789012345", False, "too_large"),
    ("yearly", "7", False, "not_due"),
]


@pytest.mark.parametrize(("which", "text", "accepted", "code"), CASES)
def test_every_route_gives_the_same_answer(scene, world, which, text, accepted, code):
    scene.reporter = world.reporter
    indicator = getattr(scene, which)
    answers = {}
    for name, route in ROUTES.items():
        with transaction.atomic():
            answers[name] = route(scene, indicator, text)
            transaction.set_rollback(True)
    assert {name: a.accepted for name, a in answers.items()} == dict.fromkeys(ROUTES, accepted)
    if accepted:
        return
    for name in ("api", "api bulk"):
        assert answers[name].code == code, answers
    messages = {name: a.message for name, a in answers.items() if a.message != "not offered"}
    assert len(set(messages.values())) == 1, messages
    if code == "not_due":  # the page offers only what is due: the other routes say why
        assert answers["form"].message == answers["htmx"].message == "not offered"
        assert set(messages) == {"api", "api bulk", "import"}
    else:
        assert set(messages) == set(ROUTES)
