"""An Administratör below the top unit administers that subtree only (issue #15.8).

``subadmin`` (core/testing.py) is administrator of unit A (Miljöförvaltningen): A's roles and
drafts and those of Energienheten below it are theirs; unit B's, the city's and everything
city-wide (people, follow-up occasions, Kolada, operations, audit log) are not. Every URL for this
persona is in core/tests/test_url_permissions.py; here the rules themselves.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEntry, Event
from followup.models import FollowUpOccasion
from organisation import access
from organisation.models import Role, RoleAssignment


def test_a_subtree_administrator_administers_their_subtree_only(world, subadmin):
    assert access.can_administer(subadmin, world.unit_a)
    assert access.can_administer(subadmin, world.unit_a1)
    assert not access.can_administer(subadmin, world.unit_b)
    assert not access.can_administer(subadmin, world.city)
    assert access.level(subadmin, world.unit_b) == 0
    assert access.visible_unit_ids(subadmin) == {world.unit_a.pk, world.unit_a1.pk}
    assert not access.is_root_admin(subadmin)
    assert not access.can_manage_people(subadmin)
    assert not access.can_manage_occasions(subadmin)
    assert not access.can_operate(subadmin)


def test_an_administrator_at_the_top_or_a_superuser_administers_everything(world):
    assert access.is_root_admin(world.admin)
    assert access.can_administer(world.admin, world.unit_b)
    assert access.visible_unit_ids(world.admin) is None
    boss = get_user_model().objects.create_user("boss", is_superuser=True)
    assert access.is_root_admin(boss) and access.can_administer(boss, world.unit_a1)
    assert not access.is_root_admin(world.editor)


def test_the_subtree_administrator_gives_a_role_below_and_it_is_audited(client, world, subadmin):
    client.force_login(subadmin)
    url = reverse("role_list", args=[world.unit_a1.code])
    response = client.post(url, {"user": world.reader.pk, "role": Role.EDITOR})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=world.reader, unit=world.unit_a1, role=Role.EDITOR
    ).exists()
    assert AuditEntry.objects.get(event=Event.ROLE_ADDED).user == subadmin


def test_roles_outside_the_subtree_are_refused_and_unchanged(client, world, subadmin):
    client.force_login(subadmin)
    before = set(RoleAssignment.objects.values_list("pk", "user", "unit", "role"))
    for unit in (world.unit_b, world.city):
        url = reverse("role_list", args=[unit.code])
        assert client.get(url).status_code == 403
        assert client.post(url, {"user": subadmin.pk, "role": Role.ADMIN}).status_code == 403
    reader_role = RoleAssignment.objects.get(user=world.reader)
    url = reverse("role_remove", args=[world.unit_b.code, reader_role.pk])
    assert client.post(url).status_code == 403
    assert set(RoleAssignment.objects.values_list("pk", "user", "unit", "role")) == before


def test_an_administrator_made_in_the_subtree_is_scoped_too(client, world, subadmin):
    client.force_login(subadmin)
    url = reverse("role_list", args=[world.unit_a1.code])
    client.post(url, {"user": world.reporter.pk, "role": Role.ADMIN})
    reporter = get_user_model().objects.get(pk=world.reporter.pk)
    assert access.can_administer(reporter, world.unit_a1)
    assert not access.can_administer(reporter, world.unit_a)
    assert not access.is_root_admin(reporter)


def test_a_subtree_administrator_may_give_up_their_own_role(client, world, subadmin):
    client.force_login(subadmin)
    own = RoleAssignment.objects.get(user=subadmin)
    response = client.post(reverse("role_remove", args=[world.unit_a.code, own.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=own.pk).exists()


def test_a_subtree_administrator_does_not_count_as_another_city_administrator(
    client, world, subadmin
):
    """The last administrator of the whole city keeps their role, whoever administers a part."""
    client.force_login(world.admin)
    own = RoleAssignment.objects.get(user=world.admin)
    client.post(reverse("role_remove", args=[world.city.code, own.pk]))
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_city_wide_pages_and_occasion_locking_are_refused(client, world, subadmin):
    occasion = FollowUpOccasion.objects.create(
        year=2026, end_month=4, kind="tertial", name="Tertial 1", deadline="2026-05-15"
    )
    client.force_login(subadmin)
    for name in ("person_list", "audit_log", "ops_status", "sync_status", "sync_conflicts"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("person_detail", args=[world.reader.pk])).status_code == 403
    assert client.post(reverse("occasion_lock", args=[occasion.pk])).status_code == 403
    occasion.refresh_from_db()
    assert not occasion.is_locked
    assert client.get(reverse("occasion_create_defaults", args=[2027])).status_code == 403


def test_the_pages_offer_the_subtree_administrator_only_their_own_links(client, world, subadmin):
    client.force_login(subadmin)
    own = client.get(reverse("unit_detail", args=[world.unit_a.code])).content.decode()
    assert reverse("role_list", args=[world.unit_a.code]) in own
    for city_wide in ("person_list", "audit_log", "sync_status"):
        assert reverse(city_wide) not in own
    other = client.get(reverse("unit_detail", args=[world.unit_b.code])).content.decode()
    assert reverse("role_list", args=[world.unit_b.code]) not in other
    roles = client.get(reverse("role_list", args=[world.unit_a1.code])).content.decode()
    assert reverse("role_list", args=[world.unit_a.code]) in roles  # inherited, theirs
    assert reverse("role_list", args=[world.city.code]) not in roles  # inherited, not theirs
    own_roles = client.get(reverse("role_list", args=[world.unit_a.code])).content.decode()
    assert "editor" in own_roles  # listed, but the people list is the city's administrators'
    assert reverse("person_detail", args=[world.editor.pk]) not in own_roles


def test_a_subtree_administrator_adds_units_only_below_their_own(client, world, subadmin):
    client.force_login(subadmin)
    payload = {"name": "Ny", "kind": "enhet", "code": "ny-topp", "order": "0", "parent": ""}
    response = client.post(reverse("unit_create"), payload)
    assert response.status_code == 200  # the form again: a top-level unit is not theirs to add
    payload.update(parent=world.unit_a.pk, code="ny-under-a")
    assert client.post(reverse("unit_create"), payload).status_code == 302
