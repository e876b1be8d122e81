"""The demo city loader: ``manage.py load_demo``."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from demo.city import DEMO_PASSWORD, KOLADA_CSV
from followup.models import FollowUpOccasion, Measurement
from organisation.models import OrgUnit, Role, UnitKind
from scorecards.chain import contributor_depths
from scorecards.models import (
    Comparator,
    Direction,
    Goal,
    Indicator,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Source,
    Target,
)

pytestmark = pytest.mark.django_db
SEED_GOAL = "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor"
BOARD_KINDS = (UnitKind.BOARD, UnitKind.COMMITTEE, UnitKind.COMPANY)


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


def load_demo() -> str:
    """The command as ``make run`` runs it (DEBUG on; pytest-django turns it off for tests)."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module, in a transaction rolled back afterwards; each test
    runs in its own savepoint inside it, so what a test changes is undone as usual."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            yield load_demo()
            transaction.set_rollback(True)


def all_counts() -> dict[str, int]:
    # RollupChange only records that roll-ups were recounted (followup.rollup), not data.
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.label != "followup.RollupChange"
    }


def city() -> OrgUnit:
    return OrgUnit.objects.get(kind=UnitKind.MUNICIPALITY)


def seed_goal(year: int) -> Goal:
    return Goal.objects.get(scorecard__unit=city(), scorecard__year=year, title=SEED_GOAL)


def test_load_demo_creates_helsingborg_and_prints_every_sign_in(demo):
    assert (city().name, city().kolada_id) == ("Helsingborgs stad", "1283")
    for username in ("admin", "redaktor", "rapportor", "lasare"):
        assert username in demo
    assert DEMO_PASSWORD in demo


def test_second_run_changes_no_counts_and_prints_the_sign_ins_again(demo):
    before = all_counts()
    again = load_demo()
    assert all_counts() == before
    assert "rapportor" in again and DEMO_PASSWORD in again


def test_generated_values_are_the_same_on_every_load(demo):
    def values():
        return sorted(
            Measurement.objects.values_list(
                "indicator__code", "unit__code", "year", "month", "value"
            )
        )

    first = values()
    Measurement.history.all().delete()
    Measurement.objects.all().delete()
    load_demo()
    assert values() == first


@pytest.mark.parametrize("year", [2025, 2026])
def test_seed_example_is_in_the_city_scorecard_verbatim(demo, year):
    goal = seed_goal(year)
    assert goal.perspective.name == "Framtid"
    metric = goal.metrics.get(indicator__name="Energianvändning i kommunala lokaler")
    indicator = metric.indicator
    assert (indicator.unit, indicator.direction, indicator.source) == (
        "kWh/m²",
        Direction.LOWER,
        Source.MANUAL,
    )
    target = metric.targets.get(year=year)
    assert (target.comparator, target.value) == (Comparator.LTE, Decimal(160))
    assert target.tolerance > 0
    assert target.label == "max 160 kWh/m²"


def test_there_are_at_least_eight_boards_and_committees_including_a_company(demo):
    boards = OrgUnit.objects.filter(kind__in=BOARD_KINDS, parent=city())
    assert boards.count() >= 8
    assert boards.filter(kind=UnitKind.COMPANY).exists()


def test_tree_is_at_least_four_levels_deep_below_the_municipality(demo):
    tree = OrgUnit.objects.with_tree_fields()
    deepest = tree.order_by("-tree_depth").first()
    assert deepest.tree_depth - tree.get(pk=city().pk).tree_depth >= 4
    assert [u.kind for u in deepest.ancestors(include_self=True)] == [
        UnitKind.MUNICIPALITY,
        UnitKind.COMMITTEE,
        UnitKind.ADMINISTRATION,
        UnitKind.DEPARTMENT,
        UnitKind.UNIT,
    ]


