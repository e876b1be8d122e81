import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEntry, Event

LOGIN = "/konto/logga-in/"


def _fail(client, username="editor"):
    return client.post(LOGIN, {"username": username, "password": "wrong"})


def test_production_hashes_passwords_with_argon2():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_url_is_the_swedish_one():
    assert reverse("login") == LOGIN


def test_it_signs_in_and_audits_it(client, world):
    response = client.post(LOGIN, {"username": "editor", "password": "pw-editor"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(event=Event.LOGIN)
    assert (entry.user, entry.details["method"]) == (world.editor, "password")
    assert entry.ip_address == "127.0.0.1"


def test_a_failed_sign_in_is_audited_without_the_password(client, world):
    response = _fail(client)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(event=Event.LOGIN_FAILED)
    assert entry.username == "editor"
    assert "wrong" not in str(entry.details)


def test_it_locks_out_after_the_failure_limit_in_swedish(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client)
    response = client.post(LOGIN, {"username": "editor", "password": "pw-editor"})
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event=Event.LOCKED_OUT, username="editor").exists()


def test_lockout_is_per_username(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _fail(client, "editor")
    response = client.post(LOGIN, {"username": "reader", "password": "pw-reader"})
    assert response.status_code == 302


def test_a_deactivated_person_cannot_sign_in(client, world):
    world.editor.is_active = False
    world.editor.save()
    response = client.post(LOGIN, {"username": "editor", "password": "pw-editor"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_without_oidc_settings_there_is_no_sso_button_and_no_sso_url(client, db):
    assert "oidc" not in client.get(LOGIN).content.decode()
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_with_oidc_settings_the_button_shows(client, db, settings):
    settings.OIDC_RP_CLIENT_ID = "styrkort"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_LOGIN_LABEL = "Logga in med Helsingborgs konto"
    page = client.get(LOGIN).content.decode()
    assert reverse("oidc_authentication_init") in page
    assert "Logga in med Helsingborgs konto" in page


@pytest.mark.parametrize(
    ("forwarded", "count", "expected"),
    [
        ("", 0, "10.0.0.9"),
        ("1.2.3.4", 0, "10.0.0.9"),
        ("6.6.6.6, 1.2.3.4", 1, "1.2.3.4"),
        ("6.6.6.6, 1.2.3.4, 10.0.0.2", 2, "1.2.3.4"),
        ("1.2.3.4", 2, "10.0.0.9"),
    ],
)
def test_the_lockout_address_trusts_only_the_proxies(rf, settings, forwarded, count, expected):
    from accounts.lockout import client_ip

    settings.STYRKORT_PROXY_COUNT = count
    request = rf.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_sign_out_is_audited(client, world):
    client.force_login(world.reader)
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(event=Event.LOGOUT, user=world.reader).exists()


def test_user_model_is_djangos(db):
    assert get_user_model()._meta.label == "auth.User"
