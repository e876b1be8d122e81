"""Hostile values in the internal control forms: a plan's year must be a real year (1 or 65536
would be stored on SQLite and overflow PostgreSQL's smallint): a Swedish message, nothing saved."""

import pytest
from django.test import Client
from django.urls import reverse

from internalcontrol.models import ControlPlan


@pytest.mark.parametrize("year", ["1", "1999", "2101", "65536", "1_000", "-0"])
def test_a_plan_year_outside_2000_2100_is_refused(world, year):
    client = Client()
    client.force_login(world.editor)
    response = client.post(
        reverse("control_plan_create"),
        {"unit": world.unit_a.pk, "year": year, "probability_levels": 4, "consequence_levels": 4},
    )
    assert response.status_code == 200
    assert "Ange ett år mellan 2000 och 2100." in response.content.decode()
    assert not ControlPlan.objects.exists()


def test_a_plan_year_inside_the_range_is_created(world):
    client = Client()
    client.force_login(world.editor)
    response = client.post(
        reverse("control_plan_create"),
        {"unit": world.unit_a.pk, "year": 2027, "probability_levels": 4, "consequence_levels": 4},
    )
    assert response.status_code == 302
    assert ControlPlan.objects.get().year == 2027
