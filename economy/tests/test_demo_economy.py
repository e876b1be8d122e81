"""The demo's economy (demo/economy.py): a SIE 3 file imported through the import path, a
budget-deviation metric in the city's Ekonomi perspective filled from it, and a nämnd's page."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from demo.economy import INDICATOR, YEAR, sie3
from economy.importing import read_file
from followup.models import Measurement
from organisation.models import OrgUnit
from scorecards.models import Metric

pytestmark = pytest.mark.django_db
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            with override_settings(DEBUG=True):
                call_command("load_demo", stdout=StringIO())
            yield
            transaction.set_rollback(True)


def test_the_file_is_sie3_with_totals_equal_to_the_objects():
    summary = read_file(sie3()).summary()
    assert summary["sie_type"] == 3 and summary["company"] == "Helsingborgs stad"
    for kind in ("actual", "budget"):
        for cls, total in summary["totals"][kind].items():
            by_objects = sum(float(o[kind].get(cls, 0)) for o in summary["by_object"])
            assert abs(float(total) - by_objects) < 0.01


def test_the_city_metric_is_filled_from_the_economy(demo):
    metric = Metric.objects.get(indicator__code=INDICATOR, goal__scorecard__year=YEAR)
    assert metric.goal.perspective.slug == "ekonomi"
    values = Measurement.objects.filter(
        indicator=metric.indicator, unit=metric.goal.scorecard.unit, year=YEAR
    )
    assert sorted(values.values_list("month", flat=True)) == list(range(1, 11))
    assert set(values.values_list("source", flat=True)) == {"economy"}
    assert metric.targets.filter(year=YEAR).exists()


def test_a_namnd_page_shows_budget_utfall_forecast_and_deviation(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    von = OrgUnit.objects.get(code="von")
    response = client.get(reverse("economy_unit", args=[von.code, YEAR]))
    economy = response.context["economy"]
    assert economy.month == 10
    personal = next(x for x in economy.lines if x.name == "Personalkostnader")
    assert personal.budget > 0 and personal.actual_ytd > 0
    assert personal.forecast > personal.budget  # the forecast says over budget
    assert personal.deviation_year < 0
    page = response.content.decode()
    assert "Prognos helår" in page and "sämre än budget" in page and "bemanning" in page
