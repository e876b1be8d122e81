"""Improvement actions: who may list, create and edit them, the date rule, and when one is overdue."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from core.testing import make_metric, make_strategy, make_target
from followup.actions import overdue, with_overdue
from followup.models import Action, ActionState

TODAY = date(2026, 5, 10)


@pytest.fixture
def mid_metric(chain):
    """A metric on Miljöförvaltningen's goal that is not met (70 % against minst 80 %)."""
    from followup.models import Measurement

    metric = make_metric(chain.mid)
    make_target(metric, 80)
    Measurement.objects.create(
        indicator=metric.indicator, unit=chain.mid.scorecard.unit, year=2026, month=12, value=70
    )
    return metric


def make_action(goal, **kw):
    kw.setdefault("title", "Byt belysning till LED")
    kw.setdefault("owner", "Fastighetschefen")
    return Action.objects.create(goal=goal, **kw)


def form_data(**kw):
    data = {"title": "Energikartläggning", "owner": "Enhetschef", "state": ActionState.PLANNED}
    data.update(kw)
    return data


# --- The overdue rule -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "due", "expected"),
    [
        (ActionState.PLANNED, TODAY - timedelta(days=1), True),
        (ActionState.ONGOING, TODAY - timedelta(days=1), True),
        (ActionState.ONGOING, TODAY, False),
        (ActionState.ONGOING, None, False),
        (ActionState.DONE, TODAY - timedelta(days=30), False),
        (ActionState.CANCELLED, TODAY - timedelta(days=30), False),
    ],
)
def test_overdue_means_due_date_passed_and_still_open(chain, state, due, expected):
    action = make_action(chain.mid, state=state, due_date=due)
    assert overdue(today=TODAY).filter(pk=action.pk).exists() is expected
    assert (
        with_overdue(Action.objects.filter(pk=action.pk), today=TODAY).get().is_overdue is expected
    )


# --- List ---------------------------------------------------------------------------------------


def test_list_marks_an_overdue_action_with_icon_and_text(client, chain):
    make_action(chain.mid, due_date=date.today() - timedelta(days=1), state=ActionState.ONGOING)
    text = client.get(reverse("action_list", args=[chain.mid.scorecard_id])).content.decode()
    assert "Byt belysning till LED" in text
    assert "⚠</span> Försenad" in text


def test_list_does_not_mark_a_done_action_as_overdue(client, chain):
    make_action(chain.mid, due_date=date.today() - timedelta(days=1), state=ActionState.DONE)
    text = client.get(reverse("action_list", args=[chain.mid.scorecard_id])).content.decode()
    assert "Byt belysning till LED" in text
    assert "⚠</span> Försenad" not in text


def test_list_filters_by_state(client, chain):
    make_action(chain.mid, title="Pågående sak", state=ActionState.ONGOING)
    make_action(chain.mid, title="Avklarad sak", state=ActionState.DONE)
    url = reverse("action_list", args=[chain.mid.scorecard_id])
    text = client.get(url, {"status": "done"}).content.decode()
    assert "Avklarad sak" in text
    assert "Pågående sak" not in text


def test_list_filters_overdue_actions(client, chain):
    make_action(chain.mid, title="Sen sak", due_date=date.today() - timedelta(days=3))
    make_action(chain.mid, title="Framtida sak", due_date=date.today() + timedelta(days=3))
    url = reverse("action_list", args=[chain.mid.scorecard_id])
    text = client.get(url, {"status": "overdue"}).content.decode()
    assert "Sen sak" in text
    assert "Framtida sak" not in text


def test_citizen_reads_actions_of_an_adopted_scorecard_without_edit_links(client, chain):
    action = make_action(chain.mid)
    response = client.get(reverse("action_list", args=[chain.mid.scorecard_id]))
    assert response.status_code == 200
    assert reverse("action_edit", args=[action.pk]) not in response.content.decode()


def test_reporter_sees_edit_and_create_links(client, world, chain):
    action = make_action(chain.mid)
    client.force_login(world.reporter)
    text = client.get(reverse("action_list", args=[chain.mid.scorecard_id])).content.decode()
    assert reverse("action_edit", args=[action.pk]) in text
    assert reverse("action_create", args=[chain.mid.pk]) in text


def test_list_of_a_draft_scorecard_is_404_for_a_citizen(client, chain):
    url = reverse("action_list", args=[chain.draft.scorecard_id])
    assert client.get(url).status_code == 404


def test_list_of_a_draft_scorecard_is_shown_to_a_reader_of_its_unit(client, world, chain):
    client.force_login(world.reader)
    assert client.get(reverse("action_list", args=[chain.draft.scorecard_id])).status_code == 200


def test_list_runs_the_same_queries_however_many_actions(client, world, chain, count_queries):
    client.force_login(world.reporter)
    url = reverse("action_list", args=[chain.mid.scorecard_id])
    make_action(chain.mid, strategy=make_strategy(chain.mid))
    one = count_queries(lambda: client.get(url))
    for i in range(5):
        make_action(chain.mid, title=f"Sak {i}", strategy=make_strategy(chain.mid))
    assert count_queries(lambda: client.get(url)) == one


