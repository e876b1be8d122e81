"""The rules of a report's year, in one place: sending a template out, writing, marking ready,
sending back, approving, quoting a child's text, and completing (freezing) a report.

Every page and the API call these functions; each checks the permission (organisation.access),
the state and the version, and raises ``Refused`` (a Swedish message) or ``StaleVersion`` (someone
else saved first) without changing anything.
"""

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.text import clean_text
from organisation import access
from organisation.models import OrgUnit

from .models import (
    Report,
    ReportSection,
    ReportState,
    ReportTemplate,
    SectionState,
    TemplateSection,
)
from .richtext import plain_text, sanitise


class Refused(Exception):
    """An action the rules do not allow now; the message says why, in Swedish."""


class StaleVersion(Refused):
    """The section was saved by someone else since the writer opened it (no lost updates)."""


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Refused(message)


def _open(report: Report) -> None:
    _require(not report.is_completed, _("Rapporten är fastställd och kan inte ändras."))


def _locked_section(section: ReportSection, version: int | None) -> ReportSection:
    """The section re-read under a row lock, its version checked against what the writer saw."""
    current = ReportSection.objects.select_for_update().select_related("report").get(pk=section.pk)
    if version is not None and current.version != version:
        raise StaleVersion(
            _(
                "Avsnittet har ändrats av någon annan sedan du öppnade det. "
                "Läs den nya versionen och gör din ändring igen."
            )
        )
    _open(current.report)
    return current


def _save(section: ReportSection, user, fields: list[str]) -> ReportSection:
    section.version += 1
    section.updated_by = user if user and user.is_authenticated else None
    section._change_reason = fields[0]
    section.save(update_fields=[*fields, "version", "updated_by", "updated_at"])
    return section


# --- templates ---------------------------------------------------------------------------------


@transaction.atomic
def template_copy(template: ReportTemplate, *, year: int) -> ReportTemplate:
    """The same template for ``year`` (the one-click "copy to next year")."""
    _require(
        not ReportTemplate.objects.filter(kind=template.kind, year=year).exists(),
        _("Det finns redan en mall för %(kind)s %(year)s.")
        % {"kind": template.get_kind_display(), "year": year},
    )
    copy = ReportTemplate.objects.create(
        name=template.name, kind=template.kind, year=year, introduction=template.introduction
    )
    for s in template.sections.all():
        TemplateSection.objects.create(
            template=copy, heading=s.heading, guidance=s.guidance, free_text=s.free_text,
            blocks=list(s.blocks), mandatory=s.mandatory, order=s.order,
        )  # fmt: skip
    return copy


# --- distribution ------------------------------------------------------------------------------


@dataclass
class Sent:
    created: int
    existing: int


@transaction.atomic
def distribute(
    template: ReportTemplate, *, occasion, kinds: list[str], deadline: date | None = None
) -> Sent:
    """One report per active unit of the chosen kinds, each with the template's sections. A unit
    that has its report already keeps it (sending again adds the units that were missing)."""
    _require(bool(kinds), _("Välj minst en nivå i organisationen."))
    sections = list(template.sections.all())
    _require(bool(sections), _("Mallen har inga avsnitt."))
    sent = Sent(0, 0)
    for unit in OrgUnit.objects.active().filter(kind__in=kinds):
        report, created = Report.objects.get_or_create(
            template=template, occasion=occasion, unit=unit, defaults={"deadline": deadline}
        )
        if not created:
            sent.existing += 1
            continue
        sent.created += 1
        bulk_create_with_history(
            [
                ReportSection(
                    report=report,
                    template_section=s,
                    heading=s.heading,
                    guidance=s.guidance,
                    free_text=s.free_text,
                    blocks=list(s.blocks),
                    mandatory=s.mandatory,
                    order=s.order,
                )
                for s in sections
            ],
            ReportSection,
        )
    return sent


def add_own_section(report: Report, user, *, heading: str, guidance: str = "") -> ReportSection:
    """A section the unit adds itself: optional, free text, at the end."""
    _require(access.can_approve_report(user, report), _("Bara enhetens ägare lägger till avsnitt."))
    _open(report)
    heading = clean_text(heading).strip()
    _require(bool(heading), _("Ange en rubrik."))
    last = report.sections.order_by("-order").values_list("order", flat=True).first() or 0
    return ReportSection.objects.create(
        report=report, heading=heading[:200], guidance=clean_text(guidance), own=True,
        mandatory=False, order=last + 1, updated_by=user,
    )  # fmt: skip


@transaction.atomic
def set_hidden(section: ReportSection, user, *, hidden: bool) -> ReportSection:
    """A unit's owner hides an optional section it has nothing to say in (and shows it again)."""
    _require(
        access.can_approve_report(user, section.report), _("Bara enhetens ägare döljer avsnitt.")
    )
    current = _locked_section(section, None)
    _require(not current.mandatory, _("Ett obligatoriskt avsnitt kan inte döljas."))
    current.hidden = hidden
    return _save(current, user, ["hidden"])


# --- writing and approval ------------------------------------------------------------------


