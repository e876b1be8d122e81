"""API tokens created, listed and revoked on a person's page (no /admin/): the secret is shown
once and works against the API; a revoked one does not."""

import re

from django.test import Client
from django.urls import reverse

from api.models import ApiToken
from audit.models import AuditEntry, Event


def _api(secret: str) -> int:
    return Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code


def test_an_administrator_issues_a_token_that_works_until_revoked(client, world):
    client.force_login(world.admin)
    url = reverse("person_token_create", args=[world.reporter.pk])
    page = client.post(url, {"name": "  Ekonomi\nsystemet "}).content.decode()
    secret = re.search(r'value="(styr_[^"]+)"', page).group(1)
    token = ApiToken.objects.get(user=world.reporter)
    assert token.name == "Ekonomi systemet" and secret.startswith(token.prefix)
    assert _api(secret) == 200
    listed = client.get(reverse("person_detail", args=[world.reporter.pk])).content.decode()
    assert token.prefix in listed and secret not in listed  # shown once only
    revoke = reverse("person_token_revoke", args=[world.reporter.pk, token.pk])
    response = client.post(revoke, follow=True)
    assert f"API-nyckeln {token.prefix}… är återkallad." in response.content.decode()
    assert _api(secret) == 401
    events = set(AuditEntry.objects.values_list("event", flat=True))
    assert {Event.API_TOKEN_ISSUED, Event.API_TOKEN_REVOKED} <= events


def test_no_token_for_an_inactive_person(client, world):
    world.reporter.is_active = False
    world.reporter.save()
    client.force_login(world.admin)
    response = client.post(reverse("person_token_create", args=[world.reporter.pk]), follow=True)
    assert "är inaktiverad. Aktivera personen först." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_is_revoked_only_through_its_own_person(client, world):
    token, secret = ApiToken.issue(user=world.reporter)
    client.force_login(world.admin)
    wrong = reverse("person_token_revoke", args=[world.reader.pk, token.pk])
    assert client.post(wrong).status_code == 404
    assert _api(secret) == 200


def test_others_neither_issue_nor_revoke(client, world, subadmin):
    token, secret = ApiToken.issue(user=world.reporter)
    for persona in (world.editor, subadmin):
        client.force_login(persona)
        create = reverse("person_token_create", args=[world.reporter.pk])
        assert client.post(create, {"name": "x"}).status_code == 403
        revoke = reverse("person_token_revoke", args=[world.reporter.pk, token.pk])
        assert client.post(revoke).status_code == 403
    assert ApiToken.objects.count() == 1 and _api(secret) == 200
