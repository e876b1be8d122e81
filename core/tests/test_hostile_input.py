"""Hostile input through every field of the app's own forms.

Each string is either stored as text (the POST redirects and the value reads back unchanged) or
refused with a message on the form (the POST answers 200 with an error). Never a 500, and the
page that shows the result never carries the markup unescaped. The forms' valid payloads come from
the URL permission table, so the two tests agree on what a good POST looks like.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from core.tests.test_url_permissions import TABLE, scene  # noqa: F401 - the scene fixture

SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'
CORPUS = {
    "html": SCRIPT,
    "sql": "'; DROP TABLE organisation_orgunit; -- \" OR 1=1",
    "long": "å" * 10_000,
    "emoji_rtl": "Mål 🎯✅👩🏽‍💻 مرحبا بالعالم \u202etxet\u202c",
    "nul": "före\x00efter",
    "formula": '=HYPERLINK("http://evil.example","klicka")',
    "template": "{{ 7|add:7 }} {% debug %}",
}
MARKUP = ("<script>alert", "<img src=x onerror")

# URL name -> the text fields of its form (names as posted; "{goal}" is the goal's id).
FIELDS = {
    "unit_create": ["name", "short_name", "description", "kolada_id", "code"],
    "unit_edit": ["name", "description"],
    "scorecard_edit": ["introduction"],
    "scorecard_adopt": ["decided_by", "paragraph", "diary_number"],
    "goal_create": ["title", "description"],
    "goal_edit": ["title"],
    "strategy_create": ["text"],
    "indicator_create": ["name", "code", "description", "unit", "kolada_kpi"],
    "target_edit": ["value", "decided_by", "paragraph", "diary_number"],
    "value_entry": ["v-{indicator}", "c-{indicator}"],
    "scorecard_forecast": ["f-{indicator}", "fc-{indicator}"],
    "scorecard_followup": [
        "mal-{goal}-analysis",
        "mal-{goal}-forecast",
        "mal-{goal}-deviation_comment",
    ],
    "action_create": ["title", "description", "owner", "progress"],
    "occasion_reopen": ["reason"],
    "occasion_unit_reopen": ["reason"],
    "yearreports:template_create": ["name", "introduction"],
    "yearreports:template_section_create": ["heading", "guidance"],
    "yearreports:section_add": ["heading", "guidance"],
    "yearreports:section_edit": ["text"],
    "yearreports:section_send_back": ["reason"],
    "yearreports:complete": ["body", "paragraph", "diary_number"],
    "assignment_create": ["title", "text", "decided_by", "paragraph", "diary_number"],
    "assignment_report": ["comment"],
    "assignment_close": ["close_comment", "close_decided_by"],
    "risk_create": ["process", "title", "description"],
    "control_create": ["title", "method", "frequency", "owner", "timing"],
    "control_result": ["comment"],
    "control_plan_edit": ["probability_levels"],
}
# Fields whose content is a number or a code: a hostile string can only be refused there.
REFUSED_ONLY = {
    "code",
    "value",
    "v-{indicator}",
    "f-{indicator}",
    "kolada_id",
    "probability_levels",
}


def _cases():
    for name, fields in FIELDS.items():
        for field in fields:
            yield pytest.param(name, field, id=f"{name}-{field}")


def _admin(s) -> Client:
    client = Client()
    client.force_login(s.world.admin)
    return client


def _post_one(client, s, name: str, field: str, kind: str) -> list[str]:
    """POST one hostile string in one field, inside a savepoint that is rolled back."""
    case = TABLE[name]
    units = s.a
    data = case.payload(s, units)
    data[field.format(goal=units.goal.pk, indicator=units.metric.indicator_id)] = CORPUS[kind]
    url = reverse(name, kwargs=case.kwargs(s, units)) + case.query
    problems = []
    with transaction.atomic():
        response = client.post(url, data)  # a 500 raises here
        if response.status_code == 200:
            body = response.content.decode()
            if not ('role="alert"' in body or "errorlist" in body):
                problems.append(f"{kind}: refused without a message")
            # The form shows the person what they typed; markup in it must be escaped.
            problems += [f"{kind}: unescaped {bad!r} on the form" for bad in MARKUP if bad in body]
        elif response.status_code == 302:
            if field in REFUSED_ONLY:
                problems.append(f"{kind}: a number or code field accepted hostile text")
            if kind == "nul":
                problems.append(f"{kind}: NUL stored instead of refused")
            page = client.get(response["Location"])
            body = page.content.decode()
            if page.status_code != 200:
                problems.append(f"{kind}: {response['Location']} answered {page.status_code}")
            problems += [
                f"{kind}: unescaped {bad!r} on {response['Location']}"
                for bad in (*MARKUP, "\x00")
                if bad in body
            ]
        else:
            problems.append(f"{kind}: status {response.status_code}")
        transaction.set_rollback(True)
    return problems


@pytest.mark.parametrize(("name", "field"), _cases())
def test_hostile_text_is_stored_as_text_or_refused(scene, name, field):  # noqa: F811
    client = _admin(scene)
    problems = [p for kind in CORPUS for p in _post_one(client, scene, name, field, kind)]
    assert not problems, "\n".join(problems)


def test_stored_markup_reads_back_exactly_and_escaped(scene):  # noqa: F811
    client = _admin(scene)
    url = reverse("goal_edit", args=[scene.a.goal.pk])
    data = TABLE["goal_edit"].payload(scene, scene.a) | {"title": SCRIPT}
    client.post(url, data)
    scene.a.goal.refresh_from_db()
    assert scene.a.goal.title == SCRIPT
    body = client.get(reverse("scorecard_detail", args=[scene.a.card.pk])).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body


def test_a_nul_in_a_value_comment_is_refused_with_a_message(scene):  # noqa: F811
    client = _admin(scene)
    indicator = scene.a.metric.indicator_id
    response = client.post(
        reverse("value_entry", args=[scene.a.card.pk]),
        {"period": "2027-10", f"v-{indicator}": "5", f"c-{indicator}": "a\x00b"},
    )
    assert response.status_code == 200
    assert "osynligt tecken som inte kan sparas (U+0000)" in response.content.decode()
