"""The demo city's year reports (issue 18): a completed delårsrapport 2026 for the city compiled
from its nämnder's approved sections, and an årsredovisning 2026 being written, with sections in
every state. Loading again changes nothing already there."""

from datetime import date

from followup.models import FollowUpOccasion, OccasionKind
from organisation.models import UnitKind
from yearreports import workflow
from yearreports.models import Report, ReportTemplate, SectionState, TemplateSection

# (heading, guidance, free text, data blocks, mandatory)
SECTIONS = [
    ("Sammanfattning", "Det viktigaste under perioden, i korthet.", True, ["perspectives"], True),
    ("Måluppfyllelse", "Kommentera målen och deras bedömning.", True, ["goals", "metrics"], True),
    ("Utveckling över tid", "", False, ["trends"], False),
    ("Jämförelser", "Hur står vi oss mot liknande kommuner?", True, ["kolada"], False),
    ("Aktiviteter", "Vilka förbättringar pågår?", True, ["actions"], True),
    ("Framtiden", "Vad väntar under resten av året?", True, [], False),
]
TEMPLATES = [
    (OccasionKind.INTERIM, "Delårsrapport", 8),
    (OccasionKind.ANNUAL, "Årsredovisning", 12),
]
# What each nämnd writes at the delårsrapport, per mandatory section.
TEXTS = {
    "mn": ("Miljönämnden har under perioden stärkt tillsynen av förorenad mark.",
           "Klimatmålen följer plan; energianvändningen i lokalerna fortsätter att minska.",
           "Ny rutin för livsmedelskontroll infördes i maj."),
    "sofn": ("Skol- och fritidsnämnden ser ökad närvaro i grundskolan.",
             "Andelen behöriga till gymnasiet ligger nära målvärdet.",
             "Läsfrämjande insatser i årskurs 1–3 pågår på alla skolor."),
    "von": ("Vård- och omsorgsnämnden har infört digital tillsyn nattetid.",
            "Brukarnöjdheten i hemtjänsten är fortsatt hög.",
            "Kompetensutveckling för undersköterskor enligt plan."),
    "kn": ("Kulturnämnden har haft rekordmånga besökare på Dunkers kulturhus.",
           "Besöksmålen för kulturhus och bibliotek är uppfyllda.",
           "Meröppet bibliotek utökas till två nya stadsdelar."),
}  # fmt: skip
CITY = "helsingborg"


def load_year_reports(admin) -> None:
    """``admin`` writes, approves and completes for the demo; None when the demo's administrator
    is someone else's account (then the reports are left out)."""
    if admin is None:
        return
    templates = {kind: _template(kind, name) for kind, name, _month in TEMPLATES}
    interim = FollowUpOccasion.objects.get(year=2026, end_month=8)
    annual = FollowUpOccasion.objects.get(year=2026, end_month=12)
    kinds = [UnitKind.MUNICIPALITY, UnitKind.BOARD, UnitKind.COMMITTEE]
    workflow.distribute(templates[OccasionKind.INTERIM], occasion=interim, kinds=kinds)
    workflow.distribute(templates[OccasionKind.ANNUAL], occasion=annual, kinds=kinds)
    _interim(interim, admin)
    _annual(annual, admin)


def _template(kind, name) -> ReportTemplate:
    template, created = ReportTemplate.objects.get_or_create(
        kind=kind, year=2026,
        defaults={"name": name, "introduction": "Mall för stadens och nämndernas rapporter."},
    )  # fmt: skip
    if created:
        for order, (heading, guidance, free, blocks, mandatory) in enumerate(SECTIONS, 1):
            TemplateSection.objects.create(
                template=template, heading=heading, guidance=guidance, free_text=free,
                blocks=blocks, mandatory=mandatory, order=order,
            )  # fmt: skip
    return template


def _report(occasion, code) -> Report:
    return Report.objects.get(occasion=occasion, unit__code=code)


def _mandatory_texts(report, texts, admin, *, until=SectionState.APPROVED) -> None:
    """Writes ``texts`` into the report's mandatory free-text sections (in order) and moves each
    on to ``until``; sections without free text are only moved on."""
    queue = list(texts)
    for section in report.sections.filter(mandatory=True).order_by("order"):
        if section.state != SectionState.DRAFT or section.text:
            continue
        if section.free_text:
            section = workflow.write(section, admin, text=f"<p>{queue.pop(0)}</p>", version=None)
        if until in (SectionState.READY, SectionState.APPROVED):
            section = workflow.mark_ready(section, admin)
        if until == SectionState.APPROVED:
            workflow.approve(section, admin)


def _interim(occasion, admin) -> None:
    city = _report(occasion, CITY)
    if city.is_completed:
        return
    for code, texts in TEXTS.items():
        _mandatory_texts(_report(occasion, code), texts, admin)
    # The city's writer quotes each nämnd's approved text into its own sections.
    for section in city.sections.filter(mandatory=True, free_text=True).order_by("order"):
        if section.state != SectionState.DRAFT or section.text:
            continue
        section = workflow.write(
            section, admin, text="<p>Staden som helhet utvecklas enligt plan.</p>", version=None
        )
        for source in workflow.child_sections(section):
            section = workflow.quote(section, admin, source=source, version=None)
        workflow.mark_ready(section, admin)
        workflow.approve(section, admin)
    decision = workflow.DecisionData(
        "Kommunfullmäktige", date(2026, 10, 28), "§ 187", "KS 2026/512"
    )
    workflow.complete(city, admin, decision=decision)


def _annual(occasion, admin) -> None:
    """Sections in every state: approved (Kulturnämnden), ready (Miljönämnden), sent back with a
    reason (Vård- och omsorgsnämnden), a draft with text (Skol- och fritidsnämnden), untouched
    drafts (the city and the rest)."""
    kn = _report(occasion, "kn")
    if kn.sections.exclude(state=SectionState.DRAFT).exists():
        return
    _mandatory_texts(kn, TEXTS["kn"], admin)
    _mandatory_texts(_report(occasion, "mn"), TEXTS["mn"], admin, until=SectionState.READY)
    _mandatory_texts(_report(occasion, "sofn"), TEXTS["sofn"], admin, until=SectionState.DRAFT)
    von = _report(occasion, "von")
    _mandatory_texts(von, TEXTS["von"], admin, until=SectionState.READY)
    first = von.sections.filter(mandatory=True).order_by("order").first()
    workflow.send_back(first, admin, reason="Beskriv också hur bemanningen har utvecklats.")
