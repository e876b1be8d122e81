"""People created on /personer/ny/ and invited by e-mail with a link to choose a password.

The e-mail goes through the configured backend (the test backend's outbox here); the link is
Django's password-reset token, which works once and until PASSWORD_RESET_TIMEOUT.
"""

import re
import smtplib

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry, Event
from organisation.models import RoleAssignment

User = get_user_model()
NEW = {"first_name": "Ada", "last_name": "Lind", "email": "Ada.Lind@Example.se"}


def _link(message) -> str:
    return re.search(r"http://testserver(/konto/valj-losenord/\S+/)", message.body).group(1)


def test_an_administrator_creates_and_invites_a_person(client, world):
    client.force_login(world.admin)
    data = NEW | {"unit": world.unit_a.pk, "role": "reporter", "invite": "on"}
    response = client.post(reverse("person_create"), data, follow=True)
    person = User.objects.get(email="ada.lind@example.se")
    assert person.username == "ada.lind@example.se" and not person.has_usable_password()
    assert RoleAssignment.objects.filter(user=person, unit=world.unit_a, role="reporter").exists()
    page = response.content.decode()
    assert "En inbjudan har skickats till ada.lind@example.se." in page
    assert "Rapportör" in page and "Ada Lind har skapats." in page
    (message,) = mail.outbox
    assert message.to == ["ada.lind@example.se"] and "Ada Lind" in message.body
    assert {e.event for e in AuditEntry.objects.all()} >= {
        Event.PERSON_CREATED,
        Event.PERSON_INVITED,
    }


def test_the_link_sets_a_password_once(client, world):
    client.force_login(world.admin)
    client.post(reverse("person_create"), NEW | {"username": "ada", "invite": "on"})
    link = _link(mail.outbox[0])
    client.logout()
    form = client.get(link, follow=True)
    assert "Välj ett lösenord för kontot ada." in form.content.decode()
    url = form.redirect_chain[-1][0]
    password = "Ett-långt-lösenord-42"
    response = client.post(url, {"new_password1": password, "new_password2": password}, follow=True)
    assert "Ditt lösenord är sparat. Logga in med det." in response.content.decode()
    signed_in = client.post(reverse("login"), {"username": "ada", "password": password})
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    client.logout()
    again = client.get(link, follow=True).content.decode()
    assert "Länken fungerar inte längre" in again


def test_a_weak_or_mismatched_password_is_refused(client, world):
    client.force_login(world.admin)
    client.post(reverse("person_create"), NEW | {"username": "ada", "invite": "on"})
    link = _link(mail.outbox[0])
    client.logout()
    url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(url, {"new_password1": "abc", "new_password2": "abd"})
    assert response.status_code == 200
    assert "De två lösenordsfälten" in response.content.decode()
    assert not User.objects.get(username="ada").has_usable_password()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "inte en adress"}, "Ange en giltig mejladress."),
        ({"email": "EDITOR@example.se"}, "Det finns redan en person med den e-postadressen."),
        ({"username": "Editor"}, "Användarnamnet Editor är upptaget."),
        ({"username": "ada lind"}, "Användarnamnet får bara innehålla"),
        ({"role": "editor"}, "Välj både enhet och roll, eller ingen av dem."),
        ({"first_name": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_wrong_input_gets_a_message_and_creates_nobody(client, world, changes, message):
    world.editor.email = "editor@example.se"
    world.editor.save()
    client.force_login(world.admin)
    before = User.objects.count()
    response = client.post(reverse("person_create"), NEW | {"invite": "on"} | changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before and not mail.outbox


def test_an_invitation_is_sent_again_from_the_person_page(client, world):
    world.reader.email = "reader@example.se"
    world.reader.save()
    client.force_login(world.admin)
    page = client.get(reverse("person_detail", args=[world.reader.pk])).content.decode()
    assert reverse("person_invite", args=[world.reader.pk]) in page
    client.post(reverse("person_invite", args=[world.reader.pk]))
    assert [m.to for m in mail.outbox] == [["reader@example.se"]]


def test_no_invitation_without_an_address_or_to_an_inactive_person(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("person_invite", args=[world.reader.pk]), follow=True)
    assert "har ingen e-postadress" in response.content.decode()
    world.editor.email, world.editor.is_active = "editor@example.se", False
    world.editor.save()
    response = client.post(reverse("person_invite", args=[world.editor.pk]), follow=True)
    assert "är inaktiverad. Aktivera personen först." in response.content.decode()
    assert not mail.outbox


def test_a_refused_mail_server_keeps_the_account_and_says_so(client, world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    client.force_login(world.admin)
    response = client.post(reverse("person_create"), NEW | {"invite": "on"}, follow=True)
    assert "Inbjudan kunde inte skickas till ada.lind@example.se" in response.content.decode()
    assert User.objects.filter(email="ada.lind@example.se").exists()
    assert issubclass(smtplib.SMTPException, OSError)  # what the view catches


@pytest.mark.parametrize("persona", ["editor", "subadmin"])
def test_only_administrators_of_the_whole_municipality_create_and_invite(
    client, world, persona, subadmin
):
    world.reader.email = "reader@example.se"
    world.reader.save()
    client.force_login(getattr(world, persona))
    before = User.objects.count()
    assert client.post(reverse("person_create"), NEW | {"invite": "on"}).status_code == 403
    assert client.post(reverse("person_invite", args=[world.reader.pk])).status_code == 403
    assert User.objects.count() == before and not mail.outbox
