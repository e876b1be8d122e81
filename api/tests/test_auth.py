"""API tokens for systems, sessions (with CSRF) for people, and the token command and admin."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from api.models import ApiToken, digest


def test_the_command_prints_a_token_that_is_stored_only_as_a_hash(world):
    out = StringIO()
    call_command("api_token", "reporter", "--name", "Ekonomisystemet", stdout=out)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert secret.startswith("styr_") and len(secret) > 40
    assert (token.user, token.name, token.digest) == (
        world.reporter,
        "Ekonomisystemet",
        digest(secret),
    )
    assert secret not in str(ApiToken.objects.values_list())


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        call_command("api_token", "nobody")


def test_a_token_signs_in_as_its_user_and_records_use(api, world, entry):
    client = api("reporter")
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    payload = {"unit": entry.card.unit.code, "year": 2026, "month": 3, "rows": rows}
    assert client.post("/api/v1/values/bulk/", payload, format="json").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["Bearer nope", "Token nope", "Bearer a b", "Bearer \xe5"])
def test_a_bad_token_answers_401(db, header):
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_a_revoked_token_no_longer_works(world):
    token, secret = ApiToken.issue(user=world.reporter)
    token.revoke()
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_a_deactivated_users_token_no_longer_works(world):
    _token, secret = ApiToken.issue(user=world.reporter)
    world.reporter.is_active = False
    world.reporter.save()
    response = Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_session_writes_need_the_csrf_token(world, entry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reporter)
    rows = [{"indicator": entry.monthly.pk, "value": "150"}]
    payload = {"unit": entry.card.unit.code, "year": 2026, "month": 3, "rows": rows}
    refused = client.post("/api/v1/values/bulk/", payload, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    page = client.get("/api/v1/docs/")  # every page of the site carries the session's token
    token = page.content.decode().split('"X-CSRFToken": "')[1].split('"')[0]
    accepted = client.post(
        "/api/v1/values/bulk/", payload, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert accepted.status_code == 200


def test_session_reads_need_no_csrf_token(world, chain):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.reader)
    assert client.get(f"/api/v1/goals/{chain.draft.pk}/").status_code == 200


def test_the_admin_lists_tokens_and_shows_a_new_one_once(world):
    staff = world.admin
    staff.is_staff = staff.is_superuser = True
    staff.save()
    ApiToken.issue(user=world.reporter, name="Ekonomisystemet")
    client = Client()
    client.force_login(staff)
    assert "Ekonomisystemet" in client.get("/admin/api/apitoken/").content.decode()
    response = client.post(
        "/admin/api/apitoken/add/", {"user": world.editor.pk, "name": "Importen"}, follow=True
    )
    assert "styr_" in response.content.decode()
    assert ApiToken.objects.filter(user=world.editor, name="Importen").exists()
