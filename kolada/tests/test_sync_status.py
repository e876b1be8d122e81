"""The sync status page: administrators see recent runs and start a sync."""

from django.urls import reverse
from django.utils import timezone

from kolada.models import SyncRun

from .conftest import serve_sync

URL = reverse("sync_status")


def test_an_admin_sees_recent_runs_with_status_in_words(client, world):
    SyncRun.objects.create(
        started_at=timezone.now(), status=SyncRun.Status.FAILED, error="Kolada svarade inte i tid."
    )
    client.force_login(world.admin)
    text = client.get(URL).content.decode()
    assert "Misslyckades" in text
    assert "Kolada svarade inte i tid." in text
    assert '<th scope="col">' in text


def test_with_no_runs_it_says_so(client, world):
    client.force_login(world.admin)
    assert "Ingen synkronisering har körts ännu." in client.get(URL).content.decode()


def test_an_editor_may_not_see_it(client, world):
    client.force_login(world.editor)
    assert client.get(URL).status_code == 403


def test_an_editor_may_not_start_a_sync(client, world):
    client.force_login(world.editor)
    assert client.post(URL).status_code == 403
    assert not SyncRun.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


def test_an_admin_starts_a_sync_and_sees_the_report(
    client, kolada_city, kolada_server, kolada_settings
):
    serve_sync(kolada_server)
    client.force_login(kolada_city.admin)
    response = client.post(URL, follow=True)
    text = response.content.decode()
    run = SyncRun.objects.get()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.started_by == kolada_city.admin
    assert "Klart: 15 nya" in text
    assert "N00090 Sjukfrånvaro: 5 nya" in text


def test_a_failed_sync_shows_the_reason(client, kolada_city, kolada_server, kolada_settings):
    serve_sync(kolada_server, b"<html>fel</html>")
    client.force_login(kolada_city.admin)
    text = client.post(URL, follow=True).content.decode()
    assert "Synkroniseringen misslyckades" in text
    assert "giltig JSON" in text
