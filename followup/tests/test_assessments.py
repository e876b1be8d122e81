"""Assessing a scorecard's goals at an occasion: who may, what is refused, and no lost updates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from core.testing import (
    make_goal,
    make_indicator,
    make_metric,
    make_scorecard,
    make_target,
    make_unit,
)
from followup import locking
from followup.assessments import StaleVersion, save_assessment
from followup.models import (
    Assessment,
    FollowUpOccasion,
    Measurement,
    OccasionKind,
    SummaryAnalysis,
)

ANALYSIS = "Andelen ligger över målet tack vare fler kontroller."


@pytest.fixture
def occasion(db):
    return FollowUpOccasion.objects.create(
        year=2026,
        kind=OccasionKind.TERTIAL,
        name="Tertialrapport T1",
        end_month=4,
        deadline=date(2026, 5, 15),
    )


def add_goal(card, title="Fler tillsynsbesök", value=90):
    """A goal with one metric, minst 85 %, and a value for March (met unless value < 85)."""
    goal = make_goal(card, title)
    indicator = make_indicator(f"Andel besökta verksamheter {goal.pk}")
    make_target(make_metric(goal, indicator), 85)
    Measurement.objects.create(indicator=indicator, unit=card.unit, year=2026, month=3, value=value)
    return goal


@pytest.fixture
def goal(chain):
    """A goal in Miljöförvaltningen's adopted scorecard, where the reporter may report."""
    return add_goal(chain.mid.scorecard)


def url(goal, occasion):
    return reverse("scorecard_followup", args=[goal.scorecard_id, occasion.pk])


def form(goal, status="met", version=0, **texts):
    data = {"goal": goal.pk, f"mal-{goal.pk}-status": status, f"mal-{goal.pk}-version": version}
    data.update({f"mal-{goal.pk}-{name}": value for name, value in texts.items()})
    return data


def save(goal, occasion, user, status="met", version=0, **data):
    return save_assessment(
        goal=goal, occasion=occasion, user=user, data={"status": status, **data}, version=version
    )


def test_the_page_shows_metrics_values_and_the_suggestion(client, world, goal, occasion):
    client.force_login(world.reporter)
    text = client.get(url(goal, occasion)).content.decode()
    assert "Andel besökta verksamheter" in text
    assert "minst 85,0 %" in text
    assert "90,0 %" in text
    assert "Föreslagen bedömning:" in text
    assert f'id="id_mal-{goal.pk}-status_0"' in text


def test_a_reporter_saves_an_assessment(client, world, goal, occasion):
    client.force_login(world.reporter)
    response = client.post(url(goal, occasion), form(goal, analysis=ANALYSIS))
    assert response.status_code == 302
    assert response["Location"].endswith(f"#mal-{goal.pk}")
    saved = Assessment.objects.get(goal=goal, occasion=occasion)
    assert (saved.status, saved.suggested, saved.version) == ("met", "met", 1)
    assert saved.assessed_by == world.reporter
    assert saved.history.first().history_user == world.reporter


