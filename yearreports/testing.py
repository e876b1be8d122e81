"""Test support: a report template and reports sent to units (used by this app's tests and by
the permission table in core/tests)."""

from datetime import date

from followup.models import FollowUpOccasion

from .models import Report, ReportTemplate, TemplateSection
from .workflow import distribute


def make_template(year: int = 2026, kind: str = "interim") -> ReportTemplate:
    template, created = ReportTemplate.objects.get_or_create(
        kind=kind, year=year, defaults={"name": "Delårsrapport"}
    )
    if created:
        TemplateSection.objects.create(
            template=template, heading="Årets viktigaste händelser", order=1,
            guidance="Beskriv kort det viktigaste.", blocks=["perspectives"],
        )  # fmt: skip
        TemplateSection.objects.create(
            template=template, heading="Måluppfyllelse", order=2, blocks=["goals", "metrics"]
        )
        TemplateSection.objects.create(
            template=template, heading="Framtiden", order=3, mandatory=False
        )
    return template


def make_occasion(year: int = 2026, end_month: int = 8) -> FollowUpOccasion:
    occasion, _ = FollowUpOccasion.objects.get_or_create(
        year=year, end_month=end_month,
        defaults={"kind": "interim", "name": "Delår", "deadline": date(year, 9, 15)},
    )  # fmt: skip
    return occasion


def make_report(unit, occasion=None, template=None) -> Report:
    occasion = occasion or make_occasion()
    template = template or make_template(occasion.year, occasion.kind)
    distribute(template, occasion=occasion, kinds=[unit.kind])
    return Report.objects.get(template=template, occasion=occasion, unit=unit)


def scene_reports(s, u) -> dict:
    """For the permission table (core/tests/test_url_permissions.py): unit ``u``'s report at the
    scene's occasion with a section in each state, a child's approved text to quote, and a report
    at the locked occasion whose mandatory sections are all approved (ready to complete)."""
    from organisation.models import OrgUnit

    from . import workflow

    cache = s.__dict__.setdefault("_reports", {})
    if u.unit.pk in cache:
        return cache[u.unit.pk]
    owner = s.world.admin
    report = make_report(u.unit, occasion=s.occasion)
    draft, ready, optional = list(report.sections.order_by("order"))
    workflow.write(draft, owner, text="<p>Utkast</p>", version=None)
    workflow.write(ready, owner, text="<p>Klar</p>", version=None)
    workflow.mark_ready(ready, owner)
    child_unit = OrgUnit.objects.filter(parent=u.unit).first() or s.world.unit_a1
    child = make_report(child_unit, occasion=s.occasion)
    source = child.sections.order_by("order").first()
    if source.state == "draft":
        workflow.write(source, owner, text="<p>Från enheten</p>", version=None)
        workflow.mark_ready(source, owner)
        workflow.approve(source, owner)
    done = make_report(u.unit, occasion=s.locked_occasion)
    for section in done.sections.filter(mandatory=True):
        workflow.write(section, owner, text="<p>Text</p>", version=None)
        workflow.mark_ready(section, owner)
        workflow.approve(section, owner)
    for section in (draft, ready, optional, source):
        section.refresh_from_db()
    found = {
        "report": report, "draft": draft, "ready": ready, "optional": optional,
        "source": source, "done": done, "template": report.template,
    }  # fmt: skip
    cache[u.unit.pk] = found
    return found
