"""The rules of a report's year: writing, marking ready, sending back, approving, quoting,
completing, and the version guard."""

from datetime import date

import pytest

from followup.models import Assessment, Measurement
from organisation.models import UnitKind
from yearreports import workflow
from yearreports.build import document_of
from yearreports.models import Report, ReportSection, SectionState
from yearreports.testing import make_occasion, make_report, make_template

DECISION = workflow.DecisionData("Kommunfullmäktige", date(2026, 10, 28), "§ 123", "KS 2026/123")


def _sections(report):
    return list(report.sections.order_by("order"))


def _approve_all(report, writer, owner):
    for s in _sections(report):
        if s.free_text:
            workflow.write(s, writer, text="<p>Text</p>", version=s.version)
        s.refresh_from_db()
        workflow.mark_ready(s, writer)
        workflow.approve(s, owner)


def test_distribution_makes_one_report_per_unit_of_the_chosen_kinds(world):
    template = make_template()
    occasion = make_occasion()
    sent = workflow.distribute(template, occasion=occasion, kinds=[UnitKind.ADMINISTRATION])
    assert sent.created == 2
    assert set(Report.objects.values_list("unit__name", flat=True)) == {
        "Miljöförvaltningen", "Skolförvaltningen",
    }  # fmt: skip
    again = workflow.distribute(
        template, occasion=occasion, kinds=[UnitKind.ADMINISTRATION, UnitKind.UNIT]
    )
    assert (again.created, again.existing) == (1, 2)
    assert ReportSection.objects.filter(report__unit=world.unit_a1).count() == 3


def test_write_ready_send_back_fix_approve(world):
    report = make_report(world.unit_a)
    section = _sections(report)[0]
    section = workflow.write(
        section, world.reporter, text="<p>Hej<script>x</script></p>", version=1
    )
    assert section.text == "<p>Hej</p>"
    workflow.mark_ready(section, world.reporter)
    with pytest.raises(workflow.Refused):
        workflow.approve(section, world.reporter)  # a writer is not the owner
    with pytest.raises(workflow.Refused, match="varför"):
        workflow.send_back(section, world.editor, reason="  ")
    workflow.send_back(section, world.editor, reason="Mer om energin.")
    section.refresh_from_db()
    assert (section.state, section.returned_reason) == (SectionState.DRAFT, "Mer om energin.")
    workflow.write(section, world.reporter, text="<p>Hej, energin</p>", version=section.version)
    workflow.mark_ready(section, world.reporter)
    workflow.approve(section, world.editor)
    section.refresh_from_db()
    assert section.state == SectionState.APPROVED and section.returned_reason == ""
    assert section.history.count() == 7  # created + six changes, each kept


def test_a_reader_of_another_unit_may_not_write(world):
    section = _sections(make_report(world.unit_a))[0]
    with pytest.raises(workflow.Refused):
        workflow.write(section, world.reader, text="<p>x</p>", version=1)
    section.refresh_from_db()
    assert section.text == ""


def test_the_version_guard_keeps_the_first_save(world):
    section = _sections(make_report(world.unit_a))[0]
    workflow.write(section, world.reporter, text="<p>Först</p>", version=1)
    with pytest.raises(workflow.StaleVersion):
        workflow.write(section, world.editor, text="<p>Sen</p>", version=1)
    section.refresh_from_db()
    assert section.text == "<p>Först</p>"


def test_marking_ready_needs_text(world):
    section = _sections(make_report(world.unit_a))[0]
    with pytest.raises(workflow.Refused, match="Skriv"):
        workflow.mark_ready(section, world.reporter)


def test_a_parent_quotes_its_childs_approved_text(world):
    parent = make_report(world.unit_a)
    child = make_report(world.unit_a1)
    child_section = _sections(child)[0]
    workflow.write(child_section, world.reporter, text="<p>Från enheten</p>", version=1)
    workflow.mark_ready(child_section, world.reporter)
    target = _sections(parent)[0]
    assert workflow.child_sections(target) == []  # not approved yet: nothing to quote
    workflow.approve(child_section, world.editor)
    assert workflow.child_sections(target) == [child_section]
    workflow.quote(target, world.reporter, source=child_section, version=1)
    target.refresh_from_db()
    assert "Energienheten" in target.text and "Från enheten" in target.text
    assert target.text.startswith("<blockquote>")


