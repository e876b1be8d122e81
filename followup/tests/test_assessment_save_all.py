"""One save for every goal of the occasion: only changed goals are saved, all or nothing, and the
deviation comment is still required on the server when an assessment departs from the suggestion."""

import pytest
from django.urls import reverse

from followup.assessments import save_assessment
from followup.models import Assessment

from .test_assessments import add_goal, url
from .test_assessments import occasion as _occasion

occasion = pytest.fixture(_occasion.__wrapped__, name="occasion")

pytestmark = pytest.mark.django_db


@pytest.fixture
def goals(chain):
    card = chain.mid.scorecard
    return [add_goal(card, "Fler tillsynsbesök"), add_goal(card, "Färre klagomål", value=70)]


def _all(goals, **per_goal):
    """The page's form posted as the browser sends it: every goal, the suggestion preselected."""
    data = {"goals": [g.pk for g in goals]}
    for g in goals:
        data[f"mal-{g.pk}-version"] = 0
        data[f"mal-{g.pk}-status"] = "not_met" if g.title == "Färre klagomål" else "met"
        for field in ("analysis", "forecast", "deviation_comment"):
            data[f"mal-{g.pk}-{field}"] = ""
    for pk, fields in per_goal.items():
        data.update({f"mal-{pk}-{name}": value for name, value in fields.items()})
    return data


def test_one_save_stores_every_changed_goal_and_leaves_the_rest_unassessed(
    client, world, goals, occasion
):
    client.force_login(world.reporter)
    first, second = goals
    data = _all(goals)
    data[f"mal-{first.pk}-analysis"] = "Fler besök än väntat."
    data[f"mal-{second.pk}-analysis"] = "Klagomålen minskar långsamt."
    third = add_goal(first.scorecard, "Orört mål")
    data = {**_all([*goals, third]), **{k: v for k, v in data.items() if "analysis" in k}}
    response = client.post(url(first, occasion), data)
    assert response.status_code == 302
    saved = dict(Assessment.objects.values_list("goal__title", "analysis"))
    assert saved == {
        "Fler tillsynsbesök": "Fler besök än väntat.",
        "Färre klagomål": "Klagomålen minskar långsamt.",
    }
    page = client.get(response.url).content.decode()
    assert "2 bedömningar har sparats." in page


def test_a_departure_without_a_reason_saves_nothing_and_keeps_what_was_written(
    client, world, goals, occasion
):
    client.force_login(world.reporter)
    first, second = goals
    data = _all(goals)
    data[f"mal-{first.pk}-analysis"] = "Sparas inte förrän allt stämmer."
    data[f"mal-{second.pk}-status"] = "met"  # departs from the suggestion (not met)
    response = client.post(url(first, occasion), data)
    assert response.status_code == 200
    assert not Assessment.objects.exists()
    text = response.content.decode()
    assert "Inget sparades." in text and "1 mål behöver rättas:" in text
    assert f'href="#mal-{second.pk}">Färre klagomål</a>' in text
    assert "Sparas inte förrän allt stämmer." in text  # the other goal's text is kept
    assert "Motivera avvikelsen" in text

    data[f"mal-{second.pk}-deviation_comment"] = "Ett engångsfel i mätningen."
    assert client.post(url(first, occasion), data).status_code == 302
    assert Assessment.objects.count() == 2


def test_someone_saving_in_between_rolls_back_every_goal(client, world, goals, occasion):
    client.force_login(world.reporter)
    first, second = goals
    data = _all(goals)
    data[f"mal-{first.pk}-analysis"] = "Min text."
    data[f"mal-{second.pk}-analysis"] = "Min andra text."
    save_assessment(  # a colleague, after the page was loaded
        goal=second, occasion=occasion, user=world.editor, data={"status": "not_met"}, version=0
    )
    response = client.post(url(first, occasion), data)
    assert response.status_code == 200
    assert not Assessment.objects.filter(goal=first).exists()  # rolled back with the other
    text = response.content.decode()
    assert "Någon annan har sparat bedömningen under tiden" in text
    assert "Min andra text." in text


def test_nothing_changed_saves_nothing(client, world, goals, occasion):
    client.force_login(world.reporter)
    response = client.post(url(goals[0], occasion), _all(goals), follow=True)
    assert "Inget hade ändrats, så inget sparades." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_reader_may_not_save_all(client, world, goals, occasion):
    client.force_login(world.reader)
    data = _all(goals)
    data[f"mal-{goals[0].pk}-analysis"] = "Nej."
    assert client.post(url(goals[0], occasion), data).status_code in (403, 404)
    assert not Assessment.objects.exists()


def test_the_page_is_one_form_with_one_save_and_the_draft_script(client, world, goals, occasion):
    client.force_login(world.reporter)
    text = client.get(url(goals[0], occasion)).content.decode()
    assert text.count('<form method="post" action="' + url(goals[0], occasion) + '" id=') == 1
    assert "Spara alla bedömningar" in text
    assert text.count('name="goals"') == goals[0].scorecard.goals.count() == 3
    assert 'class="field deviation-field' in text  # shown without JavaScript; the script hides it
    assert "/static/js/assessment-form.js" in text
    assert 'data-suggested="not_met"' in text
    assert reverse("scorecard_followup", args=[goals[0].scorecard_id, occasion.pk]) in text


@pytest.mark.parametrize("garbage", ["²", "9" * 40])
def test_a_goal_id_of_unicode_digits_or_40_digits_is_ignored_not_a_500(
    client, world, goals, occasion, garbage
):
    client.force_login(world.reporter)
    data = _all(goals)
    data["goals"] = [*data["goals"], garbage]
    data[f"mal-{goals[0].pk}-analysis"] = "Sparas ändå."
    response = client.post(url(goals[0], occasion), data)
    assert response.status_code == 302
    assert Assessment.objects.get(goal=goals[0]).analysis == "Sparas ändå."
