"""Hostile values in the assignment forms: ids beyond 64 bits, dates of year 1 or 9999, a
deadline before the decision. A Swedish message on the form, nothing saved, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from assignments.models import Assignment


def _payload(world, **changes) -> dict:
    return {
        "issuer": world.unit_a.pk,
        "decided_by": "Miljönämnden",
        "decided_on": "2026-02-10",
        "title": "Byta till LED",
        "text": "Energienheten får i uppdrag att byta belysningen.",
        "deadline": "2026-12-31",
        "receivers": [world.unit_a1.pk],
    } | changes


def _post(world, data) -> str:
    client = Client()
    client.force_login(world.editor)
    response = client.post(reverse("assignment_create"), data)
    assert response.status_code == 200
    assert not Assignment.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize("field", ["receivers", "goals"])
def test_an_id_beyond_64_bits_is_refused_with_a_message(world, field):
    body = _post(world, _payload(world, **{field: ["9" * 40]}))
    assert "är inte ett giltigt värde" in body


@pytest.mark.parametrize("field", ["decided_on", "deadline"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_a_date_outside_sensible_years_is_refused(world, field, value):
    body = _post(world, _payload(world, **{field: value}))
    assert "Ange ett datum mellan år 1900 och 2100." in body


def test_a_deadline_before_the_decision_is_refused(world):
    body = _post(world, _payload(world, decided_on="2026-06-01", deadline="2026-05-31"))
    assert "kan inte ligga före beslutsdatumet" in body


def test_a_closing_decision_of_year_9999_is_refused(world, assignment):
    client = Client()
    client.force_login(world.admin)  # the city issued it
    response = client.post(
        reverse("assignment_close", args=[assignment.pk]),
        {"close_decided_by": "KF", "close_decided_on": "9999-12-31", "version": assignment.version},
    )
    assert response.status_code == 200
    assert "Ange ett datum mellan år 1900 och 2100." in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.is_closed
