from datetime import date

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from core.testing import World, make_unit
from organisation.models import OrgUnit, UnitKind


@pytest.fixture
def world(db):
    return World()


def unit_data(**overrides):
    data = {"name": "Naturenheten", "kind": UnitKind.UNIT, "code": "natur", "order": 0}
    data.update(overrides)
    return data


def test_an_editor_opens_each_unit_form(client, world):
    client.force_login(world.editor)
    code = world.unit_a1.code
    urls = [reverse("unit_create"), reverse("unit_edit", args=[code])]
    urls.append(reverse("unit_deactivate", args=[code]))
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]


# unit_create ------------------------------------------------------------------------------------


def test_it_preselects_the_parent_from_the_query(client, world):
    client.force_login(world.editor)
    response = client.get(reverse("unit_create") + f"?parent={world.unit_a.code}")
    assert response.status_code == 200
    assert response.context["form"]["parent"].value() == world.unit_a.pk


def test_an_editor_creates_a_unit_below_their_unit(client, world):
    client.force_login(world.editor)
    response = client.post(reverse("unit_create"), unit_data(parent=world.unit_a.pk))
    unit = OrgUnit.objects.get(code="natur")
    assert unit.parent == world.unit_a
    assertRedirects(response, unit.get_absolute_url(), fetch_redirect_response=False)


def test_an_administrator_creates_a_top_level_unit(client, world):
    client.force_login(world.admin)
    client.post(reverse("unit_create"), unit_data(kind=UnitKind.COMPANY))
    assert OrgUnit.objects.get(code="natur").parent is None


def test_an_editor_cannot_create_a_top_level_unit(client, world):
    client.force_login(world.editor)
    response = client.post(reverse("unit_create"), unit_data())
    assertContains(response, "Detta fält måste fyllas i.")
    assert not OrgUnit.objects.filter(code="natur").exists()


def test_an_editor_cannot_place_a_unit_under_another_unit(client, world):
    client.force_login(world.editor)
    response = client.post(reverse("unit_create"), unit_data(parent=world.unit_b.pk))
    assertContains(response, "Välj ett giltigt alternativ.")
    assert not OrgUnit.objects.filter(code="natur").exists()


def test_it_forbids_preselecting_a_parent_the_user_cannot_edit(client, world):
    client.force_login(world.editor)
    response = client.get(reverse("unit_create") + f"?parent={world.unit_b.code}")
    assert response.status_code == 403


def test_a_reader_may_not_create_units(client, world):
    client.force_login(world.reader)
    assert client.get(reverse("unit_create")).status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(client, world):
    response = client.get(reverse("unit_create"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_refuses_a_code_already_in_use(client, world):
    client.force_login(world.editor)
    data = unit_data(parent=world.unit_a.pk, code=world.unit_b.code)
    response = client.post(reverse("unit_create"), data)
    assertContains(response, "Koden används redan av en annan enhet.")
    assert OrgUnit.objects.filter(code=world.unit_b.code).count() == 1


def test_it_refuses_a_code_that_would_shadow_a_page(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("unit_create"), unit_data(code="ny"))
    assertContains(response, "är reserverad")
    assert not OrgUnit.objects.filter(code="ny").exists()


# unit_edit --------------------------------------------------------------------------------------


def test_an_editor_renames_a_unit_below_them(client, world):
    client.force_login(world.editor)
    url = reverse("unit_edit", args=[world.unit_a1.code])
    client.post(url, unit_data(name="Klimatenheten", parent=world.unit_a.pk))
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.name == "Klimatenheten"
    assert world.unit_a1.code != "natur"  # the code is not editable


def test_an_editor_edits_their_own_unit_and_keeps_its_parent(client, world):
    client.force_login(world.editor)
    url = reverse("unit_edit", args=[world.unit_a.code])
    response = client.post(url, unit_data(name="Miljö", parent=world.city.pk))
    assert response.status_code == 302
    world.unit_a.refresh_from_db()
    assert (world.unit_a.name, world.unit_a.parent) == ("Miljö", world.city)


def test_it_refuses_to_move_a_unit_below_itself(client, world):
    client.force_login(world.admin)
    url = reverse("unit_edit", args=[world.unit_a.code])
    response = client.post(url, unit_data(parent=world.unit_a1.pk))
    assertContains(response, "Välj ett giltigt alternativ.")
    world.unit_a.refresh_from_db()
    assert world.unit_a.parent == world.city


def test_it_rerenders_an_empty_name_with_the_error(client, world):
    client.force_login(world.editor)
    url = reverse("unit_edit", args=[world.unit_a1.code])
    response = client.post(url, unit_data(name="", parent=world.unit_a.pk))
    assertContains(response, "Detta fält måste fyllas i.")
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.name == "Energienheten"


def test_a_reporter_may_not_edit_a_unit(client, world):
    client.force_login(world.reporter)
    assert client.get(reverse("unit_edit", args=[world.unit_a.code])).status_code == 403


def test_editing_sends_anonymous_visitors_to_sign_in(client, world):
    response = client.get(reverse("unit_edit", args=[world.unit_a.code]))
    assert response.status_code == 302


# unit_deactivate --------------------------------------------------------------------------------


def test_an_editor_deactivates_a_unit_below_them(client, world):
    client.force_login(world.editor)
    heir = make_unit("Klimatenheten", parent=world.unit_a)
    url = reverse("unit_deactivate", args=[world.unit_a1.code])
    response = client.post(url, {"active_until": "2026-06-30", "replaced_by": heir.pk})
    assertRedirects(response, world.unit_a1.get_absolute_url(), fetch_redirect_response=False)
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.active_until == date(2026, 6, 30)
    assert world.unit_a1.replaced_by == heir
    assert OrgUnit.objects.filter(pk=world.unit_a1.pk).exists()


def test_closing_a_unit_is_decided_one_level_up(client, world):
    client.force_login(world.editor)
    response = client.get(reverse("unit_deactivate", args=[world.unit_a.code]))
    assert response.status_code == 403


def test_it_refuses_to_deactivate_a_unit_with_active_children(client, world):
    client.force_login(world.admin)
    url = reverse("unit_deactivate", args=[world.unit_a.code])
    response = client.post(url, {"active_until": "2026-06-30"})
    assertContains(response, "Avveckla eller flytta dem först.")
    world.unit_a.refresh_from_db()
    assert world.unit_a.active_until is None


def test_it_refuses_a_last_day_before_the_unit_started(client, world):
    client.force_login(world.admin)
    OrgUnit.objects.filter(pk=world.unit_b.pk).update(active_from=date(2024, 1, 1))
    url = reverse("unit_deactivate", args=[world.unit_b.code])
    response = client.post(url, {"active_until": "2023-12-31"})
    assertContains(response, "Enheten kan inte avvecklas före den blev aktiv")
    world.unit_b.refresh_from_db()
    assert world.unit_b.active_until is None


def test_deactivating_sends_anonymous_visitors_to_sign_in(client, world):
    response = client.post(reverse("unit_deactivate", args=[world.unit_a1.code]))
    assert response.status_code == 302
    world.unit_a1.refresh_from_db()
    assert world.unit_a1.active_until is None
