"""``core.site.site_settings``: the row wins over the environment, and costs no query per page."""

import pytest

from core import site
from core.models import SiteSettings


@pytest.mark.django_db
def test_without_a_row_the_environment_decides(settings):
    settings.MUNICIPALITY_NAME, settings.MUNICIPALITY_DESIGNATION = "Ale kommun", "kommun"
    current = site.site_settings()
    assert (current.name, current.designation, current.setup_done) == (
        "Ale kommun",
        "kommun",
        False,
    )
    assert "enhet" in current.unit_kinds


@pytest.mark.django_db
def test_a_saved_row_is_seen_at_once_and_then_read_from_memory(django_assert_num_queries):
    SiteSettings.objects.create(pk=1, name="Tanums kommun", designation="kommun", kolada_id="1435")
    with django_assert_num_queries(1):
        assert site.site_settings().name == "Tanums kommun"
        assert site.site_settings().kolada_id == "1435"  # the second read: no query
    row = SiteSettings.load()
    row.name = "Tanum"
    row.save()
    assert site.site_settings().name == "Tanum"


@pytest.mark.django_db
def test_other_processes_see_a_change_within_the_ttl(monkeypatch):
    site.forget()
    assert site.site_settings().name  # cached now: no row
    SiteSettings.objects.filter(pk=1).delete()
    # Another process wrote the row: this one does not know until its cache expires.
    SiteSettings.objects.bulk_create([SiteSettings(pk=1, name="Strömstads kommun")])
    assert site.site_settings().name != "Strömstads kommun"
    clock = site.time.monotonic() + site.TTL + 1
    monkeypatch.setattr(site.time, "monotonic", lambda: clock)
    assert site.site_settings().name == "Strömstads kommun"


def test_only_one_row_may_exist(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        SiteSettings.objects.create(pk=2, name="En till")