def test_unit_codes_are_unique_and_one_unit_is_merged_into_another(demo):
    codes = list(OrgUnit.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    merged = OrgUnit.objects.get(active_until__isnull=False)
    assert merged.replaced_by is not None and merged.replaced_by.is_active
    assert merged not in OrgUnit.objects.active()


@pytest.mark.parametrize("year", [2025, 2026])
def test_goal_chain_runs_four_levels_down_from_the_seed_goal(demo, year):
    goal = seed_goal(year)
    depths = contributor_depths([goal.pk])[goal.pk]
    assert max(depths.values()) >= 4
    deepest = Goal.objects.get(pk=max(depths, key=depths.get))
    assert deepest.scorecard.unit.kind == UnitKind.UNIT
    assert deepest.scorecard.year == year


def test_every_goal_below_the_city_links_to_its_parent_units_scorecard(demo):
    below = Goal.objects.exclude(scorecard__unit=city()).prefetch_related("contributes_to")
    assert below.exists()
    for goal in below.select_related("scorecard__unit"):
        targets = list(goal.contributes_to.select_related("scorecard"))
        assert targets, goal
        for target in targets:
            assert target.scorecard.unit_id == goal.scorecard.unit.parent_id
            assert target.scorecard.year == goal.scorecard.year


def test_every_perspective_has_goals_and_metrics_in_the_city_scorecard(demo):
    for year in (2025, 2026):
        card = Scorecard.objects.get(unit=city(), year=year)
        for perspective in Perspective.objects.all():
            goals = card.goals.filter(perspective=perspective)
            assert goals.count() >= 2, perspective
            assert goals.filter(metrics__isnull=False).exists(), perspective
            assert goals.filter(strategies__isnull=False).exists(), perspective


def test_perspectives_are_the_four_defaults_with_descriptions(demo):
    perspectives = list(Perspective.objects.order_by("order"))
    assert [p.name for p in perspectives] == ["Medborgare", "Ekonomi", "Organisation", "Framtid"]
    assert all(p.description for p in perspectives)


def test_every_board_and_a_branch_down_to_an_enhet_have_scorecards_both_years(demo):
    for year in (2025, 2026):
        with_card = set(Scorecard.objects.filter(year=year).values_list("unit_id", flat=True))
        boards = OrgUnit.objects.filter(kind__in=BOARD_KINDS)
        assert set(boards.values_list("pk", flat=True)) <= with_card
        units = OrgUnit.objects.filter(kind=UnitKind.UNIT, pk__in=with_card)
        assert units.exists()


def test_adopted_scorecards_record_their_decision_and_some_2026_ones_are_drafts(demo):
    public = Scorecard.objects.public()
    assert public.exists()
    for card in public:
        assert card.decided_by and card.decided_on and card.paragraph and card.diary_number
    assert not Scorecard.objects.filter(year=2025, status=ScorecardStatus.DRAFT).exists()
    assert Scorecard.objects.filter(year=2026, status=ScorecardStatus.DRAFT).count() >= 2
    assert Scorecard.objects.filter(year=2026, status=ScorecardStatus.ADOPTED).count() >= 12


def test_targets_use_every_comparator_kind_and_some_metrics_have_none(demo):
    comparators = set(Target.objects.values_list("comparator", flat=True))
    assert {Comparator.LTE, Comparator.GTE, Comparator.RANGE} <= comparators
    assert Target.objects.exclude(decided_by="").exists()
    city_card = Scorecard.objects.get(unit=city(), year=2026)
    assert city_card.goals.filter(metrics__targets__isnull=True, metrics__isnull=False).exists()
    assert city_card.goals.filter(prioritised=True).exists()


def test_kolada_indicators_are_yearly_and_name_their_kpi(demo):
    kolada = Indicator.objects.filter(source=Source.KOLADA)
    assert {"N00090", "N03102", "N00401"} <= set(kolada.values_list("kolada_kpi", flat=True))
    assert not kolada.exclude(frequency="yearly").exists()
    assert not kolada.filter(kolada_kpi="").exists()


def test_real_kolada_values_for_helsingborg_are_stored_with_source_kolada(demo):
    with KOLADA_CSV.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["municipality"] == "1283" and r["gender"] == "T"]
    real = next(r for r in rows if r["kpi"] == "N00090" and r["period"] == "2018")
    stored = Measurement.objects.get(
        indicator__kolada_kpi="N00090", unit=city(), year=2018, month=12
    )
    assert stored.value == Decimal(real["value"]) == Decimal("6.4")
    assert stored.source == Source.KOLADA
    kpis = set(Indicator.objects.filter(source=Source.KOLADA).values_list("kolada_kpi", flat=True))
    expected = sum(1 for r in rows if r["value"] and r["kpi"] in kpis)
    assert Measurement.objects.filter(source=Source.KOLADA).count() == expected


