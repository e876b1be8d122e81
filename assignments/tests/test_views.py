"""The assignment pages: register, lists and filters, report at an occasion, close, includes."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from assignments import rules
from assignments.models import Assignment, AssignmentReceiver, AssignmentReport

from .conftest import make_assignment


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _receiver(assignment, unit):
    return AssignmentReceiver.objects.get(assignment=assignment, unit=unit)


def test_an_editor_registers_an_assignment_from_a_decision(world, chain):
    response = _client(world.editor).post(
        reverse("assignment_create"),
        {
            "issuer": world.unit_a.pk,
            "decided_by": "Miljönämnden",
            "decided_on": "2026-02-10",
            "paragraph": "7",
            "diary_number": "MN 2026/7",
            "title": "Byta till LED",
            "text": "Energienheten får i uppdrag att byta belysningen.",
            "deadline": "2026-12-31",
            "receivers": [world.unit_a1.pk],
            "goals": [chain.mid.pk],
        },
    )
    assignment = Assignment.objects.get(title="Byta till LED")
    assert response.status_code == 302 and response["Location"] == assignment.get_absolute_url()
    assert assignment.decision_text == "Miljönämnden, 2026-02-10, § 7, dnr MN 2026/7"
    assert [r.unit for r in assignment.receivers.all()] == [world.unit_a1]
    assert list(assignment.goals.all()) == [chain.mid]
    assert assignment.history.count() == 1


def test_an_editor_cannot_issue_for_a_unit_above_them(world):
    response = _client(world.editor).post(
        reverse("assignment_create"),
        {"issuer": world.city.pk, "title": "X", "text": "Y", "receivers": [world.unit_a.pk]},
    )
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not Assignment.objects.exists()


def test_the_list_flags_overdue_by_icon_and_text(world, assignment):
    body = _client().get(reverse("assignment_list")).content.decode()
    assert "Utreda laddplatser" in body
    assert "⚠</span> Försenat" in body  # the deadline 2026-06-30 has passed


@pytest.mark.parametrize(
    ("query", "units"),
    [
        ("", {"Energienheten", "Skolförvaltningen"}),
        ("?mottagare={a}", {"Energienheten"}),  # the receiver's list includes units below it
        ("?mottagare={b}&status=ongoing", set()),
        ("?status=ongoing", {"Energienheten"}),
        ("?status=none", {"Skolförvaltningen"}),
        ("?status=overdue", {"Energienheten", "Skolförvaltningen"}),
        ("?frist=2026-01-01", set()),
        ("?utfardare={b}", set()),
    ],
)
def test_the_list_filters(world, assignment, occasion, query, units):
    rules.report_save(
        receiver=_receiver(assignment, world.unit_a1),
        occasion=occasion,
        user=None,
        status="ongoing",
        comment="",
        version=0,
    )
    url = reverse("assignment_list") + query.format(a=world.unit_a.code, b=world.unit_b.code)
    response = _client().get(url)
    shown = {r.unit.name for r in response.context["rows"]}
    assert shown == units


def test_a_draft_is_hidden_from_others(world):
    draft = make_assignment(world.unit_a, [world.unit_a1], title="Utkast till uppdrag")
    assert _client().get(draft.get_absolute_url()).status_code == 404
    assert _client(world.reader).get(draft.get_absolute_url()).status_code == 404
    assert _client(world.reporter).get(draft.get_absolute_url()).status_code == 200
    assert "Utkast till uppdrag" not in _client().get(reverse("assignment_list")).content.decode()


def test_a_reporter_of_a_receiving_unit_reports_at_an_occasion(world, assignment, occasion):
    receiver = _receiver(assignment, world.unit_a1)
    url = reverse("assignment_report", args=[receiver.pk, occasion.pk])
    response = _client(world.reporter).post(
        url, {"status": "ongoing", "comment": "Utredningen pågår", "version": "0"}
    )
    assert response.status_code == 302
    report = AssignmentReport.objects.get()
    assert (report.status, report.reported_by) == ("ongoing", world.reporter)
    detail = _client().get(assignment.get_absolute_url()).content.decode()
    assert "Utredningen pågår" in detail


def test_reporting_for_another_unit_is_refused(world, assignment, occasion):
    receiver = _receiver(assignment, world.unit_b)
    url = reverse("assignment_report", args=[receiver.pk, occasion.pk])
    response = _client(world.reporter).post(url, {"status": "done", "version": "0"})
    assert response.status_code == 403
    assert not AssignmentReport.objects.exists()


def test_a_stale_report_shows_what_was_saved(world, assignment, occasion):
    receiver = _receiver(assignment, world.unit_a1)
    rules.report_save(
        receiver=receiver, occasion=occasion, user=None, status="done", comment="", version=0
    )
    url = reverse("assignment_report", args=[receiver.pk, occasion.pk])
    response = _client(world.reporter).post(url, {"status": "ongoing", "version": "0"})
    body = response.content.decode()
    assert response.status_code == 200 and "Någon annan har sparat" in body
    assert AssignmentReport.objects.get().status == "done"


def test_abandoning_without_a_comment_is_refused_with_a_message(world, assignment, occasion):
    receiver = _receiver(assignment, world.unit_a1)
    url = reverse("assignment_report", args=[receiver.pk, occasion.pk])
    response = _client(world.reporter).post(url, {"status": "abandoned", "version": "0"})
    assert response.status_code == 200 and "behöver en kommentar" in response.content.decode()
    assert not AssignmentReport.objects.exists()


def test_closing_without_decision_or_comment_is_refused(world, assignment):
    url = reverse("assignment_close", args=[assignment.pk])
    response = _client(world.admin).post(url, {"version": "1"})
    assert response.status_code == 200 and "avslutas med ett beslut" in response.content.decode()
    response = _client(world.admin).post(
        url, {"version": "1", "close_decided_by": "KF", "close_decided_on": "2026-10-01"}
    )
    assert response.status_code == 302
    assert Assignment.objects.get().closed_on == date(2026, 10, 1)


def test_the_goal_chain_shows_the_assignments_beside_the_goal(world, chain, assignment):
    assignment.goals.add(chain.mid)
    body = _client().get(reverse("goal_chain", args=[chain.mid.pk])).content.decode()
    assert "Uppdrag som stödjer målet" in body and "Utreda laddplatser" in body


def test_the_occasion_page_lists_what_to_report(world, assignment, occasion):
    body = _client(world.reporter).get(reverse("occasion_detail", args=[occasion.pk]))
    body = body.content.decode()
    receiver = _receiver(assignment, world.unit_a1)
    assert reverse("assignment_report", args=[receiver.pk, occasion.pk]) in body
    assert "0 av 1 rapporterade" in body  # only the units the reporter follows up


def test_the_unit_page_links_to_its_lists(world, assignment):
    body = _client().get(world.unit_b.get_absolute_url()).content.decode()
    assert f"?mottagare={world.unit_b.code}" in body and "Uppdrag till enheten (1)" in body


def test_the_history_of_an_assignment(world, assignment):
    rules.assignment_close(
        assignment=assignment, user=world.admin, data={"close_comment": "Klart"}, version=1
    )
    url = reverse("object_history", args=["assignment", assignment.pk])
    assert _client(world.reader).get(url).status_code == 404  # no role in the issuing unit
    body = _client(world.admin).get(url).content.decode()
    assert "Klart" in body
