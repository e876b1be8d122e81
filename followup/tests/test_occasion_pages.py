"""Occasions of any kind, with names, months and deadlines, made on the app's pages.

Who may open each page: core/tests/test_url_permissions.py. Here: good input, wrong input (a
clear message, nothing changed), locked and assessed occasions protected.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from followup.models import Assessment, FollowUpOccasion, OccasionKind


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2027, kind=OccasionKind.TERTIAL, name="T1", end_month=4, deadline=date(2027, 5, 15)
    )


def _post(client, url, **changes):
    data = {"year": "2027", "kind": "month", "name": "Månadsrapport mars", "start_month": "3"}
    data |= {"end_month": "3", "deadline": "2027-04-15"}
    return client.post(url, data | changes, follow=True)


def test_any_number_of_occasions_of_any_kind(client, world, occasion):
    client.force_login(world.admin)
    _post(client, reverse("occasion_create"))
    _post(client, reverse("occasion_create"), kind="other", name="Budgetuppföljning", end_month="6")
    months = FollowUpOccasion.objects.filter(year=2027).values_list("name", "kind", "start_month")
    assert set(months) == {
        ("T1", "tertial", 1),
        ("Månadsrapport mars", "month", 3),
        ("Budgetuppföljning", "other", 3),
    }
    page = client.get(reverse("occasion_list")).content.decode()
    # The list is grouped under a heading per year, so each row names its months only.
    assert '<h2 id="ar-2027">2027</h2>' in page
    assert '<td data-label="Period">mars</td>' in page
    assert '<td data-label="Period">januari–april</td>' in page


def test_a_second_occasion_ending_in_the_same_month_is_refused(client, world, occasion):
    client.force_login(world.admin)
    response = _post(client, reverse("occasion_create"), end_month="4", start_month="1")
    assert "T1 slutar redan i april 2027. Välj en annan sista månad." in response.content.decode()
    assert FollowUpOccasion.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_month": "5", "end_month": "3"}, "Första månaden kan inte vara efter den sista."),
        ({"deadline": "2026-12-31"}, "Sista dagen kan inte vara före periodens början."),
        ({"name": "  "}, "Detta fält måste fyllas i."),
        ({"year": "1999"}, "2000"),
        ({"end_month": "13"}, "Välj ett giltigt alternativ."),
    ],
)
def test_wrong_input_gets_a_message_and_changes_nothing(client, world, changes, message):
    client.force_login(world.admin)
    response = _post(client, reverse("occasion_create"), **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not FollowUpOccasion.objects.exists()


def test_an_occasion_is_edited(client, world, occasion):
    client.force_login(world.admin)
    url = reverse("occasion_edit", args=[occasion.pk])
    _post(client, url, kind="tertial", name="Tertialrapport 1", start_month="1", end_month="5")
    occasion.refresh_from_db()
    assert (occasion.name, occasion.end_month, occasion.deadline) == (
        "Tertialrapport 1",
        5,
        date(2027, 4, 15),
    )


def test_an_assessed_occasion_keeps_its_period(client, world, chain, occasion):
    Assessment.objects.create(goal=chain.top, occasion=occasion, status="met")
    client.force_login(world.admin)
    url = reverse("occasion_edit", args=[occasion.pk])
    assert "Tillfället har bedömningar för den här perioden" in client.get(url).content.decode()
    _post(client, url, kind="tertial", name="T1 nytt namn", start_month="1", end_month="6")
    occasion.refresh_from_db()
    assert (occasion.name, occasion.end_month) == ("T1 nytt namn", 4)


def test_a_locked_occasion_is_not_edited(client, world, occasion):
    occasion.locked_at = timezone.now()
    occasion.save()
    client.force_login(world.admin)
    response = _post(client, reverse("occasion_edit", args=[occasion.pk]), name="Ändrat")
    assert "är låst. Öppna det igen för att ändra." in response.content.decode()
    occasion.refresh_from_db()
    assert occasion.name == "T1"


def test_an_occasion_without_assessments_is_deleted(client, world, occasion):
    client.force_login(world.admin)
    response = client.post(reverse("occasion_delete", args=[occasion.pk]), follow=True)
    assert "T1 2027 har tagits bort." in response.content.decode()
    assert not FollowUpOccasion.objects.exists()


def test_an_assessed_occasion_is_not_deleted(client, world, chain, occasion):
    Assessment.objects.create(goal=chain.top, occasion=occasion, status="met")
    client.force_login(world.admin)
    url = reverse("occasion_delete", args=[occasion.pk])
    assert "kan inte tas bort" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "har bedömningar eller sammanfattande analyser och kan inte tas bort" in (
        response.content.decode()
    )
    assert FollowUpOccasion.objects.filter(pk=occasion.pk).exists()


def test_the_detail_page_links_to_editing_for_administrators_only(client, world, occasion):
    url = reverse("occasion_detail", args=[occasion.pk])
    client.force_login(world.admin)
    assert reverse("occasion_edit", args=[occasion.pk]) in client.get(url).content.decode()
    client.force_login(world.reporter)
    assert reverse("occasion_edit", args=[occasion.pk]) not in client.get(url).content.decode()


def test_the_scale_page_names_the_scale_in_use(client, world, settings):
    settings.ASSESSMENT_SCALE = "trend"
    client.force_login(world.reporter)
    page = client.get(reverse("assessment_scale")).content.decode()
    assert "Skalan som används: Trend" in page
    assert "Förbättring" in page and "Tre steg" in page


def test_other_occasions_do_not_hide_the_defaults_button(client, world):
    year = date.today().year
    for month in (1, 2, 3):
        FollowUpOccasion.objects.create(
            year=year, kind="month", name=f"M{month}", end_month=month, deadline=date(year, 12, 1)
        )
    client.force_login(world.admin)
    page = client.get(reverse("occasion_list")).content.decode()
    assert f"Skapa standardtillfällen för {year}" in page
