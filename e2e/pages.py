"""The axe walk's pages: every page of the app as an address in the demo city, per persona, and
the URL patterns that answer 200 but are no page (``NOT_PAGES``). Used by e2e/test_pages.py (anonymous
and the administrator, every page) and e2e/test_pages_roles.py (reporter, editor and reader)."""

from collections.abc import Callable
from typing import NamedTuple

from django.urls import resolve, reverse
from playwright.sync_api import Page

from demo.city import C_CLIMATE
from followup.models import Action, FollowUpOccasion, OccasionUnitLock
from organisation.models import OrgUnit
from scorecards.models import Goal, GoalProgramme, Indicator, Metric, Perspective, Scorecard

from .browsing import ENERGY_GOAL


class Walk(NamedTuple):
    """A page of the walk: its screenshot name, its URL pattern's name and its address (looked
    up in the demo city)."""

    name: str
    url: str
    address: Callable[[], str]


def card_of(code: str, year: int = 2026) -> Scorecard:
    return Scorecard.objects.get(unit__code=code, year=year)


def _energy_goal() -> Goal:
    return Goal.objects.get(scorecard=card_of("ff-energi"), title=ENERGY_GOAL)


def _energy_metric() -> Metric:
    return _energy_goal().metrics.get(indicator__code="energi-lokaler")


def _occasion(year: int, end_month: int) -> FollowUpOccasion:
    return FollowUpOccasion.objects.get(year=year, end_month=end_month)


def _report(code: str, end_month: int):
    from yearreports.models import Report

    return Report.objects.get(unit__code=code, occasion__year=2026, occasion__end_month=end_month)


def _section(code: str, heading: str = "Sammanfattning", end_month: int = 12):
    return _report(code, end_month).sections.get(heading=heading)


def _template_section():
    return _report("mn", 12).template.sections.first()


def _overdue_assignment():
    from assignments.models import Assignment

    return Assignment.objects.get(title="Utreda fler laddplatser vid stadens fastigheter")


def _receiver(code: str):
    from assignments.models import AssignmentReceiver

    return AssignmentReceiver.objects.get(assignment=_overdue_assignment(), unit__code=code)


def plan_of(code: str = "fn"):
    from internalcontrol.models import ControlPlan

    return ControlPlan.objects.get(unit__code=code, year=2026)


def _control(code: str = "fn"):
    from internalcontrol.models import Control

    return Control.objects.filter(risk__plan=plan_of(code)).order_by("pk").first()


def _unit_lock() -> tuple[int, str]:
    """Stadsbyggnadsnämnden's lock of the delårsrapport (the demo has none; no other page of the
    walk shows the unit)."""
    occasion = _occasion(2026, 8)
    lock, _created = OccasionUnitLock.objects.get_or_create(
        occasion=occasion, unit=OrgUnit.objects.get(code="sbn")
    )
    return occasion.pk, lock.unit.code


def _adopted_version():
    card = card_of("ff-energi")
    return card.pk, card.adopted_versions.order_by("-number").first().number


def _user(username: str) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


def _benchmark() -> str:
    indicator = Indicator.objects.exclude(kolada_kpi="").exclude(kolada_kpi=None).first()
    return reverse("benchmark", args=[indicator.pk])


def _scorecard_followup(code: str, end_month: int = 8) -> str:
    return reverse("scorecard_followup", args=[card_of(code).pk, _occasion(2026, end_month).pk])


def _forecast(code: str) -> str:
    return reverse("scorecard_forecast", args=[card_of(code).pk, _occasion(2026, 8).pk])