def test_monthly_local_values_run_from_january_2024_to_october_2026(demo):
    energy = Measurement.objects.filter(
        indicator__name="Energianvändning i kommunala lokaler", unit=city()
    ).order_by("year", "month")
    assert [(m.year, m.month) for m in (energy.first(), energy.last())] == [(2024, 1), (2026, 10)]
    assert energy.count() == 34
    assert not energy.exclude(source=Source.MANUAL).exists()


def test_every_metric_below_the_city_has_values_for_its_own_unit(demo):
    """Except where the demo shows a figure aggregated from the units below (COMPUTED)."""
    from demo.city import COMPUTED

    for card in Scorecard.objects.exclude(unit=city()).filter(year=2025):
        for goal in card.goals.all():
            for metric in goal.metrics.all():
                own = Measurement.objects.filter(indicator=metric.indicator, unit=card.unit)
                computed = (metric.indicator.code, card.unit.code) in COMPUTED
                assert own.exists() != computed, (card, metric)


# ── One truth (#14): what the demo shows of aggregation, assessments and cumulative targets ──


def _kulturnamnden_visitors():
    from followup.evaluation import FollowUpPoint, statuses_at

    goal = Goal.objects.get(
        scorecard__unit__code="kn",
        scorecard__year=2026,
        metrics__indicator__code="besokare-kulturhus",
    )
    [result] = [
        r
        for r in statuses_at([goal.pk], FollowUpPoint(2026))[goal.pk].metrics
        if r.metric.indicator.code == "besokare-kulturhus"
    ]
    return result


def test_a_committees_metric_is_aggregated_from_its_grandchildren(demo):
    result = _kulturnamnden_visitors()
    assert result.value is not None and result.status in ("met", "close", "not_met")
    assert result.covers == "utfall t.o.m. oktober 2026"


def test_a_cumulative_metric_is_judged_against_its_share_of_the_year(demo):
    from decimal import Decimal

    result = _kulturnamnden_visitors()
    assert result.target_share == Decimal(10) / 12
    assert result.target_so_far.startswith("målvärde t.o.m. oktober: minst 541")


def test_an_owners_assessment_departs_from_the_suggestion_and_travels_up(demo, client):
    from followup.models import Assessment, GoalStatus

    departing = [  # the city's goals are all assessed at the delårsrapport (demo/forecast.py)
        a for a in Assessment.objects.filter(occasion__year=2026)
        if a.status != a.suggested and a.deviation_comment
    ]  # fmt: skip
    assert departing
    for assessed in departing:
        assert GoalStatus.objects.get(goal=assessed.goal).assessed == assessed.status
    city_card = Scorecard.objects.get(unit=city(), year=2026)
    page = client.get(city_card.get_absolute_url()).content.decode()
    import re

    counted = [int(n) for n in re.findall(r"(\d+) bedömda", page)]
    assert counted and max(counted) >= 1  # the roll-up counts the owners' judgement


def test_no_stored_status_is_stale_after_loading(demo):
    call_command("refresh_statuses", "--check", stdout=StringIO())  # exits 1 if any is


def test_follow_up_occasions_exist_for_both_years_and_2025_is_locked(demo):
    for year in (2025, 2026):
        occasions = FollowUpOccasion.objects.filter(year=year)
        assert sorted(occasions.values_list("end_month", flat=True)) == [4, 8, 12]
    assert all(o.is_locked for o in FollowUpOccasion.objects.filter(year=2025))
    assert all(o.log.exists() for o in FollowUpOccasion.objects.filter(year=2025))


