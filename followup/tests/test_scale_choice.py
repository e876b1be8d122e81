"""Choosing the assessment scale on /uppfoljning/bedomningsskala/: only an administrator of the
whole municipality, stored in SiteSettings (a blank choice: ASSESSMENT_SCALE), bad input changes
nothing, and a change that leaves this year's assessments on another scale needs a confirmation."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.models import SiteSettings
from core.testing import make_goal, make_indicator, make_metric, make_target
from followup import scales
from followup.models import Assessment, FollowUpOccasion, Measurement, OccasionKind

URL = reverse("assessment_scale")


def stored() -> str | None:
    row = SiteSettings.objects.filter(pk=1).first()
    return row.assessment_scale if row else None


def occasion_in(year: int) -> FollowUpOccasion:
    return FollowUpOccasion.objects.create(
        year=year, kind=OccasionKind.TERTIAL, name="T1", end_month=4, deadline=date(year, 5, 15)
    )


@pytest.fixture
def goal(chain):
    """A goal of Miljöförvaltningen's adopted scorecard: 90 against minst 85 in March 2026."""
    goal = make_goal(chain.mid.scorecard, "Fler tillsynsbesök")
    indicator = make_indicator("Andel besökta verksamheter")
    make_target(make_metric(goal, indicator), 85)
    unit = goal.scorecard.unit
    Measurement.objects.create(indicator=indicator, unit=unit, year=2026, month=3, value=90)
    return goal


def test_the_administrator_sees_the_form_with_the_scale_in_use_chosen(client, world, settings):
    settings.ASSESSMENT_SCALE = "percent"
    client.force_login(world.admin)
    page = client.get(URL).content.decode()
    assert 'value="percent" required id="id_scale_1" checked' in page
    assert "Spara skalan" in page


@pytest.mark.parametrize("persona", ["editor", "reporter", "reader", "subadmin"])
def test_others_see_the_scale_without_the_form_and_may_not_post(client, world, subadmin, persona):
    client.force_login(world.users[persona])
    page = client.get(URL).content.decode()
    assert "Skalan som används" in page and "Spara skalan" not in page
    assert client.post(URL, {"scale": "trend", "confirm": "on"}).status_code == 403
    assert stored() is None


def test_the_choice_is_stored_and_takes_effect_on_the_assessment_page(client, world, goal):
    occasion = occasion_in(2026)
    follow_up = reverse("scorecard_followup", args=[goal.scorecard_id, occasion.pk])
    client.force_login(world.reporter)
    assert "Uppfyllt (minst 100 %)" not in client.get(follow_up).content.decode()

    client.force_login(world.admin)
    response = client.post(URL, {"scale": "percent"})
    assert response.status_code == 302 and response.url == URL
    assert stored() == "percent"
    assert "Bedömningsskalan är nu Måluppfyllelse i procent." in [
        str(m) for m in get_messages(response.wsgi_request)
    ]
    assert "Skalan som används: Måluppfyllelse i procent" in client.get(URL).content.decode()

    client.force_login(world.reporter)
    page = client.get(follow_up).content.decode()
    assert "Uppfyllt (minst 100 %)" in page  # the percent scale's suggestion
    assert "måluppfyllelse 100 %" in page


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"scale": ""},
        {"scale": "five"},
        {"scale": "trend\x00"},
        {"scale": "x" * 5000},
        {"scale": "Trend", "confirm": "on"},
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(client, world, data):
    client.force_login(world.admin)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "Formuläret innehåller fel" in response.content.decode()
    assert stored() is None


def test_a_blank_choice_falls_back_to_the_environment_and_a_stored_one_wins(world, settings):
    settings.ASSESSMENT_SCALE = "trend"
    SiteSettings.objects.create(pk=1, name="Tanums kommun")
    assert scales.get_scale().key == "trend"
    row = SiteSettings.load()
    row.assessment_scale = "three"
    row.save()
    assert scales.get_scale().key == "three"


def test_the_same_scale_again_changes_nothing(client, world, settings):
    settings.ASSESSMENT_SCALE = "three"
    client.force_login(world.admin)
    response = client.post(URL, {"scale": "three"}, follow=True)
    assert "Skalan är redan Tre steg." in response.content.decode()
    assert stored() is None


def test_assessments_this_year_off_the_new_scale_need_a_confirmation(client, world, goal):
    occasion = occasion_in(date.today().year)
    Assessment.objects.create(goal=goal, occasion=occasion, status="met")
    client.force_login(world.admin)

    response = client.post(URL, {"scale": "trend"})
    text = response.content.decode()
    assert response.status_code == 200
    assert f"Det finns redan 1 bedömningar från {date.today().year} och senare" in text
    assert stored() is None

    # Three and percent share their values: nothing to confirm.
    assert client.post(URL, {"scale": "percent"}).status_code == 302
    assert stored() == "percent"

    assert client.post(URL, {"scale": "trend", "confirm": "on"}).status_code == 302
    assert stored() == "trend"
    assessment = Assessment.objects.get()
    assert assessment.status == "met"  # kept, and still read in its own scale's words
    assert scales.choice_for(assessment.status).label == "Uppfyllt"


def test_last_years_assessments_need_no_confirmation(client, world, goal):
    Assessment.objects.create(goal=goal, occasion=occasion_in(date.today().year - 1), status="met")
    client.force_login(world.admin)
    assert client.post(URL, {"scale": "trend"}).status_code == 302
    assert stored() == "trend"