# What a citizen sees (and everyone signed in too).
PUBLIC: list[Walk] = [
    Walk("city-scorecard", "home", lambda: "/"),
    Walk("organisation", "unit_tree", lambda: reverse("unit_tree")),
    Walk("unit", "unit_detail", lambda: reverse("unit_detail", args=["ff-energi"])),
    Walk("programmes", "programme_list", lambda: reverse("programme_list")),
    Walk(
        "programme",
        "programme_detail",
        lambda: reverse("programme_detail", args=[GoalProgramme.objects.first().pk]),
    ),
    Walk("indicators", "indicator_list", lambda: reverse("indicator_list")),
    Walk(
        "indicator",
        "indicator_detail",
        lambda: reverse("indicator_detail", args=[Indicator.objects.get(code="energi-lokaler").pk]),
    ),
    Walk("benchmark", "benchmark", _benchmark),
    Walk("kpi-picker", "kpi_picker", lambda: reverse("kpi_picker") + "?q=sjuk"),
    Walk("unit-scorecard", "scorecard_detail", lambda: card_of("ff-energi").get_absolute_url()),
    Walk(
        "adopted-version",
        "adopted_version",
        lambda: reverse("adopted_version", args=_adopted_version()),
    ),
    Walk(
        "goal-chain",
        "goal_chain",
        lambda: reverse(
            "goal_chain", args=[Goal.objects.get(title=C_CLIMATE, scorecard__year=2026).pk]
        ),
    ),
    Walk("unit-goal-chain", "goal_chain", lambda: reverse("goal_chain", args=[_energy_goal().pk])),
    Walk(
        "metric-trend", "metric_trend", lambda: reverse("metric_trend", args=[_energy_metric().pk])
    ),
    Walk("api-docs", "api:docs", lambda: reverse("api:docs")),
    Walk("open-data", "open_data", lambda: reverse("open_data")),
    Walk("follow-up", "scorecard_followup", lambda: _scorecard_followup("ff-energi")),
    Walk("reports", "yearreports:report_list", lambda: reverse("yearreports:report_list")),
    Walk(
        "year-report",
        "yearreports:report_detail",
        lambda: _report("helsingborg", 8).get_absolute_url(),
    ),
    Walk(
        "year-report-page",
        "yearreports:html",
        lambda: reverse("yearreports:html", args=[_report("helsingborg", 8).pk]),
    ),
    Walk("forecast", "scorecard_forecast", lambda: _forecast("helsingborg")),
    # issue 19: assignments and internal control as the public sees them
    Walk("assignments", "assignment_list", lambda: reverse("assignment_list")),
    Walk(
        "assignments-overdue",
        "assignment_list",
        lambda: reverse("assignment_list") + "?status=overdue",
    ),
    Walk("assignment", "assignment_detail", lambda: _overdue_assignment().get_absolute_url()),
    Walk("control-plans", "control_plan_list", lambda: reverse("control_plan_list")),
    Walk("control-plan", "control_plan_detail", lambda: plan_of().get_absolute_url()),
    Walk(
        "password-set",
        "password_set",
        lambda: reverse("password_set", args=["MQ", "fel-token"]),
    ),
]
ANONYMOUS: list[Walk] = [*PUBLIC, Walk("login", "login", lambda: reverse("login"))]
SIGNED_IN: list[Walk] = [
    *PUBLIC,
    Walk("todo", "todo", lambda: reverse("todo")),
    Walk(
        "value-entry",
        "value_entry",
        lambda: reverse("value_entry", args=[card_of("ff-energi").pk]) + "?period=2026-12",
    ),
    Walk(
        "locked-value-entry",
        "value_entry",
        lambda: reverse("value_entry", args=[card_of("ff-energi", 2025).pk]),
    ),
    Walk("assessment-scale", "assessment_scale", lambda: reverse("assessment_scale")),
    Walk("occasions", "occasion_list", lambda: reverse("occasion_list")),
    Walk(
        "occasion",
        "occasion_detail",
        lambda: reverse("occasion_detail", args=[_occasion(2026, 8).pk]),
    ),
    Walk(
        "occasion-with-assignments",
        "occasion_detail",
        lambda: reverse("occasion_detail", args=[_occasion(2026, 12).pk]),
    ),
    Walk("occasion-create", "occasion_create", lambda: reverse("occasion_create")),
    Walk(
        "occasion-edit",
        "occasion_edit",
        lambda: reverse("occasion_edit", args=[_occasion(2026, 12).pk]),
    ),
    Walk(
        "occasion-delete",
        "occasion_delete",
        lambda: reverse("occasion_delete", args=[_occasion(2026, 12).pk]),
    ),
    Walk(
        "occasion-lock",
        "occasion_lock",
        lambda: reverse("occasion_lock", args=[_occasion(2026, 12).pk]),
    ),
    Walk(
        "occasion-reopen",
        "occasion_reopen",
        lambda: reverse("occasion_reopen", args=[_occasion(2025, 8).pk]),
    ),
    Walk(
        "occasion-unit-lock",
        "occasion_unit_lock",
        lambda: reverse("occasion_unit_lock", args=[_occasion(2026, 12).pk, "ff-energi"]),
    ),
    Walk(
        "occasion-unit-reopen",
        "occasion_unit_reopen",
        lambda: reverse("occasion_unit_reopen", args=_unit_lock()),
    ),
    Walk(
        "occasion-defaults",
        "occasion_create_defaults",
        lambda: reverse("occasion_create_defaults", args=[2027]),
    ),
    Walk("unit-create", "unit_create", lambda: reverse("unit_create")),
    Walk("unit-edit", "unit_edit", lambda: reverse("unit_edit", args=["ff-energi"])),
    Walk(
        "unit-deactivate", "unit_deactivate", lambda: reverse("unit_deactivate", args=["ff-energi"])
    ),
    Walk("roles", "role_list", lambda: reverse("role_list", args=["ff"])),
    Walk(
        "scorecard-create",
        "scorecard_create",
        lambda: reverse("scorecard_create", args=["ff-service"]),
    ),
    Walk(
        "scorecard-edit",
        "scorecard_edit",
        lambda: reverse("scorecard_edit", args=[card_of("ff-energi").pk]),
    ),
    Walk(
        "scorecard-adopt",
        "scorecard_adopt",
        lambda: reverse("scorecard_adopt", args=[card_of("vof-hemvard").pk]),
    ),
    Walk(
        "scorecard-copy",
        "scorecard_copy",
        lambda: reverse("scorecard_copy", args=[card_of("ff-energi").pk]),
    ),
    Walk(
        "scorecard-archive",
        "scorecard_archive",
        lambda: reverse("scorecard_archive", args=[card_of("ff-energi").pk]),
    ),
    Walk("scorecard-import", "scorecard_import_start", lambda: reverse("scorecard_import_start")),
    Walk(
        "goal-create", "goal_create", lambda: reverse("goal_create", args=[card_of("ff-energi").pk])
    ),
    Walk("goal-edit", "goal_edit", lambda: reverse("goal_edit", args=[_energy_goal().pk])),
    Walk("goal-links", "goal_links", lambda: reverse("goal_links", args=[_energy_goal().pk])),
    Walk(
        "strategy-create",
        "strategy_create",
        lambda: reverse("strategy_create", args=[_energy_goal().pk]),
    ),
    Walk(
        "strategy-edit",
        "strategy_edit",
        lambda: reverse("strategy_edit", args=[_energy_goal().strategies.first().pk]),
    ),
    Walk(
        "strategy-delete",
        "strategy_delete",
        lambda: reverse("strategy_delete", args=[_energy_goal().strategies.first().pk]),
    ),
    Walk(
        "metric-create", "metric_create", lambda: reverse("metric_create", args=[_energy_goal().pk])
    ),
    Walk(
        "metric-delete",
        "metric_delete",
        lambda: reverse("metric_delete", args=[_energy_metric().pk]),
    ),
    Walk(
        "target-edit",
        "target_edit",
        lambda: reverse("target_edit", args=[_energy_metric().pk, 2026]),
    ),
    Walk("indicator-create", "indicator_create", lambda: reverse("indicator_create")),
    Walk(
        "indicator-edit",
        "indicator_edit",
        lambda: reverse("indicator_edit", args=[_energy_metric().indicator_id]),
    ),
    Walk("import", "import_start", lambda: reverse("import_start", args=[card_of("ff-energi").pk])),
    Walk("actions", "action_list", lambda: reverse("action_list", args=[card_of("ff-energi").pk])),
    Walk(
        "action-create", "action_create", lambda: reverse("action_create", args=[_energy_goal().pk])
    ),
    Walk(
        "action-edit",
        "action_edit",
        lambda: reverse(
            "action_edit", args=[Action.objects.filter(goal=_energy_goal()).first().pk]
        ),
    ),
    Walk(
        "history",
        "object_history",
        lambda: reverse("object_history", args=["goal", _energy_goal().pk]),
    ),
    Walk(
        "assignment-history",
        "object_history",
        lambda: reverse("object_history", args=["assignment", _overdue_assignment().pk]),
    ),
    # administration of the whole municipality
    Walk("administration", "administration", lambda: reverse("administration")),
    Walk("perspectives", "perspective_list", lambda: reverse("perspective_list")),
    Walk("perspective-create", "perspective_create", lambda: reverse("perspective_create")),
    Walk(
        "perspective-edit",
        "perspective_edit",
        lambda: reverse("perspective_edit", args=[Perspective.objects.first().pk]),
    ),
    Walk(
        "perspective-delete",
        "perspective_delete",
        lambda: reverse("perspective_delete", args=[Perspective.objects.first().pk]),
    ),
    Walk("programme-create", "programme_create", lambda: reverse("programme_create")),
    Walk(
        "programme-edit",
        "programme_edit",
        lambda: reverse("programme_edit", args=[GoalProgramme.objects.first().pk]),
    ),
    Walk(
        "programme-delete",
        "programme_delete",
        lambda: reverse("programme_delete", args=[GoalProgramme.objects.first().pk]),
    ),
    Walk("people", "person_list", lambda: reverse("person_list")),
    Walk("person", "person_detail", lambda: reverse("person_detail", args=[_user("rapportor")])),
    Walk("person-create", "person_create", lambda: reverse("person_create")),
    Walk("audit-log", "audit_log", lambda: reverse("audit_log")),
    Walk("operations", "ops_status", lambda: reverse("ops_status")),
    Walk("word-template", "word_template", lambda: reverse("word_template")),
    Walk("kolada-sync", "sync_status", lambda: reverse("sync_status")),
    Walk("kolada-conflicts", "sync_conflicts", lambda: reverse("sync_conflicts")),
    # the first-run guide (issue 12), as it looks once the municipality is set up
    Walk("setup", "setup_start", lambda: reverse("setup_start")),
    Walk("setup-municipality", "setup_municipality", lambda: reverse("setup_municipality")),
    Walk("setup-kinds", "setup_kinds", lambda: reverse("setup_kinds")),
    Walk("setup-units", "setup_units", lambda: reverse("setup_units")),
    Walk("setup-perspectives", "setup_perspectives", lambda: reverse("setup_perspectives")),
    Walk("setup-programme", "setup_programme", lambda: reverse("setup_programme")),
    Walk("setup-calendar", "setup_calendar", lambda: reverse("setup_calendar")),
    # issue 18: year reports
    Walk(
        "report-templates",
        "yearreports:template_list",
        lambda: reverse("yearreports:template_list"),
    ),
    Walk(
        "report-template",
        "yearreports:template_detail",
        lambda: reverse("yearreports:template_detail", args=[_report("mn", 12).template_id]),
    ),
    Walk(
        "report-template-create",
        "yearreports:template_create",
        lambda: reverse("yearreports:template_create"),
    ),
    Walk(
        "report-template-edit",
        "yearreports:template_edit",
        lambda: reverse("yearreports:template_edit", args=[_report("mn", 12).template_id]),
    ),
    Walk(
        "report-template-section-create",
        "yearreports:template_section_create",
        lambda: reverse(
            "yearreports:template_section_create", args=[_report("mn", 12).template_id]
        ),
    ),
    Walk(
        "report-template-section",
        "yearreports:template_section_edit",
        lambda: reverse("yearreports:template_section_edit", args=[_template_section().pk]),
    ),
    Walk(
        "occasion-reports",
        "yearreports:occasion_reports",
        lambda: reverse("yearreports:occasion_reports", args=[_occasion(2026, 12).pk]),
    ),
    Walk(
        "report-distribute",
        "yearreports:distribute",
        lambda: reverse("yearreports:distribute", args=[_occasion(2026, 12).pk]),
    ),
    Walk(
        "report-in-progress",
        "yearreports:report_detail",
        lambda: _report("von", 12).get_absolute_url(),
    ),
    Walk(
        "report-section-add",
        "yearreports:section_add",
        lambda: reverse("yearreports:section_add", args=[_report("von", 12).pk]),
    ),
    Walk("report-section", "yearreports:section_edit", lambda: _section("mn").get_absolute_url()),
    Walk(
        "report-section-draft",
        "yearreports:section_edit",
        lambda: _section("sofn").get_absolute_url(),
    ),
    Walk(
        "report-send-back",
        "yearreports:section_send_back",
        lambda: reverse("yearreports:section_send_back", args=[_section("mn").pk]),
    ),
    Walk(
        "report-complete",
        "yearreports:complete",
        lambda: reverse("yearreports:complete", args=[_report("kn", 12).pk]),
    ),
    # issue 19: assignments
    Walk("assignment-create", "assignment_create", lambda: reverse("assignment_create")),
    Walk("assignment-import", "assignment_import", lambda: reverse("assignment_import")),
    Walk(
        "assignment-edit",
        "assignment_edit",
        lambda: reverse("assignment_edit", args=[_overdue_assignment().pk]),
    ),
    Walk(
        "assignment-close",
        "assignment_close",
        lambda: reverse("assignment_close", args=[_overdue_assignment().pk]),
    ),
    Walk(
        "assignment-report",
        "assignment_report",
        lambda: reverse("assignment_report", args=[_receiver("fn").pk, _occasion(2026, 12).pk]),
    ),
    # issue 19: internal control (the demo's plans are adopted: the matrix size shown fixed,
    # removal refused with a reason)
    Walk("control-plan-create", "control_plan_create", lambda: reverse("control_plan_create")),
    Walk("control-plan-hidden", "control_plan_detail", lambda: plan_of("socn").get_absolute_url()),
    Walk(
        "control-plan-edit",
        "control_plan_edit",
        lambda: reverse("control_plan_edit", args=[plan_of().pk]),
    ),
    Walk(
        "control-plan-adopt",
        "control_plan_adopt",
        lambda: reverse("control_plan_adopt", args=[plan_of().pk]),
    ),
    Walk(
        "risk-import",
        "control_plan_import",
        lambda: reverse("control_plan_import", args=[plan_of().pk]),
    ),
    Walk("risk-create", "risk_create", lambda: reverse("risk_create", args=[plan_of().pk])),
    Walk("risk-edit", "risk_edit", lambda: reverse("risk_edit", args=[_control().risk_id])),
    Walk("risk-delete", "risk_delete", lambda: reverse("risk_delete", args=[_control().risk_id])),
    Walk(
        "control-create",
        "control_create",
        lambda: reverse("control_create", args=[_control().risk_id]),
    ),
    Walk("control-edit", "control_edit", lambda: reverse("control_edit", args=[_control().pk])),
    Walk(
        "control-delete", "control_delete", lambda: reverse("control_delete", args=[_control().pk])
    ),
    Walk(
        "control-result",
        "control_result",
        lambda: reverse("control_result", args=[_control().pk, _occasion(2026, 12).pk]),
    ),
    # issue 22: economy
    Walk("economy", "economy_home", lambda: reverse("economy_home")),
    Walk("economy-unit", "economy_unit", lambda: reverse("economy_unit", args=["von", 2026])),
    Walk("economy-upload", "economy_upload", lambda: reverse("economy_upload")),
    Walk("economy-mapping", "economy_mapping", lambda: reverse("economy_mapping")),
]
# Each role walks the pages whose content differs for it (the rest are the administrator's
# pages with fewer buttons): its landing page, its scorecard, entry, reports, economy and the
# assignments and internal control it reaches. Usernames as in demo.city.ACCOUNTS.
ROLE_PAGES: dict[str, list[Walk]] = {
    "rapportor": [  # reporter of Energienheten
        Walk("todo", "todo", lambda: reverse("todo")),
        Walk("city-scorecard", "home", lambda: "/"),
        Walk("unit-scorecard", "scorecard_detail", lambda: card_of("ff-energi").get_absolute_url()),
        Walk(
            "value-entry",
            "value_entry",
            lambda: reverse("value_entry", args=[card_of("ff-energi").pk]) + "?period=2026-12",
        ),
        Walk("follow-up", "scorecard_followup", lambda: _scorecard_followup("ff-energi", 12)),
        Walk("forecast", "scorecard_forecast", lambda: _forecast("ff-energi")),
        Walk(
            "actions", "action_list", lambda: reverse("action_list", args=[card_of("ff-energi").pk])
        ),
        Walk(
            "occasion",
            "occasion_detail",
            lambda: reverse("occasion_detail", args=[_occasion(2026, 12).pk]),
        ),
        Walk("economy", "economy_home", lambda: reverse("economy_home")),
        Walk("assignments", "assignment_list", lambda: reverse("assignment_list")),
        Walk("control-plans", "control_plan_list", lambda: reverse("control_plan_list")),
    ],
    "redaktor": [  # editor of Fastighetsförvaltningen
        Walk("todo", "todo", lambda: reverse("todo")),
        Walk("unit-scorecard", "scorecard_detail", lambda: card_of("ff").get_absolute_url()),
        Walk(
            "value-entry",
            "value_entry",
            lambda: reverse("value_entry", args=[card_of("ff").pk]) + "?period=2026-12",
        ),
        Walk("follow-up", "scorecard_followup", lambda: _scorecard_followup("ff", 12)),
        Walk(
            "scorecard-edit",
            "scorecard_edit",
            lambda: reverse("scorecard_edit", args=[card_of("ff").pk]),
        ),
        Walk(
            "occasion",
            "occasion_detail",
            lambda: reverse("occasion_detail", args=[_occasion(2026, 12).pk]),
        ),
        Walk("economy", "economy_home", lambda: reverse("economy_home")),
        Walk("economy-unit", "economy_unit", lambda: reverse("economy_unit", args=["ff", 2026])),
        Walk("assignments", "assignment_list", lambda: reverse("assignment_list")),
        Walk("assignment-create", "assignment_create", lambda: reverse("assignment_create")),
        Walk("control-plans", "control_plan_list", lambda: reverse("control_plan_list")),
        Walk("reports", "yearreports:report_list", lambda: reverse("yearreports:report_list")),
    ],
    "lasare": [  # reader of Kulturnämnden
        Walk("todo", "todo", lambda: reverse("todo")),
        Walk(
            "year-report",
            "yearreports:report_detail",
            lambda: _report("kn", 12).get_absolute_url(),
        ),
        Walk(
            "report-section", "yearreports:section_edit", lambda: _section("kn").get_absolute_url()
        ),
        Walk("unit-scorecard", "scorecard_detail", lambda: card_of("kn").get_absolute_url()),
        Walk(
            "occasion",
            "occasion_detail",
            lambda: reverse("occasion_detail", args=[_occasion(2026, 12).pk]),
        ),
        Walk(
            "occasion-reports",
            "yearreports:occasion_reports",
            lambda: reverse("yearreports:occasion_reports", args=[_occasion(2026, 12).pk]),
        ),
        Walk("economy", "economy_home", lambda: reverse("economy_home")),
        Walk("assignments", "assignment_list", lambda: reverse("assignment_list")),
        Walk("control-plans", "control_plan_list", lambda: reverse("control_plan_list")),
    ],
}
# URL patterns that answer a GET with 200 but are no HTML page, with the reason.
NOT_PAGES: dict[str, str] = {
    "healthz": "plain-text health check for the load balancer",
    "readyz": "plain-text readiness check",
    "readyz_worker": "plain-text readiness check of the job worker",
    "api:schema": "the OpenAPI schema (YAML); its page is api:docs",
    "open_data_csv": "CSV download",
    "open_data_json": "JSON download",
    "assignment_open_data_csv": "CSV download",
    "assignment_open_data_json": "JSON download",
    "scorecard_export": "xlsx download",
    "followup_export": "xlsx download",
    "occasion_export": "xlsx download",
    "economy_unit_xlsx": "xlsx download",
    "import_template": "xlsx download (import template)",
    "scorecard_import_template": "xlsx download (import template)",
    "setup_import_template": "xlsx download (import template)",
    "assignment_import_template": "xlsx download (import template)",
    "control_plan_import_template": "xlsx download (import template)",
    "scorecard_pdf": "PDF download",
    "followup_pdf": "PDF download",
    "yearreports:pdf": "PDF download",
    "yearreports:docx": "Word download",
}