# --- Create -------------------------------------------------------------------------------------


def test_reporter_creates_an_action_for_a_goal_of_their_unit(client, world, chain):
    strategy = make_strategy(chain.mid)
    client.force_login(world.reporter)
    url = reverse("action_create", args=[chain.mid.pk])
    response = client.post(url, form_data(strategy=strategy.pk, due_date="2026-12-31"))
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.goal, action.strategy, action.due_date) == (
        chain.mid,
        strategy,
        date(2026, 12, 31),
    )


def test_admin_creates_an_action_for_a_city_goal(client, world, chain):
    client.force_login(world.admin)
    client.post(reverse("action_create", args=[chain.top.pk]), form_data())
    assert Action.objects.filter(goal=chain.top).count() == 1


def test_reporter_may_not_create_an_action_for_the_city_goal(client, world, chain):
    client.force_login(world.reporter)
    response = client.post(reverse("action_create", args=[chain.top.pk]), form_data())
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_reader_of_another_unit_may_not_create_an_action(client, world, chain):
    client.force_login(world.reader)
    response = client.post(reverse("action_create", args=[chain.mid.pk]), form_data())
    assert response.status_code == 403
    assert not Action.objects.exists()


def test_creating_an_action_on_a_hidden_draft_is_404(client, world, chain):
    client.force_login(world.reporter)
    response = client.get(reverse("action_create", args=[chain.draft.pk]))
    assert response.status_code == 404


def test_anonymous_is_sent_to_login_to_create(client, chain):
    response = client.post(reverse("action_create", args=[chain.mid.pk]), form_data())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Action.objects.exists()


def test_due_date_before_start_date_is_refused_in_swedish(client, world, chain):
    client.force_login(world.reporter)
    url = reverse("action_create", args=[chain.mid.pk])
    response = client.post(url, form_data(start_date="2026-06-01", due_date="2026-05-01"))
    assert response.status_code == 200
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()
    assert not Action.objects.exists()


def test_an_action_needs_a_title_and_an_owner(client, world, chain):
    client.force_login(world.reporter)
    url = reverse("action_create", args=[chain.mid.pk])
    response = client.post(url, form_data(title="", owner=""))
    assert "Detta fält måste fyllas i." in response.content.decode()
    assert not Action.objects.exists()


def test_metric_parameter_preselects_the_metric_and_shows_its_status(
    client, world, chain, mid_metric
):
    client.force_login(world.reporter)
    url = reverse("action_create", args=[chain.mid.pk])
    text = client.get(url, {"metric": mid_metric.pk}).content.decode()
    assert f'<option value="{mid_metric.pk}" selected>' in text
    assert "Ej uppfyllt" in text


def test_a_metric_of_another_goal_cannot_be_chosen(client, world, chain):
    client.force_login(world.reporter)
    url = reverse("action_create", args=[chain.mid.pk])
    response = client.post(url, form_data(metric=chain.metric.pk))
    assert response.status_code == 200
    assert not Action.objects.exists()


def test_an_action_started_from_a_metric_keeps_the_metric(client, world, chain, mid_metric):
    client.force_login(world.editor)
    client.post(reverse("action_create", args=[chain.mid.pk]), form_data(metric=mid_metric.pk))
    assert Action.objects.get().metric == mid_metric


# --- Edit ---------------------------------------------------------------------------------------


def test_editor_updates_state_and_progress(client, world, chain):
    action = make_action(chain.mid)
    client.force_login(world.editor)
    data = form_data(title=action.title, state=ActionState.ONGOING, progress="Hälften klart")
    response = client.post(reverse("action_edit", args=[action.pk]), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.state, action.progress) == (ActionState.ONGOING, "Hälften klart")


def test_editing_with_due_date_before_start_changes_nothing(client, world, chain):
    action = make_action(chain.mid, start_date=date(2026, 1, 1), due_date=date(2026, 6, 1))
    client.force_login(world.editor)
    data = form_data(start_date="2026-06-01", due_date="2026-01-01")
    response = client.post(reverse("action_edit", args=[action.pk]), data)
    assert "Slutdatumet kan inte vara före startdatumet." in response.content.decode()
    action.refresh_from_db()
    assert action.due_date == date(2026, 6, 1)


def test_reader_may_not_edit_an_action(client, world, chain):
    action = make_action(chain.mid)
    client.force_login(world.reader)
    response = client.post(reverse("action_edit", args=[action.pk]), form_data(title="Ändrad"))
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Byt belysning till LED"


def test_editing_an_action_of_a_hidden_draft_is_404(client, world, chain):
    action = make_action(chain.draft)
    client.force_login(world.editor)
    assert client.get(reverse("action_edit", args=[action.pk])).status_code == 404


def test_anonymous_is_sent_to_login_to_edit(client, chain):
    action = make_action(chain.mid)
    response = client.get(reverse("action_edit", args=[action.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
