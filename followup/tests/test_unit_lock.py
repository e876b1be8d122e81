"""A subtree administrator locks an occasion for their own units (issue #15.8).

``subadmin`` administers unit A (Miljöförvaltningen) and Energienheten below it. Locking an
occasion for A locks the values of the occasion's months and its assessments in A and every unit
below; unit B and the city stay open. Only a city-wide lock locks everything.
"""

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Event
from core.testing import make_goal, make_indicator, make_metric, make_scorecard
from followup import locking
from followup.assessments import save_assessment
from followup.entry import RowInput, measurements_save
from followup.models import FollowUpOccasion, Measurement, OccasionLog, OccasionUnitLock
from organisation.models import OrgUnit

LOCKED = "Perioden är låst eftersom rapporten är fastställd."


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026, end_month=4, kind="tertial", name="Tertial 1", deadline="2026-05-15"
    )


@pytest.fixture
def energy(db):
    return make_indicator("Energi", frequency="monthly")


def _card(unit, energy):
    card = make_scorecard(unit)
    make_metric(make_goal(card, f"Mål för {unit.name}"), energy)
    return card


def _lock_url(occasion, unit):
    return reverse("occasion_unit_lock", args=[occasion.pk, unit.code])


def _reopen_url(occasion, unit):
    return reverse("occasion_unit_reopen", args=[occasion.pk, unit.code])


def _entry(card, period="2026-03"):
    return reverse("value_entry", args=[card.pk]) + f"?period={period}"


def test_the_subtree_lock_refuses_values_inside_and_accepts_them_outside(
    client, world, subadmin, occasion, energy
):
    inside, outside = _card(world.unit_a1, energy), _card(world.unit_b, energy)
    client.force_login(subadmin)
    page = client.get(_lock_url(occasion, world.unit_a)).content.decode()
    assert "Lås för Miljöförvaltningen" in page  # the confirmation, before anything is locked
    assert not OccasionUnitLock.objects.exists()
    assert client.post(_lock_url(occasion, world.unit_a)).status_code == 302
    lock = OccasionUnitLock.objects.get()
    assert (lock.unit, lock.locked_by) == (world.unit_a, subadmin)
    log = OccasionLog.objects.get()
    assert (log.action, log.unit_name, log.by) == ("lock", world.unit_a.name, subadmin)
    assert AuditEntry.objects.get(event=Event.PERIOD_LOCKED).details["unit"] == world.unit_a.code

    client.force_login(world.admin)
    refused = client.post(_entry(inside), {f"v-{energy.pk}": "150"})
    assert LOCKED in refused.content.decode()
    assert not Measurement.objects.filter(unit=world.unit_a1).exists()
    assert client.post(_entry(inside, "2026-05"), {f"v-{energy.pk}": "150"}).status_code == 302
    assert client.post(_entry(outside), {f"v-{energy.pk}": "150"}).status_code == 302
    assert Measurement.objects.get(unit=world.unit_b, month=3).value == 150


def test_a_unit_outside_the_subtree_cannot_be_locked_or_reopened(client, world, subadmin, occasion):
    client.force_login(subadmin)
    for unit in (world.unit_b, world.city):
        assert client.get(_lock_url(occasion, unit)).status_code == 403
        assert client.post(_lock_url(occasion, unit)).status_code == 403
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_b)
    assert client.post(_reopen_url(occasion, world.unit_b), {"reason": "x"}).status_code == 403
    assert list(OccasionUnitLock.objects.values_list("unit", flat=True)) == [world.unit_b.pk]
    assert client.post(_lock_url(occasion, OrgUnit(code="finns-inte"))).status_code == 404
    client.force_login(world.reporter)  # a role in A, but not Administratör
    assert client.post(_lock_url(occasion, world.unit_a)).status_code == 403
    assert not OccasionLog.objects.exists()


def test_reopening_needs_a_reason_and_is_logged(client, world, subadmin, occasion):
    locking.unit_lock(occasion=occasion, unit=world.unit_a, user=subadmin)
    client.force_login(subadmin)
    response = client.post(_reopen_url(occasion, world.unit_a), {"reason": "  "})
    assert "Ange skälet till att tillfället öppnas igen." in response.content.decode()
    assert OccasionUnitLock.objects.exists()
    response = client.post(_reopen_url(occasion, world.unit_a), {"reason": "Fel i utfallet"})
    assert response.status_code == 302
    assert not OccasionUnitLock.objects.exists()
    log = OccasionLog.objects.get(action="reopen")
    assert (log.unit_name, log.by, log.reason) == (world.unit_a.name, subadmin, "Fel i utfallet")
    assert not locking.is_locked(2026, 3, world.unit_a1)