@transaction.atomic
def write(section: ReportSection, user, *, text: str, version: int | None) -> ReportSection:
    """A writer saves the section's text (sanitised to the rich-text subset). A section marked
    ready or approved is with its owner: it is sent back before it is written again."""
    _require(access.can_write_report(user, section.report), _("Du får inte skriva i rapporten."))
    current = _locked_section(section, version)
    _require(
        current.state == SectionState.DRAFT,
        _("Avsnittet är %(state)s. Ägaren skickar tillbaka det om det ska skrivas om.")
        % {"state": current.get_state_display().lower()},
    )
    _require(current.free_text, _("Avsnittet har ingen fritext."))
    cleaned = sanitise(text)
    if cleaned == current.text:
        return current
    current.text = cleaned
    return _save(current, user, ["text"])


@transaction.atomic
def mark_ready(section: ReportSection, user, *, version: int | None = None) -> ReportSection:
    _require(access.can_write_report(user, section.report), _("Du får inte skriva i rapporten."))
    current = _locked_section(section, version)
    _require(current.state == SectionState.DRAFT, _("Bara ett utkast kan klarmarkeras."))
    _require(
        not current.free_text or bool(plain_text(current.text)),
        _("Skriv avsnittets text innan du klarmarkerar det."),
    )
    current.state = SectionState.READY
    return _save(current, user, ["state"])


@transaction.atomic
def send_back(section: ReportSection, user, *, reason: str, version: int | None = None):
    _require(
        access.can_approve_report(user, section.report), _("Bara enhetens ägare skickar tillbaka.")
    )
    reason = clean_text(reason or "").strip()
    _require(bool(reason), _("Skriv varför avsnittet skickas tillbaka."))
    current = _locked_section(section, version)
    _require(current.state != SectionState.DRAFT, _("Avsnittet är redan ett utkast."))
    current.state = SectionState.DRAFT
    current.returned_reason = reason
    return _save(current, user, ["state", "returned_reason"])


@transaction.atomic
def approve(section: ReportSection, user, *, version: int | None = None) -> ReportSection:
    _require(access.can_approve_report(user, section.report), _("Bara enhetens ägare godkänner."))
    current = _locked_section(section, version)
    _require(current.state == SectionState.READY, _("Bara ett klarmarkerat avsnitt kan godkännas."))
    current.state = SectionState.APPROVED
    current.returned_reason = ""
    return _save(current, user, ["state", "returned_reason"])


# --- compilation -------------------------------------------------------------------------------


def child_sections(section: ReportSection) -> list[ReportSection]:
    """The approved texts of the same template section in the reports of the unit's children
    (the sammanställning a parent writes from)."""
    if section.template_section_id is None:
        return []
    report = section.report
    return list(
        ReportSection.objects.filter(
            report__occasion_id=report.occasion_id,
            report__unit__parent_id=report.unit_id,
            template_section_id=section.template_section_id,
            state=SectionState.APPROVED,
            hidden=False,
        )
        .exclude(text="")
        .select_related("report__unit")
        .order_by("report__unit__order", "report__unit__name")
    )


def quote(section: ReportSection, user, *, source: ReportSection, version: int | None):
    """The parent's writer quotes a child's approved text into the section (citera)."""
    fresh = {s.pk: s for s in child_sections(section)}.get(source.pk)
    _require(fresh is not None, _("Bara godkända texter från enheterna närmast under kan citeras."))
    unit = escape(fresh.report.unit.name)
    quoted = f"<blockquote><p><strong>{unit}</strong></p>{fresh.text}</blockquote>"
    current = ReportSection.objects.get(pk=section.pk)
    return write(current, user, text=f"{current.text}\n{quoted}", version=version)


# --- completion --------------------------------------------------------------------------------


def unfinished(report: Report) -> list[ReportSection]:
    """Mandatory, visible sections not yet approved: what keeps the report from completion."""
    return [
        s
        for s in report.sections.all()
        if s.mandatory and not s.hidden and s.state != SectionState.APPROVED
    ]


@dataclass
class DecisionData:
    body: str
    date: date | None
    paragraph: str
    diary_number: str


@transaction.atomic
def complete(report: Report, user, *, decision: DecisionData) -> Report:
    """Freeze the report: its document with every data block as it stands now, and the
    decision that adopted it. Nothing about the report changes after this."""
    from .build import build_document

    _require(
        access.can_complete_report(user, report),
        _("Bara enhetens ägare eller en administratör fastställer."),
    )
    report = Report.objects.select_for_update().get(pk=report.pk)
    _open(report)
    missing = unfinished(report)
    _require(
        not missing,
        _("Alla obligatoriska avsnitt måste vara godkända först: %(names)s.")
        % {"names": ", ".join(s.heading for s in missing)},
    )
    report.decision_body = clean_text(decision.body).strip()[:200]
    report.decision_date = decision.date
    report.decision_paragraph = clean_text(decision.paragraph).strip()[:20]
    report.decision_diary_number = clean_text(decision.diary_number).strip()[:60]
    report.state = ReportState.COMPLETED
    report.completed_at = timezone.now()
    report.completed_by = user
    report.document = build_document(report)
    report._change_reason = "complete"
    report.save()
    transaction.on_commit(_queue_pdf(report.pk))
    return report


def _queue_pdf(report_id: int):
    def queue():
        from .tasks import report_file_task

        for kind in ("pdf", "docx"):
            report_file_task.enqueue(report_id=report_id, kind=kind)

    return queue
