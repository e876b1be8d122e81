"""backup → flush → restore gives back every row; a non-empty database is refused."""

import gzip
import io
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from core.testing import World
from followup.models import Assessment, FollowUpOccasion
from reports.backup import counts
from scorecards.models import Goal, Scorecard

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def filled(chain):
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    Assessment.objects.create(goal=chain.top, occasion=occasion, status="met", analysis="Bra.")
    return chain


def test_backup_flush_restore_gives_back_every_row(filled, tmp_path):
    path = tmp_path / "backup.json.gz"
    before = counts()
    call_command("backup", str(path), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Scorecard.objects.exists()
    call_command("restore", str(path), stdout=io.StringIO())
    assert counts() == before
    assert before["scorecards.goal"] and before["scorecards.historicalgoal"]
    top = Goal.objects.get(pk=filled.top.pk)  # the same ids as before
    assert top.contributions.count() == 2 and top.scorecard.unit.code == filled.city.unit.code


def test_the_backup_is_versioned_gzip_json(filled, tmp_path):
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with gzip.open(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    assert (data["format"], data["version"]) == ("styrkort-backup", 2)
    assert "0001_initial" in data["migrations"]["scorecards"]
    labels = {t["model"] for t in data["tables"]}
    assert "scorecards.scorecard" in labels and "contenttypes.contenttype" not in labels


def test_restore_refuses_a_database_with_data(filled, tmp_path):
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="inte tom"):
        call_command("restore", str(path))


def test_restore_refuses_a_backup_from_a_newer_version(db, tmp_path):
    path = tmp_path / "b.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(
            {
                "format": "styrkort-backup",
                "version": 2,
                "migrations": {"scorecards": ["0099_future"]},
                "tables": [],
            },
            f,
        )
    with pytest.raises(CommandError, match="nyare version"):
        call_command("restore", str(path))


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    path = tmp_path / "b.json.gz"
    path.write_bytes(b"hello")
    with pytest.raises(CommandError, match="ingen hel Styrkort-säkerhetskopia"):
        call_command("restore", str(path))


def test_people_can_still_sign_in_after_a_restore(tmp_path):
    World()
    path = tmp_path / "b.json.gz"
    call_command("backup", str(path), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    call_command("restore", str(path), stdout=io.StringIO())
    assert get_user_model().objects.get(username="editor").check_password("pw-editor")
