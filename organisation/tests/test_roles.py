from django.urls import reverse

from audit.models import AuditEntry, Event
from organisation import access
from organisation.models import Role, RoleAssignment


def test_an_administrator_gives_a_role_and_it_is_audited(client, world):
    client.force_login(world.admin)
    url = reverse("role_list", args=[world.unit_b.code])
    response = client.post(url, {"user": world.editor.pk, "role": Role.REPORTER})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(
        user=world.editor, unit=world.unit_b, role=Role.REPORTER
    ).exists()
    entry = AuditEntry.objects.get(event=Event.ROLE_ADDED)
    assert entry.user == world.admin
    assert entry.details == {
        "person": "editor",
        "role": "reporter",
        "unit": world.unit_b.code,
        "source": "manual",
    }


def test_the_new_role_is_inherited_down_the_tree(client, world):
    client.force_login(world.admin)
    client.post(
        reverse("role_list", args=[world.unit_a.code]), {"user": world.reader.pk, "role": "editor"}
    )
    world.reader.refresh_from_db()
    assert access.can_edit(world.reader, world.unit_a1)


def test_an_administrator_removes_a_role_and_it_is_audited(client, world):
    client.force_login(world.admin)
    assignment = RoleAssignment.objects.get(user=world.editor)
    response = client.post(reverse("role_remove", args=[world.unit_a.code, assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    entry = AuditEntry.objects.get(event=Event.ROLE_REMOVED)
    assert entry.details["person"] == "editor"


def test_a_role_is_removed_only_through_its_own_unit(client, world):
    client.force_login(world.admin)
    assignment = RoleAssignment.objects.get(user=world.editor)
    response = client.post(reverse("role_remove", args=[world.unit_b.code, assignment.pk]))
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_last_administrator_keeps_their_role(client, world):
    client.force_login(world.admin)
    assignment = RoleAssignment.objects.get(user=world.admin)
    client.post(reverse("role_remove", args=[world.city.code, assignment.pk]))
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_the_role_page_lists_own_and_inherited_roles(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("role_list", args=[world.unit_a1.code])).content.decode()
    assert "Ärvda roller" in page
    assert "editor" in page and world.unit_a.name in page


def test_an_editor_cannot_give_roles(client, world):
    client.force_login(world.editor)
    url = reverse("role_list", args=[world.unit_a.code])
    assert client.get(url).status_code == 403
    client.post(url, {"user": world.editor.pk, "role": Role.ADMIN})
    assert not RoleAssignment.objects.filter(user=world.editor, role=Role.ADMIN).exists()
