from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import models

from bench.generate import REPORTER_PREFIX, SCALES, value_months
from followup.models import GoalStatus, Measurement
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind
from scorecards.chain import validate_contribution
from scorecards.models import Goal, Metric, Scorecard, ScorecardStatus, Target

TINY = SCALES["tiny"]


def test_the_command_builds_a_city_five_levels_deep(db):
    out = StringIO()
    call_command("generate_city", scale="tiny", stdout=out)
    assert "Klart" in out.getvalue()
    units = list(OrgUnit.objects.with_tree_fields())
    assert len(units) == TINY.unit_count
    assert max(u.tree_depth for u in units) == 4  # city at 0: five levels
    assert {u.tree_depth for u in units if u.kind == UnitKind.UNIT} == {4}


def test_every_unit_has_one_scorecard_per_year_with_goals_metrics_and_targets(tiny_city):
    year = date.today().year
    assert Scorecard.objects.count() == TINY.unit_count * TINY.scorecard_years
    assert set(Scorecard.objects.values_list("year", flat=True)) == {year - 1, year}
    assert not Scorecard.objects.filter(status=ScorecardStatus.DRAFT).exists()
    card = Scorecard.objects.filter(year=year).last()
    assert card.goals.count() == TINY.goals
    assert Metric.objects.filter(goal__scorecard=card).count() == TINY.metrics
    assert Target.objects.count() == Metric.objects.count() == tiny_city["metrics"]


def test_every_goal_below_the_city_links_validly_to_its_parents_scorecard(tiny_city):
    city_goals = Goal.objects.filter(scorecard__unit__parent__isnull=True)
    assert not Goal.contributes_to.through.objects.filter(from_goal__in=city_goals).exists()
    below = Goal.objects.exclude(pk__in=city_goals).select_related("scorecard__unit")
    for goal in below:
        (target,) = goal.contributes_to.select_related("scorecard__unit")
        assert target.scorecard.unit_id == goal.scorecard.unit.parent_id
        validate_contribution(goal, target)  # raises if the chain rules are broken
    assert tiny_city["chain_links"] == below.count()


def test_it_writes_monthly_values_up_to_last_month_and_stored_statuses(tiny_city):
    months = value_months(TINY.years, date.today())
    assert Measurement.objects.count() == TINY.unit_count * TINY.metrics * len(months)
    assert tiny_city["measurements"] == Measurement.objects.count()
    latest = Measurement.objects.order_by("-year", "-month").values_list("year", "month").first()
    assert latest == months[-1]
    assert GoalStatus.objects.count() == Goal.objects.count()
    assert len(set(GoalStatus.objects.values_list("status", flat=True))) > 1


def test_it_adds_an_administrator_and_reporters_on_units_at_the_lowest_level(tiny_city):
    reporters = RoleAssignment.objects.filter(role=Role.REPORTER)
    assert reporters.count() == TINY.reporters
    assert all(r.user.username.startswith(REPORTER_PREFIX) for r in reporters)
    assert {r.unit.kind for r in reporters} == {UnitKind.UNIT}
    assert RoleAssignment.objects.filter(role=Role.ADMIN, unit__parent__isnull=True).exists()


def test_it_refuses_a_database_that_already_has_units(tiny_city):
    with pytest.raises(CommandError, match="redan enheter"):
        call_command("generate_city", scale="tiny", stdout=StringIO())


def test_copy_text_escapes_what_postgresql_copy_reads_specially():
    from bench.generate import _copy_text

    assert _copy_text(None) == "\\N"
    assert _copy_text("a\tb\nc\\d\re") == "a\\tb\\nc\\\\d\\re"
    assert _copy_text(12) == "12"


def test_it_writes_assessments_by_the_rules_at_passed_occasions_only(tiny_city):
    from followup.models import Action, Assessment, FollowUpOccasion
    from followup.status import Status

    today = date.today()
    passed = [
        o
        for o in FollowUpOccasion.objects.all()
        if (o.year, o.end_month) < (today.year, today.month)
    ]
    assert set(Assessment.objects.values_list("occasion", flat=True)) == {o.pk for o in passed}
    assert tiny_city["assessments"] == Assessment.objects.count()
    departing = Assessment.objects.exclude(status=models.F("suggested"))
    assert departing.exists()  # owners sometimes judge otherwise …
    assert not departing.filter(deviation_comment="").exists()  # … and say why
    assert not Assessment.objects.filter(assessed_by__isnull=True).exists()
    assert not Assessment.objects.filter(analysis="").exists()
    # The stored statuses were refreshed after: the owners' latest judgement counts (every goal
    # of a year with a passed occasion: the tiny city's goals are all prioritised).
    years = {o.year for o in passed}
    assessed = Goal.objects.filter(scorecard__year__in=years).count()
    assert GoalStatus.objects.exclude(assessed="").count() == assessed
    states = set(Action.objects.values_list("state", flat=True))
    assert len(states) > 2
    assert not Action.objects.filter(owner="").exists()
    assert not Action.objects.filter(start_date__isnull=True).exists()
    assert not Action.objects.filter(due_date__lt=models.F("start_date")).exists()
    short = GoalStatus.objects.filter(assessed=Status.NOT_MET).values("goal")
    assert Action.objects.filter(goal__in=short).exists()


def test_no_followup_leaves_out_what_people_write(db):
    from followup.models import Action, Assessment, Forecast, SummaryAnalysis

    call_command("generate_city", scale="tiny", no_followup=True, stdout=StringIO())
    assert Measurement.objects.exists()
    for model in (Assessment, SummaryAnalysis, Forecast, Action):
        assert not model.objects.exists(), model
