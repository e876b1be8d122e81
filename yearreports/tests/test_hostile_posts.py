"""Hostile values in the report pages' POSTs that the forms do not see (hidden versions, the
quoted section's id): a clear refusal, nothing changed, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from yearreports import workflow
from yearreports.models import SectionState
from yearreports.testing import make_report

# str.isdigit() is true for these, int() refuses them.
NOT_ASCII_DIGITS = ["²", "①", "²³"]


@pytest.fixture
def section(world):
    section = make_report(world.unit_a).sections.order_by("order").first()
    return workflow.write(section, world.reporter, text="<p>Text</p>", version=section.version)


@pytest.mark.parametrize("raw", NOT_ASCII_DIGITS)
@pytest.mark.parametrize("name", ["section_ready", "section_approve"])
def test_a_version_of_unicode_digits_is_refused_as_stale(world, section, name, raw):
    client = Client()
    client.force_login(world.editor)
    response = client.post(reverse(f"yearreports:{name}", args=[section.pk]), {"version": raw})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.state == SectionState.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "har ändrats av någon annan" in page


@pytest.mark.parametrize("raw", [*NOT_ASCII_DIGITS, "9" * 40, "-1", ""])
def test_a_quoted_source_of_garbage_is_refused_with_a_message(world, section, raw):
    client = Client()
    client.force_login(world.editor)
    response = client.post(reverse("yearreports:section_quote", args=[section.pk]), {"source": raw})
    assert response.status_code == 302
    assert "Välj en text att citera" in client.get(response["Location"]).content.decode()
    section.refresh_from_db()
    assert section.text == "<p>Text</p>"


def test_a_bidi_override_in_the_decision_body_cannot_reverse_the_date_and_number():
    """U+202E left open in "beslutande organ" reversed "2026-12-31 § 13, dnr …" in the PDF."""
    from yearreports.render.prepare import decision_line

    line = decision_line(
        {"body": "KF \u202eevil", "date": "2026-12-31", "paragraph": "§ 13", "diary_number": "1"}
    )
    assert line == "Fastställd av KF evil 2026-12-31 § 13, dnr 1"


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_completion_date_of_year_1_or_9999_is_refused(world, day):
    report = make_report(world.unit_a)
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("yearreports:complete", args=[report.pk]), {"body": "KF", "date": day}
    )
    assert response.status_code == 200
    assert "Ange ett datum mellan år 2000 och 2100." in response.content.decode()
    report.refresh_from_db()
    assert not report.is_completed


def test_a_distribution_deadline_of_year_9999_is_refused(world):
    from organisation.models import UnitKind
    from yearreports.models import Report
    from yearreports.testing import make_occasion, make_template

    template, occasion = make_template(), make_occasion()
    client = Client()
    client.force_login(world.admin)
    response = client.post(
        reverse("yearreports:distribute", args=[occasion.pk]),
        {"template": template.pk, "kinds": [UnitKind.ADMINISTRATION], "deadline": "9999-12-31"},
    )
    assert response.status_code == 200
    assert "Ange ett datum mellan år 2000 och 2100." in response.content.decode()
    assert not Report.objects.exists()
