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