def test_demo_accounts_have_one_role_each_and_the_demo_password(demo):
    users = get_user_model().objects.filter(
        username__in=["admin", "redaktor", "rapportor", "lasare"]
    )
    assert users.count() == 4
    roles = set()
    for user in users:
        assert user.role_assignments.count() == 1
        roles.add(user.role_assignments.get().role)
        assert user.check_password(DEMO_PASSWORD)
    assert roles == set(Role.values)
    admin = users.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert admin.role_assignments.get().unit == city()
    assert not users.exclude(username="admin").filter(is_superuser=True).exists()


def test_an_existing_accounts_password_is_never_overwritten(demo):
    user = get_user_model().objects.get(username="lasare")
    user.set_password("ett-eget-losenord")
    user.save()
    again = load_demo()
    user.refresh_from_db()
    assert user.check_password("ett-eget-losenord")
    assert "ändrat" in next(line for line in again.splitlines() if line.startswith("lasare"))


def test_with_debug_off_it_refuses_and_changes_nothing(demo, settings):
    settings.DEBUG = False  # the production profile: a real installation
    before = all_counts()
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=StringIO())
    assert all_counts() == before


def test_an_account_the_demo_did_not_make_is_never_taken_over(demo, settings):
    """As when ``createsuperuser`` made "admin" before the demo was loaded (here with --force
    on a production profile): no new name, role or password, and no demo password printed."""
    User = get_user_model()
    admin = User.objects.get(username="admin")
    admin.role_assignments.all().delete()
    User.objects.filter(pk=admin.pk).update(
        first_name="", last_name="", email="it@kommun.example.se"
    )
    admin.set_password("driftens-eget-losenord")
    admin.save(update_fields=["password"])
    settings.DEBUG = False
    out = StringIO()
    call_command("load_demo", "--force", stdout=out)
    admin.refresh_from_db()
    assert (admin.first_name, admin.last_name, admin.email) == ("", "", "it@kommun.example.se")
    assert admin.check_password("driftens-eget-losenord")
    assert not admin.role_assignments.exists()
    row = next(line for line in out.getvalue().splitlines() if line.startswith("admin"))
    assert DEMO_PASSWORD not in row and "orört" in row
    # The demo's own accounts are still its own.
    assert get_user_model().objects.get(username="lasare").role_assignments.exists()


def test_the_benchmark_cache_holds_real_kolada_figures(demo):
    from kolada.models import KoladaKpi, KoladaMunicipalityGroup, KoladaValue

    assert KoladaKpi.objects.count() > 6000
    assert set(
        KoladaMunicipalityGroup.objects.get(pk="G37394").members.values_list("pk", flat=True)
    ) >= {"0581", "1880"}
    # Sjukfrånvaro N00090 in Helsingborg 2018, total, as Kolada published it.
    assert KoladaValue.objects.filter(
        kpi="N00090", municipality="1283", year=2018, gender="T"
    ).exists()
    assert KoladaValue.objects.filter(kpi="N00090", municipality="0581", gender="K").exists()


def test_every_city_goal_has_a_forecast_at_the_delarsrapport(demo):
    from followup.models import Assessment, Forecast

    occasion = FollowUpOccasion.objects.get(year=2026, end_month=8)
    goals = Goal.objects.filter(scorecard__unit=city(), scorecard__year=2026)
    assessments = Assessment.objects.filter(goal__in=goals, occasion=occasion)
    assert assessments.count() == goals.count()
    assert not assessments.filter(forecast_status__in=("", "not_assessed")).exists()
    indicators = {m.indicator_id for g in goals for m in g.metrics.all()}
    forecast = set(
        Forecast.objects.filter(unit=city(), year=2026, month=8).values_list(
            "indicator_id", flat=True
        )
    )
    assert forecast == indicators