def test_completion_needs_every_mandatory_section_approved(world):
    report = make_report(world.unit_a)
    with pytest.raises(workflow.Refused, match="godkända"):
        workflow.complete(report, world.editor, decision=DECISION)
    assert not Report.objects.get(pk=report.pk).is_completed
    _approve_all(report, world.reporter, world.editor)
    with pytest.raises(workflow.Refused):
        workflow.complete(report, world.reporter, decision=DECISION)  # a writer may not


def test_an_optional_section_may_be_hidden_but_not_a_mandatory_one(world):
    report = make_report(world.unit_a)
    first, _, optional = _sections(report)
    with pytest.raises(workflow.Refused):
        workflow.set_hidden(first, world.editor, hidden=True)
    workflow.set_hidden(optional, world.editor, hidden=True)
    own = workflow.add_own_section(report, world.editor, heading="Vår egen rubrik")
    assert own.own and not own.mandatory
    assert [s["heading"] for s in document_of(report)["sections"]] == [
        "Årets viktigaste händelser", "Måluppfyllelse", "Vår egen rubrik",
    ]  # fmt: skip


def test_a_completed_report_is_frozen_as_it_stood(world, chain):
    report = make_report(world.city, template=make_template())
    Assessment.objects.create(
        goal=chain.top, occasion=report.occasion, status="met", analysis="Bra år för klimatet."
    )
    _approve_all(report, world.admin, world.admin)
    report = workflow.complete(report, world.admin, decision=DECISION)
    frozen = Report.objects.get(pk=report.pk).document
    text = str(frozen)
    assert "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor" in text
    assert "150,0 kWh/m²" in text and "Bra år för klimatet." in text
    assert frozen["decision"]["paragraph"] == "§ 123"
    from yearreports.document import problems

    assert problems(frozen) == []

    # Everything changes afterwards; the stored report does not.
    Measurement.objects.filter(indicator=chain.energy).update(value=999)
    chain.top.title = "Ett nytt namn"
    chain.top.save()
    Assessment.objects.filter(goal=chain.top).update(status="not_met", analysis="Sämre.")
    again = Report.objects.get(pk=report.pk)
    assert again.document == frozen
    assert document_of(again) == frozen
    with pytest.raises(workflow.Refused, match="fastställd"):
        workflow.write(_sections(again)[0], world.admin, text="<p>x</p>", version=None)


def test_copy_to_next_year(world):
    template = make_template()
    copy = workflow.template_copy(template, year=2027)
    assert [s.heading for s in copy.sections.all()] == [s.heading for s in template.sections.all()]
    with pytest.raises(workflow.Refused):
        workflow.template_copy(template, year=2027)


def test_autosave_keeps_the_text_and_refuses_a_stale_version(world):
    """The writing page's script saves through the same rule and version guard as the form."""
    from django.test import Client

    from yearreports.testing import make_report

    section = make_report(world.unit_a).sections.order_by("order").first()
    client = Client()
    client.force_login(world.reporter)
    url = section.get_absolute_url()
    saved = client.post(url, {"text": "**Första**", "version": section.version},
                        headers={"X-Autosave": "1"})  # fmt: skip
    assert saved.status_code == 200 and saved.json()["version"] == section.version + 1
    assert saved.json()["message"].startswith("Utkastet sparades")
    stale = client.post(url, {"text": "Andra", "version": section.version},
                        headers={"X-Autosave": "1"})  # fmt: skip
    assert stale.status_code == 409 and stale.json()["error"]
    section.refresh_from_db()
    assert section.text == "<p><strong>Första</strong></p>"  # the form's text, as HTML
    client.force_login(world.reader)  # a reader of another unit: the draft is hidden
    assert client.post(url, {"text": "x", "version": section.version},
                       headers={"X-Autosave": "1"}).status_code == 404  # fmt: skip
