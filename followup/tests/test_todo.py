""" "Att göra": values to enter per scorecard and month and goals to assess, overdue first, each a
link to its form; the landing page after sign-in for people with a role."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.testing import make_goal, make_indicator, make_metric, make_scorecard
from followup import todo
from followup.models import Assessment, FollowUpOccasion, Measurement, OccasionUnitLock
from organisation.models import Role, RoleAssignment
from scorecards.models import Frequency

YEAR = 2025
TODAY = date(2026, 1, 10)  # every month of 2025 has ended; Helår's deadline is still ahead


def _occasions(year):
    return dict(
        t1=FollowUpOccasion.objects.create(
            year=year, kind="tertial", name="Tertial 1", end_month=4, deadline=date(year, 5, 15)
        ),
        interim=FollowUpOccasion.objects.create(
            year=year, kind="interim", name="Delår", end_month=8, deadline=date(year, 9, 15)
        ),
        annual=FollowUpOccasion.objects.create(
            year=year, kind="annual", name="Helår", end_month=12, deadline=date(year + 1, 2, 15)
        ),
    )


def _scorecard(unit, year):
    """A unit's scorecard: a monthly metric with January–October entered, a tertial one with
    April entered; one goal of two assessed at Tertial 1."""
    card = make_scorecard(unit, year=year)
    goal = make_goal(card, f"Mindre avfall i {unit.name}")
    make_goal(card, f"Rena parker i {unit.name}")
    monthly = make_indicator(f"Avfall {unit.name}", frequency=Frequency.MONTHLY)
    tertial = make_indicator(f"Parker {unit.name}", frequency=Frequency.TERTIAL)
    make_metric(goal, monthly)
    make_metric(goal, tertial)
    for month in range(1, 11):
        Measurement.objects.create(indicator=monthly, unit=unit, year=year, month=month, value=1)
    Measurement.objects.create(indicator=tertial, unit=unit, year=year, month=4, value=1)
    return card, goal


@pytest.fixture
def scene(world):
    occasions = _occasions(YEAR)
    card, goal = _scorecard(world.unit_a, YEAR)
    Assessment.objects.create(goal=goal, occasion=occasions["t1"], status="met")
    other, _goal = _scorecard(world.unit_b, YEAR)
    return type("Scene", (), dict(world=world, card=card, other=other, **occasions))


def _rows(tasks):
    return [(t.title, t.detail, str(t.deadline), t.overdue(TODAY)) for t in tasks]


def test_a_reporter_gets_values_and_assessments_overdue_first(scene):
    tasks = todo.tasks_for(scene.world.reporter, TODAY)
    assert _rows(tasks) == [
        ("Bedöm målen till Tertial 1", "1 av 2 mål saknar bedömning", "2025-05-15", True),
        ("Registrera utfall för augusti 2025", "1 mätetal saknar utfall", "2025-09-15", True),
        ("Bedöm målen till Delår", "2 av 2 mål saknar bedömning", "2025-09-15", True),
        ("Registrera utfall för november 2025", "1 mätetal saknar utfall", "2026-02-15", False),
        ("Registrera utfall för december 2025", "2 mätetal saknar utfall", "2026-02-15", False),
        ("Bedöm målen till Helår", "2 av 2 mål saknar bedömning", "2026-02-15", False),
    ]
    assert {t.where for t in tasks} == {"Styrkort 2025 – Miljöförvaltningen"}


def test_each_task_links_to_its_form(scene):
    tasks = todo.tasks_for(scene.world.reporter, TODAY)
    urls = {t.title: t.url for t in tasks}
    entry = reverse("value_entry", args=[scene.card.pk])
    assert urls["Registrera utfall för augusti 2025"] == entry + "?period=2025-08"
    assert urls["Bedöm målen till Delår"] == reverse(
        "scorecard_followup", args=[scene.card.pk, scene.interim.pk]
    )


def test_a_reader_has_nothing_to_do(scene):
    assert todo.tasks_for(scene.world.reader, TODAY) == []


def test_months_not_yet_ended_are_not_asked_for(scene):
    tasks = todo.tasks_for(scene.world.reporter, date(YEAR, 9, 2))  # August has just ended
    titles = [t.title for t in tasks]
    assert "Registrera utfall för augusti 2025" in titles
    assert not any("september" in t or "Helår" in t for t in titles)


def test_locked_months_and_occasions_are_left_out(scene):
    scene.interim.locked_at = "2025-10-01T12:00:00Z"
    scene.interim.save()
    titles = [t.title for t in todo.tasks_for(scene.world.reporter, TODAY)]
    assert "Registrera utfall för augusti 2025" not in titles
    assert "Bedöm målen till Delår" not in titles
    assert "Bedöm målen till Tertial 1" not in titles  # its months are locked by Delår's lock
    assert "Registrera utfall för december 2025" in titles


def test_a_unit_lock_leaves_out_that_units_tasks_only(scene):
    OccasionUnitLock.objects.create(occasion=scene.interim, unit=scene.world.unit_a)
    titles = [t.title for t in todo.tasks_for(scene.world.reporter, TODAY)]
    assert "Registrera utfall för augusti 2025" not in titles
    assert "Registrera utfall för december 2025" in titles
    RoleAssignment.objects.filter(user=scene.world.reader).update(role=Role.REPORTER)  # of B
    reader = get_user_model().objects.get(pk=scene.world.reader.pk)
    titles = [t.title for t in todo.tasks_for(reader, TODAY)]
    assert "Registrera utfall för augusti 2025" in titles


def test_every_source_is_asked_and_an_app_above_adds_its_own(scene, monkeypatch):
    assert any(source.__module__ == "yearreports.todo" for source in todo.SOURCES)
    extra = todo.Task("Skriv avsnittet Ekonomi", "Årsredovisning", "", "/x/", None, "report")
    monkeypatch.setattr(todo, "SOURCES", [*todo.SOURCES, lambda user, today: [extra]])
    assert todo.tasks_for(scene.world.reporter, TODAY)[-1] is extra  # no deadline: last


def test_the_query_count_does_not_grow_with_scorecards_or_goals(scene, count_queries):
    from core.testing import make_unit

    def fresh_reporter():  # without the roles cached on the user object
        return get_user_model().objects.get(pk=scene.world.reporter.pk)

    reporter = fresh_reporter()
    before = count_queries(lambda: todo.tasks_for(reporter, TODAY))
    for n in range(3):
        _scorecard(make_unit(f"Enhet {n}", parent=scene.world.unit_a), YEAR)
    reporter = fresh_reporter()
    assert count_queries(lambda: todo.tasks_for(reporter, TODAY)) == before
    assert len(todo.tasks_for(fresh_reporter(), TODAY)) == 6 * 4


# --- the page --------------------------------------------------------------------------------


@pytest.fixture
def last_year(world):
    """Last year's occasions and Miljöförvaltningen's scorecard: every deadline has passed."""
    year = date.today().year - 1
    occasions = _occasions(year)
    card, _goal = _scorecard(world.unit_a, year)
    return type("LastYear", (), dict(world=world, card=card, year=year, **occasions))


def test_the_municipalitys_administrator_follows_occasions_not_every_units_tasks(client, last_year):
    assert todo.tasks_for(last_year.world.admin, date.today()) == []
    client.force_login(last_year.world.admin)
    text = client.get(reverse("todo")).content.decode()
    assert "Öppna uppföljningstillfällen" in text
    assert reverse("occasion_detail", args=[last_year.annual.pk]) in text


def test_the_page_lists_the_tasks_with_links_and_deadlines(client, last_year):
    client.force_login(last_year.world.reporter)
    response = client.get(reverse("todo"))
    text = response.content.decode()
    assert response.status_code == 200
    entry = reverse("value_entry", args=[last_year.card.pk])
    assert f'href="{entry}?period={last_year.year}-08"' in text
    assert f"Försenad, sista dag var {last_year.year}-09-15" in text
    assert 'class="overdue"' in text


def test_a_role_holder_lands_on_att_gora_after_signing_in(client, last_year):
    response = client.post(reverse("login"), {"username": "reporter", "password": "pw-reporter"})
    assert response.status_code == 302
    assert response["Location"] == reverse("todo")


def test_someone_without_a_role_keeps_the_old_landing(client, world):
    get_user_model().objects.create_user("utan", password="pw-utan")
    client.post(reverse("login"), {"username": "utan", "password": "pw-utan"})
    response = client.get(reverse("todo"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert "Att göra" not in client.get(reverse("home")).content.decode()


def test_att_gora_is_in_the_menu_for_people_with_a_role(client, world):
    client.force_login(world.reader)
    text = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("todo")}">Att göra' in text
    assert "Du har inget att göra just nu" in client.get(reverse("todo")).content.decode()


def test_the_sign_in_link_on_the_home_page_lands_on_att_gora(client, world):
    text = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("login")}"' in text
