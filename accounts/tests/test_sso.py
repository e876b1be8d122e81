"""Single sign-on end to end against a real OpenID Connect provider on 127.0.0.1.

The provider is django-oauth-toolkit in its own process (accounts/tests/oidc_provider/): real
authorization endpoint, real sign-in form, real token endpoint with PKCE, RS256-signed ID tokens,
JWKS and userinfo. Styrkort finds it through its discovery document, as it would Entra ID.
Nothing in mozilla-django-oidc is mocked.
"""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.test import Client
from django.urls import reverse

from accounts import oidc
from accounts.tests.oidc_provider.serve import CLIENT, PERSON
from audit.models import AuditEntry, Event
from organisation.models import Role, RoleAssignment

BASE_DIR = Path(__file__).resolve().parents[2]
CALLBACK = "http://testserver/konto/oidc/callback/"


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    db = tmp_path_factory.mktemp("oidc") / "provider.sqlite3"
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "accounts.tests.oidc_provider.serve", str(db), CALLBACK],
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline()
        if not line.startswith("PORT "):
            process.kill()
            raise RuntimeError(f"The test provider did not start: {process.stderr.read()}")
        yield f"http://127.0.0.1:{line.split()[1]}"
    finally:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider, world):
    settings.OIDC_RP_CLIENT_ID = CLIENT["client_id"]
    settings.OIDC_RP_CLIENT_SECRET = CLIENT["client_secret"]
    settings.OIDC_OP_DISCOVERY_URL = f"{provider}/o"
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = f"styrkort-miljo-redaktor=editor@{world.unit_a.code}"
    oidc._discover.cache_clear()
    yield provider
    oidc._discover.cache_clear()


def _sign_in_at_provider(authorize_url: str, provider: str) -> str:
    """What the person's browser does at the provider; returns the URL it is sent back to."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and 'name="password"' in response.text:
            query = parse_qs(urlsplit(url).query)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
            response = browser.post(
                url.split("?")[0],
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "username": PERSON["username"],
                    "password": PERSON["password"],
                    "next": query["next"][0],
                },
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code == 302, (response.status_code, response.text[:500])
        url = response.headers["Location"]
        if url.startswith("/"):
            url = provider + url
        if url.startswith(CALLBACK):
            return url
    raise AssertionError("The provider never sent the browser back")


def _sso_sign_in(client: Client, provider: str, next_url: str = "/uppfoljning/"):
    start = client.get(reverse("oidc_authentication_init"), {"next": next_url})
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{provider}/o/authorize/")
    assert "code_challenge=" in authorize and "nonce=" in authorize
    back = _sign_in_at_provider(authorize, provider)
    return client.get(back.removeprefix("http://testserver"))


def test_a_person_signs_in_through_the_provider(sso, world):
    client = Client()
    response = _sso_sign_in(client, sso)
    assert response.status_code == 302
    assert response["Location"] == "/uppfoljning/"
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="anna.andersson@kommun.example")
    assert (user.first_name, user.last_name) == ("Anna", "Andersson")
    assert not user.has_usable_password()
    assert client.get("/uppfoljning/").status_code == 200
    # Role mapping: the "styrkort-miljo-redaktor" group makes her editor of unit A.
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", "unit", "source"))
    assert roles == {(Role.EDITOR, world.unit_a.pk, "sso")}
    login = AuditEntry.objects.get(event=Event.LOGIN)
    assert (login.user, login.details["method"]) == (user, "oidc")
    assert AuditEntry.objects.filter(event=Event.ROLE_ADDED, user=None).exists()

    # Signing in again after the group was taken away at the provider removes the mapped role,
    # and a role given by hand stays.
    RoleAssignment.objects.create(user=user, unit=world.unit_b, role=Role.READER)
    from django.test import override_settings

    with override_settings(OIDC_ROLE_MAP=f"annan-grupp=editor@{world.unit_a.code}"):
        _sso_sign_in(Client(), sso)
    roles = set(RoleAssignment.objects.filter(user=user).values_list("role", "unit", "source"))
    assert roles == {(Role.READER, world.unit_b.pk, "manual")}

    # A deactivated person is refused, and the refusal is audited.
    user.is_active = False
    user.save()
    refused = Client()
    response = _sso_sign_in(refused, sso)
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in refused.session
    failed = AuditEntry.objects.get(event=Event.LOGIN_FAILED)
    assert failed.details == {"method": "oidc", "reason": "inactive"}
    assert failed.username == user.username


def test_the_sign_in_page_offers_sso_when_configured(sso, client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("oidc_authentication_init") in page


def test_a_forged_callback_is_refused(sso, client):
    response = client.get(reverse("oidc_authentication_callback"), {"code": "x", "state": "y"})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
