"""The sync status page: administrators see recent runs and start a sync."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
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
    """The test settings run jobs at once (immediate backend): the run is over on the next page."""
    serve_sync(kolada_server)
    client.force_login(kolada_city.admin)
    response = client.post(URL)
    run = SyncRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?korning={run.pk}"
    text = client.get(response["Location"]).content.decode()
    assert run.status == SyncRun.Status.SUCCEEDED
    assert run.started_by == kolada_city.admin
    assert run.phase == SyncRun.Phase.DONE and run.values_written == 15
    assert "15 nya, 0 ändrade" in text
    assert "N00090 Sjukfrånvaro: 5 nya" in text
    assert "hx-trigger" not in text  # nothing left to poll


def test_a_failed_sync_shows_the_reason(client, kolada_city, kolada_server, kolada_settings):
    serve_sync(kolada_server, b"<html>fel</html>")
    client.force_login(kolada_city.admin)
    text = client.post(URL, follow=True).content.decode()
    assert "Misslyckades" in text
    assert "giltig JSON" in text


def queued_run(**kw) -> SyncRun:
    fields = dict(started_at=timezone.now(), status=SyncRun.Status.QUEUED, phase="queued")
    return SyncRun.objects.create(**{**fields, **kw})


def test_a_second_click_does_not_queue_a_second_sync(client, world):
    run = queued_run()
    client.force_login(world.admin)
    response = client.post(URL, follow=True)
    assert SyncRun.objects.count() == 1
    assert response.redirect_chain[-1][0] == f"{URL}?korning={run.pk}"
    assert "redan köad eller pågår" in response.content.decode()


def test_a_queued_run_is_polled_and_has_a_refresh_link(client, world):
    run = queued_run()
    client.force_login(world.admin)
    text = client.get(f"{URL}?korning={run.pk}").content.decode()
    assert 'hx-trigger="every 2s"' in text
    assert f'hx-get="{URL}?korning={run.pk}"' in text
    assert f'<a href="{URL}?korning={run.pk}">Uppdatera sidan</a>' in text
    assert "Köad" in text and "Väntar på arbetaren" in text
    assert "Ingen arbetare har tagit jobbet" not in text


def test_a_run_waiting_long_for_a_worker_says_to_check_the_worker(client, world):
    run = queued_run(started_at=timezone.now() - timezone.timedelta(minutes=10))
    client.force_login(world.admin)
    text = client.get(f"{URL}?korning={run.pk}").content.decode()
    assert "Ingen arbetare har tagit jobbet ännu" in text
    assert reverse("ops_status") in text


def test_a_running_run_shows_its_progress_and_log(client, world):
    now = timezone.now()
    run = SyncRun.objects.create(
        started_at=now,
        heartbeat_at=now,
        status=SyncRun.Status.RUNNING,
        phase=SyncRun.Phase.FETCHING,
        kpis_total=40,
        kpis_done=25,
        rows_fetched=1234,
        values_written=0,
        log="Kontrollerar 40 KPI:er hos Kolada …\nHämtar alla värden för N00090 …",
    )
    client.force_login(world.admin)
    text = client.get(f"{URL}?korning={run.pk}").content.decode()
    assert "Pågår" in text and "Hämtar värden från Kolada" in text
    assert '<progress max="40" value="25"' in text and "25 av 40" in text
    assert "1234" in text
    assert "<li>Hämtar alla värden för N00090 …</li>" in text


def test_htmx_polls_get_the_partial_and_the_last_one_stops_the_polling(client, world):
    run = queued_run()
    client.force_login(world.admin)
    poll = client.get(f"{URL}?korning={run.pk}", headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert b"<html" not in poll.content and b"Senaste k\xc3\xb6rningar" in poll.content
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.SUCCEEDED, added=3)
    last = client.get(f"{URL}?korning={run.pk}", headers={"HX-Request": "true"})
    assert last.status_code == 286  # htmx: swap this answer, then stop polling
    assert "3 nya" in last.content.decode()


def test_a_dead_run_is_shown_failed_with_its_reason(client, world):
    long_ago = timezone.now() - timezone.timedelta(minutes=30)
    run = SyncRun.objects.create(
        started_at=long_ago, heartbeat_at=long_ago, status=SyncRun.Status.RUNNING
    )
    client.force_login(world.admin)
    text = client.get(f"{URL}?korning={run.pk}").content.decode()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert "slutade svara" in text
    assert "hx-trigger" not in text


def test_polling_a_live_run_writes_nothing(client, world):
    now = timezone.now()
    run = SyncRun.objects.create(started_at=now, heartbeat_at=now, status=SyncRun.Status.RUNNING)
    client.force_login(world.admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(f"{URL}?korning={run.pk}", headers={"HX-Request": "true"})
    writes = [q["sql"] for q in queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == []
