"""The kolada_sync command: progress while it runs, a report at the end, an error on failure."""

import pytest
from django.core.management import CommandError, call_command

from kolada.models import SyncRun

from .conftest import serve_sync


def test_it_prints_progress_and_the_report(kolada_city, kolada_server, kolada_settings, capsys):
    serve_sync(kolada_server)
    call_command("kolada_sync")
    out = capsys.readouterr().out
    assert "Hämtar alla värden för N00090, N00401, N03102" in out
    assert "sida hämtad: 75 rader" in out
    assert "Klart: 15 nya, 0 ändrade" in out


def test_from_date_is_passed_on(kolada_city, kolada_server, kolada_settings):
    serve_sync(kolada_server, "v3_data_from_date_INVENTED.json")
    call_command("kolada_sync", "--from-date", "2024-01-31")
    assert SyncRun.objects.get().from_date.isoformat() == "2024-01-31"


def test_a_failure_is_a_command_error_in_swedish(kolada_city, kolada_server, kolada_settings):
    serve_sync(kolada_server, b"[")
    with pytest.raises(CommandError, match="Synkroniseringen misslyckades: .*giltig JSON"):
        call_command("kolada_sync")


def test_full_and_from_date_together_are_refused(db):
    with pytest.raises(CommandError, match="inte båda"):
        call_command("kolada_sync", "--full", "--from-date", "2024-01-01")
