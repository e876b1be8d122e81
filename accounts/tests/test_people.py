from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEntry, Event
from followup.models import Measurement
from organisation.models import RoleAssignment


def test_an_administrator_deactivates_a_person_and_their_history_stays(client, world, chain):
    value = Measurement.objects.create(
        indicator=chain.energy, unit=world.unit_a, year=2026, month=4, value=140
    )
    value.entered_by = world.reporter
    value.save()
    other = client.__class__()
    other.force_login(world.reporter)
    client.force_login(world.admin)
    response = client.post(reverse("person_set_active", args=[world.reporter.pk]), {"active": "0"})
    assert response.status_code == 302
    world.reporter.refresh_from_db()
    assert not world.reporter.is_active
    # Nothing is deleted: the row, its roles and what the person entered stay.
    assert get_user_model().objects.filter(pk=world.reporter.pk).exists()
    assert RoleAssignment.objects.filter(user=world.reporter).exists()
    value.refresh_from_db()
    assert value.entered_by == world.reporter
    # Their open session ended.
    assert other.get(reverse("occasion_list")).status_code == 302
    entry = AuditEntry.objects.get(event=Event.PERSON_DEACTIVATED)
    assert (entry.user, entry.details["person"]) == (world.admin, "reporter")


def test_a_deactivated_person_can_be_activated_again(client, world):
    world.reader.is_active = False
    world.reader.save()
    client.force_login(world.admin)
    client.post(reverse("person_set_active", args=[world.reader.pk]), {"active": "1"})
    world.reader.refresh_from_db()
    assert world.reader.is_active
    assert AuditEntry.objects.filter(event=Event.PERSON_ACTIVATED).exists()


def test_an_administrator_cannot_deactivate_themself(client, world):
    client.force_login(world.admin)
    client.post(reverse("person_set_active", args=[world.admin.pk]), {"active": "0"})
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_the_people_pages_show_roles_and_status(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("person_list")).content.decode()
    assert "Miljöförvaltningen" in page and "reporter" in page
    page = client.get(reverse("person_detail", args=[world.editor.pk])).content.decode()
    assert "Ägare/redaktör" in page


def test_only_administrators_manage_people(client, world):
    client.force_login(world.editor)
    assert client.get(reverse("person_list")).status_code == 403
    response = client.post(reverse("person_set_active", args=[world.reader.pk]), {"active": "0"})
    assert response.status_code == 403
    world.reader.refresh_from_db()
    assert world.reader.is_active
