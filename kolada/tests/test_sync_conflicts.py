"""The conflicts page: an administrator accepts Kolada's value or keeps a person's."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import FollowUpOccasion, Measurement, OccasionKind
from kolada.models import SyncConflict
from scorecards.models import Source

URL = reverse("sync_conflicts")


@pytest.fixture
def conflict(kolada_city):
    m = Measurement.objects.create(
        indicator=kolada_city.sick, unit=kolada_city.city, year=2020, month=12,
        value=Decimal("7.5"), source=Source.MANUAL, comment="Egen siffra",
    )  # fmt: skip
    c = SyncConflict.objects.create(
        indicator=kolada_city.sick, unit=kolada_city.city, year=2020,
        kolada_value=Decimal("8.0"), current_value=m.value, current_source=m.source,
        reason="Värdet är inmatat av en person (Manuell inmatning).",
    )  # fmt: skip
    c.measurement = m
    return c


def test_an_admin_sees_open_conflicts(client, kolada_city, conflict):
    client.force_login(kolada_city.admin)
    text = client.get(URL).content.decode()
    assert "Sjukfrånvaro" in text
    assert "7,5" in text and "8,0" in text
    assert "Använd Kolada-värdet" in text


def test_accepting_writes_the_kolada_value_with_history(client, kolada_city, conflict):
    client.force_login(kolada_city.admin)
    client.post(URL, {"conflict": conflict.pk, "action": "accept", "version": 1})
    m = conflict.measurement
    m.refresh_from_db()
    assert (m.value, m.source, m.comment) == (Decimal("8.0"), Source.KOLADA, "Egen siffra")
    assert m.history.count() == 2
    conflict.refresh_from_db()
    assert conflict.resolved
    assert conflict.resolution == SyncConflict.Resolution.ACCEPTED
    assert conflict.resolved_by == kolada_city.admin


def test_keeping_leaves_the_value(client, kolada_city, conflict):
    client.force_login(kolada_city.admin)
    response = client.post(URL, {"conflict": conflict.pk, "action": "keep"}, follow=True)
    conflict.measurement.refresh_from_db()
    assert conflict.measurement.value == Decimal("7.5")
    conflict.refresh_from_db()
    assert conflict.resolution == SyncConflict.Resolution.KEPT
    assert "det nuvarande värdet behålls" in response.content.decode()


def test_accepting_after_someone_else_changed_the_value_is_refused(client, kolada_city, conflict):
    conflict.measurement.value = Decimal("7.7")
    conflict.measurement.version = 2
    conflict.measurement.save()
    client.force_login(kolada_city.admin)
    response = client.post(
        URL, {"conflict": conflict.pk, "action": "accept", "version": 1}, follow=True
    )
    assert "Någon annan har ändrat värdet" in response.content.decode()
    conflict.refresh_from_db()
    assert not conflict.resolved


def test_accepting_in_a_locked_period_is_refused(client, kolada_city, conflict):
    FollowUpOccasion.objects.create(
        year=2020, kind=OccasionKind.ANNUAL, name="Årsredovisning", end_month=12,
        deadline=date(2021, 2, 15), locked_at=timezone.now(),
    )  # fmt: skip
    client.force_login(kolada_city.admin)
    response = client.post(
        URL, {"conflict": conflict.pk, "action": "accept", "version": 1}, follow=True
    )
    assert "låst" in response.content.decode()
    conflict.measurement.refresh_from_db()
    assert conflict.measurement.value == Decimal("7.5")


def test_an_unknown_action_changes_nothing(client, kolada_city, conflict):
    client.force_login(kolada_city.admin)
    client.post(URL, {"conflict": conflict.pk, "action": "both"})
    conflict.refresh_from_db()
    assert not conflict.resolved


def test_an_editor_may_not_resolve(client, kolada_city, conflict):
    client.force_login(kolada_city.editor)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"conflict": conflict.pk, "action": "accept"}).status_code == 403


def test_resolved_conflicts_are_listed_with_the_decision(client, kolada_city, conflict):
    client.force_login(kolada_city.admin)
    client.post(URL, {"conflict": conflict.pk, "action": "keep"})
    text = client.get(URL).content.decode()
    assert "Inga olösta konflikter." in text
    assert "Nuvarande värde behålls" in text
