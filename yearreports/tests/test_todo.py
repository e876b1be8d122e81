""" "Att göra" lists a report's sections to write for its writers and those marked ready for its
owner, each a link to the report; a completed report asks nothing of anyone."""

from datetime import date

import pytest

from core.testing import World
from followup.todo import tasks_for
from yearreports import workflow
from yearreports.models import SectionState
from yearreports.testing import make_report

pytestmark = pytest.mark.django_db
TODAY = date(2026, 9, 20)  # after the occasion's deadline (15 September)


def _report_tasks(user):
    return [t for t in tasks_for(user, TODAY) if t.kind == "report"]


def test_writers_see_sections_to_write_and_owners_sections_to_approve():
    world = World()
    report = make_report(world.unit_a)
    [writing] = _report_tasks(world.reporter)
    assert writing.title == "Skriv rapportens avsnitt"
    assert writing.detail == "3 avsnitt att skriva"
    assert writing.url == report.get_absolute_url() and writing.overdue(TODAY)
    assert _report_tasks(world.reader) == []  # a reader writes nothing

    section = report.sections.order_by("order").first()
    workflow.write(section, world.editor, text="<p>Klart.</p>", version=None)
    workflow.mark_ready(section, world.editor)
    titles = {t.title: t.detail for t in _report_tasks(world.editor)}
    assert titles == {
        "Skriv rapportens avsnitt": "2 avsnitt att skriva",
        "Godkänn rapportens avsnitt": "1 avsnitt klart att godkänna",
    }
    assert [t.title for t in _report_tasks(world.reporter)] == ["Skriv rapportens avsnitt"]


def test_a_report_with_every_section_approved_or_hidden_asks_nothing():
    world = World()
    report = make_report(world.unit_a)
    report.sections.update(state=SectionState.APPROVED)
    assert _report_tasks(world.editor) == []
