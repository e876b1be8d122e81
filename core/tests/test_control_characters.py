"""Control characters and huge numbers through every input route (core/text.py, core/numbers.py).

Every POST of the URL permission table (forms, their HTMX partials and the API) is sent once per
field with a vertical tab (U+000B) in that field, and once per number field with a number no
column can hold. Nothing may answer 5xx, nothing may store the character, and a text or number
field must say why in Swedish. The table's valid payloads are the starting point, so a new form
in the table is covered without a line here.
"""

import json

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from core.tests.test_hostile_input import FIELDS as FORM_TEXT_FIELDS
from core.tests.test_hostile_input import REFUSED_ONLY
from core.tests.test_url_permissions import SKIP, TABLE, reverse_case, scene  # noqa: F401

BAD = "Före\x0befter"
TEXT_MESSAGE = "osynligt tecken som inte kan sparas (U+000B)"
TOO_LARGE = "för stort"

# Text fields that are not in the table's payloads, by URL name ("{goal}"/"{indicator}": ids).
# Codes and numbers among them (REFUSED_ONLY) are refused with a message of their own.
TEXT_FIELDS = {
    **FORM_TEXT_FIELDS,
    "scorecard_followup#summary": ["sammanfattning-text"],
    "value_entry": ["c-{indicator}"],
    "scorecard_forecast": ["fc-{indicator}"],
    "api:value-list": ["comment"],
    "api:value-bulk": ["rows.0.comment"],
    "api:action-list": ["title", "description", "owner", "progress"],
}
NUMBER_FIELDS = {
    "target_edit": ["value", "value_high", "tolerance"],
    "indicator_create": ["plausible_min", "plausible_max"],
    "metric_create": ["weight"],
    "value_entry": ["v-{indicator}"],
    "scorecard_forecast": ["f-{indicator}"],
    "api:value-list": ["value"],
    "api:value-bulk": ["rows.0.value"],
}
HUGE = ["1e24", "-1e309", "1E+25", "9" * 27, "Infinity"]


def _post_cases():
    for key, case in TABLE.items():
        if case.post is not None and case.post["admin"] != SKIP:
            yield key


def _set(data: dict, path: str, value) -> dict:
    """A deep copy of ``data`` with ``value`` at ``path`` ("rows.0.comment")."""
    data = json.loads(json.dumps(data))
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return data


def _leaves(data, prefix="") -> list[str]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, f"{prefix}{k}.")]
    if isinstance(data, list):
        return [p for i, v in enumerate(data) for p in _leaves(v, f"{prefix}{i}.")]
    return [prefix[:-1]]


