"""A weighted mean names the indicator that weighs the units (issue #14.9: it answered 500)."""

from django.test import Client
from django.urls import reverse

from core.testing import make_indicator
from scorecards.models import Aggregation, Indicator

PAYLOAD = {
    "name": "Sjukfrånvaro",
    "code": "sjuk",
    "unit": "%",
    "direction": "lower",
    "decimals": "1",
    "frequency": "monthly",
    "source": "manual",
    "aggregation": "weighted_mean",
    "year_value": "last",
}


def _client(world) -> Client:
    client = Client()
    client.force_login(world.editor)
    return client


def test_a_weighted_mean_without_a_weight_is_refused_with_a_message(world):
    response = _client(world).post(reverse("indicator_create"), PAYLOAD)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["aggregation_weight"] == [
        "Ett viktat medelvärde behöver ett mätetal att väga med."
    ]
    assert not Indicator.objects.filter(code="sjuk").exists()


def test_a_weighted_mean_with_its_weight_is_saved(world):
    staff = make_indicator("Antal anställda", unit="st")
    data = {**PAYLOAD, "aggregation_weight": staff.pk}
    response = _client(world).post(reverse("indicator_create"), data)
    assert response.status_code == 302
    saved = Indicator.objects.get(code="sjuk")
    assert saved.aggregation == Aggregation.WEIGHTED_MEAN
    assert saved.aggregation_weight == staff


def test_an_indicator_cannot_weigh_itself(world):
    own = make_indicator("Sjukfrånvaro", code="sjuk")
    data = {**PAYLOAD, "aggregation_weight": own.pk}
    response = _client(world).post(reverse("indicator_edit", args=[own.pk]), data)
    assert response.status_code == 200
    assert "aggregation_weight" in response.context["form"].errors
