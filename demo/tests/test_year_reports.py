"""The demo's year reports: a completed delårsrapport 2026 for the city compiled from at least
three nämnder's approved sections, and an årsredovisning 2026 with sections in every state."""

from yearreports.models import Report, ReportSection, SectionState

from .test_demo import demo  # noqa: F401 - the module's loaded demo city


def test_the_citys_interim_report_is_completed_from_three_committees(demo):  # noqa: F811
    city = Report.objects.get(unit__code="helsingborg", occasion__year=2026, occasion__end_month=8)
    assert city.is_completed and city.decision_paragraph == "§ 187"
    text = str(city.document)
    quoted = [name for name in ("Miljönämnden", "Skol- och fritidsnämnden", "Kulturnämnden",
                                "Vård- och omsorgsnämnden") if name in text]  # fmt: skip
    assert len(quoted) >= 3
    assert "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor" in text


def test_the_annual_report_has_sections_in_every_state(demo):  # noqa: F811
    sections = ReportSection.objects.filter(
        report__occasion__year=2026, report__occasion__end_month=12
    )
    states = set(sections.values_list("state", flat=True))
    assert states == {SectionState.DRAFT, SectionState.READY, SectionState.APPROVED}
    assert sections.exclude(returned_reason="").filter(state=SectionState.DRAFT).exists()
    assert not Report.objects.filter(occasion__end_month=12, state="completed").exists()
