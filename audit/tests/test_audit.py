import pytest
from django.urls import reverse

import audit
from audit.models import AuditEntry, Event
from followup import locking
from followup.models import FollowUpOccasion


def test_record_keeps_the_username_and_cleans_details(world):
    entry = audit.record(Event.EXPORT, world.editor, what="utkast\x00", rows=3)
    assert entry.username == "editor"
    assert entry.details == {"what": "utkast", "rows": 3}


def test_record_refuses_unknown_events(db):
    with pytest.raises(ValueError):
        audit.record("whatever")


def test_anonymous_users_are_recorded_without_a_user(db):
    from django.contrib.auth.models import AnonymousUser

    entry = audit.record(Event.LOGIN_FAILED, AnonymousUser(), username="nobody")
    assert entry.user is None and entry.username == "nobody"


def test_locking_and_reopening_a_period_are_audited(world):
    occasion = FollowUpOccasion.objects.create(
        year=2026, end_month=4, name="Tertial 1", kind="tertial", deadline="2026-05-15"
    )
    locking.occasion_lock(occasion=occasion, user=world.admin)
    locking.occasion_reopen(occasion=occasion, user=world.admin, reason="Fel i utfall")
    events = list(AuditEntry.objects.order_by("pk").values_list("event", flat=True))
    assert events == [Event.PERIOD_LOCKED, Event.PERIOD_REOPENED]
    assert AuditEntry.objects.get(event=Event.PERIOD_REOPENED).details["reason"] == "Fel i utfall"


def test_the_log_page_is_for_administrators(client, world):
    audit.record(Event.EXPORT, world.editor, what="<b>utkast</b>")
    client.force_login(world.admin)
    page = client.get(reverse("audit_log")).content.decode()
    assert "&lt;b&gt;utkast&lt;/b&gt;" in page
    assert client.get(reverse("audit_log"), {"handelse": "export"}).status_code == 200
    client.force_login(world.editor)
    assert client.get(reverse("audit_log")).status_code == 403


def test_the_entry_stays_when_the_person_is_deactivated(world):
    entry = audit.record(Event.LOGIN, world.reporter)
    world.reporter.is_active = False
    world.reporter.save()
    entry.refresh_from_db()
    assert entry.user == world.reporter and entry.username == "reporter"