def test_an_htmx_save_answers_with_the_goals_fragment(client, world, goal, occasion):
    client.force_login(world.reporter)
    response = client.post(url(goal, occasion), form(goal), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith(f'<article class="goal" id="mal-{goal.pk}">')
    assert "Bedömningen har sparats." in text
    assert f'name="mal-{goal.pk}-version" value="2"' not in text
    assert f'name="mal-{goal.pk}-version" value="1"' in text


def test_departing_from_the_suggestion_needs_a_comment(client, world, goal, occasion):
    client.force_login(world.reporter)
    response = client.post(url(goal, occasion), form(goal, status="not_met"))
    text = response.content.decode()
    assert response.status_code == 200
    assert f'id="id_mal-{goal.pk}-deviation_comment_error"' in text
    assert "Motivera avvikelsen i fältet ”Motivering av avvikelse från förslaget”." in text
    assert not Assessment.objects.exists()


def test_the_suggested_status_is_preselected_until_assessed(client, world, goal, occasion):
    client.force_login(world.reporter)
    page = client.get(url(goal, occasion))
    item = next(i for s in page.context["sections"] for i in s["items"] if i.goal == goal)
    assert item.suggested.value == "met"
    assert item.form["status"].value() == "met"
    assert f'value="met" id="id_mal-{goal.pk}-status_0" required checked' in page.content.decode()
    save(goal, occasion, world.reporter, status="close", deviation_comment="Preliminärt.")
    page = client.get(url(goal, occasion))
    item = next(i for s in page.context["sections"] for i in s["items"] if i.goal == goal)
    assert item.form["status"].value() == "close"  # a made assessment is never overwritten


def test_departing_with_a_comment_is_saved(client, world, goal, occasion):
    client.force_login(world.reporter)
    data = form(goal, status="close", deviation_comment="Värdet för mars är preliminärt.")
    client.post(url(goal, occasion), data)
    saved = Assessment.objects.get()
    assert (saved.status, saved.suggested) == ("close", "met")


def test_a_locked_occasion_refuses_a_post_and_changes_nothing(client, world, goal, occasion):
    save(goal, occasion, world.reporter, analysis="Före låsningen")
    locking.occasion_lock(occasion=occasion, user=world.admin)
    client.force_login(world.reporter)
    data = form(goal, version=1, analysis="Efter låsningen")
    response = client.post(url(goal, occasion), data, follow=True)
    text = response.content.decode()
    assert "Tertialrapport T1 2026 är låst eftersom rapporten är fastställd." in text
    assert f'name="mal-{goal.pk}-status"' not in text  # read-only now
    assert Assessment.objects.get().analysis == "Före låsningen"


def test_the_service_refuses_a_locked_occasion(world, goal, occasion):
    locking.occasion_lock(occasion=occasion, user=world.admin)
    with pytest.raises(locking.PeriodLocked):
        save(goal, occasion, world.reporter)
    assert not Assessment.objects.exists()


def test_a_stale_version_overwrites_nothing_and_shows_the_newer_values(
    client, world, goal, occasion
):
    save(goal, occasion, world.reporter, analysis="Första versionen")
    save(goal, occasion, world.editor, version=1, analysis="Redaktörens version")
    client.force_login(world.reporter)
    data = form(goal, version=1, analysis="Min gamla ändring")
    text = client.post(url(goal, occasion), data).content.decode()
    assert "Någon annan har sparat bedömningen under tiden" in text
    assert "Redaktörens version" in text
    assert "Min gamla ändring" in text  # kept for the user to copy, not saved
    saved = Assessment.objects.get()
    assert (saved.analysis, saved.version) == ("Redaktörens version", 2)


def test_a_second_first_assessment_is_stale(world, goal, occasion):
    save(goal, occasion, world.reporter, analysis="Först")
    with pytest.raises(StaleVersion) as caught:
        save(goal, occasion, world.editor, analysis="Också först")
    assert caught.value.current.analysis == "Först"
    assert Assessment.objects.get().analysis == "Först"


def test_an_unknown_choice_is_refused(world, goal, occasion):
    with pytest.raises(ValidationError) as caught:
        save(goal, occasion, world.reporter, status="excellent")
    assert "status" in caught.value.message_dict


def test_without_values_any_assessment_needs_no_comment(world, chain, occasion):
    saved = save(chain.mid, occasion, world.reporter, status="close")
    assert saved.suggested == "not_assessed"


def test_anonymous_reads_a_public_scorecards_follow_up(client, world, goal, occasion):
    save(goal, occasion, world.reporter, analysis=ANALYSIS)
    response = client.get(url(goal, occasion))
    text = response.content.decode()
    assert response.status_code == 200
    assert ANALYSIS in text
    assert "Uppfyllt" in text
    assert '<form method="post" action="/styrkort' not in text


def test_anonymous_may_not_post(client, world, goal, occasion):
    response = client.post(url(goal, occasion), form(goal))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    assert not Assessment.objects.exists()


def test_a_reader_of_another_unit_may_not_post(client, world, goal, occasion):
    client.force_login(world.reader)
    assert client.get(url(goal, occasion)).status_code == 200
    assert client.post(url(goal, occasion), form(goal)).status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("persona", [None, "editor"])
def test_a_draft_scorecards_follow_up_is_hidden(client, world, chain, occasion, persona):
    if persona:
        client.force_login(world.users[persona])
    assert client.get(url(chain.draft, occasion)).status_code == 404


def test_an_occasion_of_another_year_is_404(client, world, goal):
    other = FollowUpOccasion.objects.create(
        year=2025,
        kind=OccasionKind.ANNUAL,
        name="Årsredovisning",
        end_month=12,
        deadline=date(2026, 2, 15),
    )
    assert client.get(url(goal, other)).status_code == 404


def test_a_reporter_saves_the_summary_analysis(client, world, goal, occasion):
    client.force_login(world.reporter)
    data = {
        "summary": "1",
        "sammanfattning-text": "Året går enligt plan.",
        "sammanfattning-token": "",
    }
    assert client.post(url(goal, occasion), data).status_code == 302
    assert SummaryAnalysis.objects.get().text == "Året går enligt plan."


def test_a_stale_summary_overwrites_nothing(client, world, goal, occasion):
    SummaryAnalysis.objects.create(scorecard=goal.scorecard, occasion=occasion, text="Nyare")
    client.force_login(world.editor)
    data = {"summary": "1", "sammanfattning-text": "Äldre", "sammanfattning-token": ""}
    text = client.post(url(goal, occasion), data).content.decode()
    assert "Någon annan har sparat den sammanfattande analysen under tiden" in text
    assert SummaryAnalysis.objects.get().text == "Nyare"


def test_the_query_count_does_not_grow_with_the_goals(client, world, occasion, count_queries):
    def page_with(n):
        card = make_scorecard(make_unit(f"Enhet med {n} mål", parent=world.unit_a))
        for i in range(n):
            goal = add_goal(card, f"Mål {i}", value=80 + i)
            if i % 2:
                save(goal, occasion, world.reporter, status="close", deviation_comment="Ja")
        SummaryAnalysis.objects.create(scorecard=card, occasion=occasion, text="Sammanfattning")
        return reverse("scorecard_followup", args=[card.pk, occasion.pk])

    small, large = page_with(2), page_with(10)
    client.force_login(world.reporter)
    client.get(small)  # warm up the session
    assert count_queries(lambda: client.get(small)) == count_queries(lambda: client.get(large))


def test_a_locked_occasion_answers_htmx_with_a_read_only_fragment(client, world, goal, occasion):
    locking.occasion_lock(occasion=occasion, user=world.admin)
    client.force_login(world.reporter)
    response = client.post(url(goal, occasion), form(goal), headers={"HX-Request": "true"})
    text = response.content.decode()
    assert "är låst eftersom rapporten är fastställd" in text
    assert "<form" not in text
    assert not Assessment.objects.exists()


@override_settings(ASSESSMENT_SCALE="percent")
def test_the_percent_scale_shows_fulfilment(client, world, goal, occasion):
    client.force_login(world.reporter)
    text = client.get(url(goal, occasion)).content.decode()
    assert "106 %" in text  # 90 of at least 85
    assert "måluppfyllelse 100 %" in text  # capped for the goal
    assert "Uppfyllt (minst 100 %)" in text


@override_settings(ASSESSMENT_SCALE="trend")
def test_the_trend_scale_compares_with_the_same_period_last_year(world, goal, occasion):
    indicator = goal.metrics.get().indicator
    Measurement.objects.create(
        indicator=indicator, unit=goal.scorecard.unit, year=2025, month=3, value=80
    )
    Measurement.objects.create(
        indicator=indicator, unit=goal.scorecard.unit, year=2025, month=12, value=95
    )
    saved = save(goal, occasion, world.reporter, status="improving")
    assert saved.suggested == "improving"