def stored_with(char: str) -> list[str]:
    """Every text column of every table that holds ``char``: "app.model.field"."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                if model._default_manager.filter(**{f"{field.name}__contains": char}).exists():
                    found.append(f"{model._meta.label_lower}.{field.name}")
    return found


def _fields(key: str, s, data: dict, extra: dict) -> list[str]:
    names = set(_leaves(data)) if data else set()
    ids = {"goal": s.a.goal.pk, "indicator": s.a.metric.indicator_id}
    names |= {name.format(**ids) for name in extra.get(key, [])}
    return sorted(names)


def _send(client, key: str, s, data, *, htmx=False, raw=None):
    """POST inside a savepoint that is rolled back; (status, body text, stored bad fields)."""
    case = TABLE[key.split("#")[0]]
    url = reverse_case(case, s, s.a)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    with transaction.atomic():
        if case.json:
            body = raw if raw is not None else json.dumps(data)
            response = client.post(url, body, content_type="application/json")
        else:
            response = client.post(url, data, **headers)
        stored = stored_with("\x0b")
        transaction.set_rollback(True)
    return response.status_code, response.content.decode(), stored


def _admin(s) -> Client:
    client = Client()
    client.force_login(s.world.admin)
    return client


def _payload(key: str, s) -> dict:
    data = TABLE[key.split("#")[0]].payload(s, s.a)
    if key == "scorecard_followup#summary":
        data = {"summary": "1", "sammanfattning-text": "Sammanfattning"}
    return data


@pytest.mark.parametrize("key", [*_post_cases(), "scorecard_followup#summary"])  # noqa: F811
def test_a_control_character_in_any_field_is_refused_and_never_stored(key, scene):  # noqa: F811
    client = _admin(scene)
    data = _payload(key, scene)
    problems = []
    text_fields = {name.format(goal=scene.a.goal.pk, indicator=scene.a.metric.indicator_id)
                   for name in TEXT_FIELDS.get(key, []) if name not in REFUSED_ONLY}  # fmt: skip
    for field in _fields(key, scene, data, TEXT_FIELDS):
        for htmx in (False, True) if not TABLE[key.split("#")[0]].json else (False,):
            status, body, stored = _send(client, key, scene, _set(data, field, BAD), htmx=htmx)
            where = f"{field}{' (htmx)' if htmx else ''}"
            if status >= 500:
                problems.append(f"{where}: {status}")
            if stored:
                problems.append(f"{where}: stored in {stored}")
            if field in text_fields and TEXT_MESSAGE not in body:
                problems.append(f"{where}: refused without the message ({status})")
    assert not problems, "\n".join(problems)


def _number_cases():
    return [
        pytest.param(key, field, id=f"{key}-{field}")
        for key, fields in NUMBER_FIELDS.items()
        for field in fields
    ]


@pytest.mark.parametrize(("key", "field"), _number_cases())
def test_a_huge_number_in_any_number_field_says_too_large(key, field, scene):  # noqa: F811
    client = _admin(scene)
    data = _payload(key, scene)
    if key == "target_edit":
        data |= {"comparator": "range", "value_high": "10"}
    field = field.format(indicator=scene.a.metric.indicator_id)
    problems = []
    for text in HUGE:
        status, body, _stored = _send(client, key, scene, _set(data, field, text))
        if status >= 500 or status in (200, 201, 302) and TOO_LARGE not in body:
            problems.append(f"{text}: {status} {body[:200] if status != 200 else ''}")
        elif TOO_LARGE not in body:
            problems.append(f"{text}: {status} without 'för stort'")
    if TABLE[key].json:  # a JSON number JSON itself cannot hold: 1e309 reads as an infinity
        for number in ("1e309", "-1e309", "1e24"):
            raw = json.dumps(_set(data, field, "@@")).replace('"@@"', number)
            status, body, _stored = _send(client, key, scene, None, raw=raw)
            if status != 400 or TOO_LARGE not in body:
                problems.append(f"JSON {number}: {status} {body[:200]}")
    assert not problems, "\n".join(problems)


def test_the_api_refuses_a_control_character_in_a_target_and_an_assessment(scene):  # noqa: F811
    client = _admin(scene)
    for path, data in [
        (f"/api/v1/targets/{scene.a.target.pk}/", {"decided_by": BAD}),
        (f"/api/v1/assessments/{scene.a.assessment.pk}/", {"analysis": BAD}),
        (f"/api/v1/actions/{scene.a.action.pk}/", {"title": BAD}),
    ]:
        response = client.patch(path, json.dumps(data), content_type="application/json")
        assert response.status_code == 400, (path, response.content)
        assert TEXT_MESSAGE in response.json()["errors"][0]["detail"], response.json()
    assert not stored_with("\x0b")


def test_an_api_target_too_large_says_so(scene):  # noqa: F811
    client = _admin(scene)
    path = f"/api/v1/targets/{scene.a.target.pk}/"
    for data in [{"value": "1e24"}, {"tolerance": "1E+25"}]:
        response = client.patch(path, json.dumps(data), content_type="application/json")
        assert response.status_code == 400, response.content
        assert TOO_LARGE in json.dumps(response.json(), ensure_ascii=False)


def test_the_admin_refuses_a_control_character(scene):  # noqa: F811
    admin = scene.world.admin
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = _admin(scene)
    unit = scene.a.unit
    url = reverse("admin:organisation_orgunit_change", args=[unit.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data |= {"name": BAD, "kind": unit.kind, "code": unit.code, "order": unit.order}
    response = client.post(url, data)
    assert response.status_code == 200
    assert TEXT_MESSAGE in response.content.decode()
    assert not stored_with("\x0b")