def open_page(page: Page, demo, walk: Walk, address: str) -> None:
    response = page.goto(demo(address))
    assert response.status == 200, (walk.name, address, response.status)
    assert resolve(address.split("?")[0]).view_name == walk.url, (walk.name, address)


def problems_of(walk: Walk, check: Callable[[], None]) -> list[str]:
    """What is wrong with one page (the walk goes on, so one run lists every page's problems)."""
    try:
        check()
    except AssertionError as error:
        return [f"{walk.name}: {error}"]
    return []


def check_structure(page: Page) -> None:
    """Landmarks, one h1, a title, and a skip link that leads to the main content."""
    found = page.evaluate(
        """() => ({
        banner: document.querySelectorAll('body > header').length,
        main: document.querySelectorAll('main#main').length,
        contentinfo: document.querySelectorAll('body > footer').length,
        nav: document.querySelectorAll('header nav[aria-label]').length,
        h1: document.querySelectorAll('h1').length,
        title: document.title.trim().length > 0,
        skip: document.querySelector('body > a.skip-link')?.getAttribute('href'),
    })"""
    )
    expected = {"banner": 1, "main": 1, "contentinfo": 1, "nav": 1, "h1": 1, "title": True}
    assert found == {**expected, "skip": "#main"}, (page.url, found)
