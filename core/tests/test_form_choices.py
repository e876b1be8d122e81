"""Every form, every choice it offers: none answers 500 (issue #14.9).

The walk reuses the URL table of ``test_url_permissions``: for each page that takes a form POST,
the administrator GETs it, every form the page renders is found in its context, and the valid
payload is sent once per choice of every choice field (the other fields as in the table). A
choice may be refused with a message (200 with errors) or accepted (a redirect); it may never
crash. Seen before: "Viktat medelvärde" in the indicator form had no weight field to go with it,
so saving it raised inside the form and answered 500.
"""

from __future__ import annotations

import pytest
from django import forms
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.test import Client

from .test_url_permissions import MOVED, SKIP, TABLE, reverse_case, scene  # noqa: F401

# Form pages (not the JSON API) whose allowed POST the administrator may make.
FORM_CASES = sorted(
    key
    for key, case in TABLE.items()
    if case.post is not None and not case.json and case.post["admin"] == MOVED
)
MAX_CHOICES = 12  # model choices are rows; a dozen of them says as much as all


def _forms_in(value) -> list[forms.BaseForm]:
    if isinstance(value, forms.BaseForm):
        return [value]
    if isinstance(value, BaseFormSet):
        return list(value.forms)
    if isinstance(value, list | tuple):
        return [f for item in value for f in _forms_in(item)]
    if isinstance(value, dict):
        return [f for item in value.values() for f in _forms_in(item)]
    return []


def page_forms(response) -> list[forms.BaseForm]:
    found: dict[int, forms.BaseForm] = {}
    for context in response.context or []:
        for layer in context.dicts:
            for value in layer.values():
                for form in _forms_in(value):
                    found[id(form)] = form
    return list(found.values())


def choice_values(field: forms.Field) -> list[str]:
    values = []
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup: (group, [(value, label), …])
            values.extend(str(v) for v, _ in label)
        else:
            values.append(str(value))
    return values[:MAX_CHOICES]


def _post(client: Client, url: str, data: dict):
    with transaction.atomic():
        try:
            response = client.post(url, data)
            answer = response.status_code
        except Exception as error:  # noqa: BLE001 — the crash is the finding
            answer = f"500 ({type(error).__name__}: {error})"
        transaction.set_rollback(True)
    return answer


@pytest.mark.parametrize("key", FORM_CASES)
def test_every_choice_of_every_form_answers_without_a_crash(key, scene):  # noqa: F811
    case = TABLE[key]
    if case.post["admin"] == SKIP:
        pytest.skip("the POST calls Kolada")
    client = Client()
    client.force_login(scene.world.admin)
    url = reverse_case(case, scene, scene.a)
    payload = case.payload(scene, scene.a)
    response = client.get(url)
    problems = []
    for form in page_forms(response):
        for name, field in form.fields.items():
            if not isinstance(field, forms.ChoiceField):
                continue
            for value in choice_values(field):
                data = dict(payload)
                many = isinstance(field, forms.MultipleChoiceField)
                data[form.add_prefix(name)] = [value] if many else value
                answer = _post(client, url, data)
                if not isinstance(answer, int) or answer >= 500:
                    problems.append(f"{type(form).__name__}.{name}={value!r}: {answer}")
    assert not problems, "\n".join(problems)


def test_the_walk_reaches_the_indicator_form():
    """The crash that started this walk is inside it."""
    assert "indicator_create" in FORM_CASES
    assert "indicator_edit" in FORM_CASES