def test_the_occasion_page_offers_the_subtree_lock_and_shows_locked_units(
    client, world, subadmin, occasion
):
    client.force_login(subadmin)
    detail = reverse("occasion_detail", args=[occasion.pk])
    text = client.get(detail).content.decode()
    assert _lock_url(occasion, world.unit_a) in text
    assert _lock_url(occasion, world.unit_b) not in text
    city_wide = f'href="{reverse("occasion_lock", args=[occasion.pk])}"'
    assert city_wide not in text
    client.post(_lock_url(occasion, world.unit_a))
    text = client.get(detail).content.decode()
    assert "Låst för enheter" in text and "Miljöförvaltningen och enheterna under" in text
    assert _reopen_url(occasion, world.unit_a) in text
    client.force_login(world.reader)  # sees which units are locked, may reopen none
    text = client.get(detail).content.decode()
    assert "Miljöförvaltningen och enheterna under" in text
    assert _reopen_url(occasion, world.unit_a) not in text
    client.force_login(world.admin)  # the city's administrator keeps the city-wide lock
    text = client.get(detail).content.decode()
    assert city_wide in text
    assert _reopen_url(occasion, world.unit_a) in text


def test_assessments_below_the_locked_unit_are_refused(world, subadmin, occasion, energy):
    inside, outside = _card(world.unit_a1, energy), _card(world.unit_b, energy)
    locking.unit_lock(occasion=occasion, unit=world.unit_a, user=subadmin)
    data = {"status": "not_assessed"}
    with pytest.raises(locking.PeriodLocked):
        save_assessment(
            goal=inside.goals.get(), occasion=occasion, user=world.admin, data=data, version=0
        )
    saved = save_assessment(
        goal=outside.goals.get(), occasion=occasion, user=world.admin, data=data, version=0
    )
    assert saved.pk


def test_the_lock_reaches_down_not_up_and_the_city_wide_lock_reaches_all(world, occasion):
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_a)
    assert locking.locked_months(2026, world.unit_a) == 4
    assert locking.locked_months(2026, world.unit_a1) == 4
    assert locking.locked_months(2026, world.unit_b) == 0
    assert locking.locked_months(2026, world.city) == 0
    assert locking.locked_months(2027, world.unit_a) == 0
    locking.occasion_lock(occasion=occasion, user=world.admin)
    assert locking.locked_months(2026, world.unit_b) == 4
    with pytest.raises(locking.PeriodLocked):
        locking.ensure_open(2026, 4, world.city)


def test_a_shared_cache_reads_the_locks_once_however_many_units(
    world, occasion, django_assert_num_queries
):
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_a)
    units = list(OrgUnit.objects.all())
    cache: dict = {}
    with django_assert_num_queries(3):  # city-wide locks, unit locks, the tree
        answers = {u.code: locking.is_locked(2026, 2, u, cache=cache) for u in units * 3}
    assert answers == {
        world.city.code: False,
        world.unit_a.code: True,
        world.unit_a1.code: True,
        world.unit_b.code: False,
    }
    assert locking.locks_unchanged(cache)
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_b)  # locked meanwhile
    assert not locking.locks_unchanged(cache)


def test_a_batch_writer_sharing_the_cache_is_refused_inside_only(world, occasion, energy):
    OccasionUnitLock.objects.create(occasion=occasion, unit=world.unit_a)
    allowed, locks = {energy.pk: energy}, {}
    results = {
        unit: measurements_save(
            unit=unit,
            year=2026,
            month=3,
            user=world.admin,
            allowed=allowed,
            inputs=[RowInput(energy.pk, "12")],
            locks=locks,
        )  # fmt: skip
        for unit in (world.unit_a1, world.unit_b)
    }
    assert results[world.unit_a1].errors == {energy.pk: LOCKED}
    assert not results[world.unit_b].errors
    assert list(Measurement.objects.values_list("unit", flat=True)) == [world.unit_b.pk]
