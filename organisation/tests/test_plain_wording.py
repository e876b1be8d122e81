"""Small things a new user trips over: codes, deactivated units, the role select."""

from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.testing import World
from organisation.models import OrgUnit, RoleAssignment, UnitKind


@pytest.fixture
def world(db):
    return World()


def test_a_bad_code_gets_a_plain_swedish_message(client, world):
    client.force_login(world.editor)
    data = {"parent": world.unit_a.pk, "name": "Natur", "kind": UnitKind.UNIT, "order": 0}
    response = client.post(reverse("unit_create"), {**data, "code": "miljö enhet"})
    assert response.status_code == 200
    assertContains(response, "Koden får bara innehålla bokstäverna a–z")
    assertNotContains(response, "slug")
    assert not OrgUnit.objects.filter(name="Natur").exists()


def test_a_deactivated_unit_offers_no_new_scorecard(client, world):
    client.force_login(world.editor)
    create = reverse("scorecard_create", args=[world.unit_a1.code])
    assertContains(client.get(world.unit_a1.get_absolute_url()), create)
    world.unit_a1.deactivate(on=date(2020, 12, 31))
    page = client.get(world.unit_a1.get_absolute_url())
    assertNotContains(page, create)
    assertNotContains(page, "Skapa styrkort")


def test_creating_a_scorecard_for_a_deactivated_unit_is_refused(client, world):
    world.unit_a1.deactivate(on=date(2020, 12, 31))
    client.force_login(world.editor)
    url = reverse("scorecard_create", args=[world.unit_a1.code])
    response = client.post(url, {"year": "2030"}, follow=True)
    assertContains(response, "Energienheten är avvecklad och får inga nya styrkort.")
    assert not world.unit_a1.scorecards.exists()


def test_the_role_select_starts_at_the_lowest_role(client, world):
    client.force_login(world.admin)
    response = client.get(reverse("role_list", args=[world.unit_a.code]))
    field = response.context["form"]["role"]
    assert [value for value, _ in field.field.choices] == ["reader", "reporter", "editor", "admin"]
    assert field.value() == "reader"
    html = response.content.decode()
    assert html.index('value="reader"') < html.index('value="admin"')
    assert 'value="reader" selected' in html


def test_the_role_given_without_a_choice_is_the_lowest(client, world):
    client.force_login(world.admin)
    url = reverse("role_list", args=[world.unit_b.code])
    form = client.get(url).context["form"]
    client.post(url, {"user": world.editor.pk, "role": form["role"].value()})
    assert RoleAssignment.objects.get(user=world.editor, unit=world.unit_b).role == "reader"
