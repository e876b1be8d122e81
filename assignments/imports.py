"""Assignments from a spreadsheet: one row per assignment, issued by one unit chosen on the page.

Each row is checked by ``AssignmentForm`` (the register page's validation: lengths, dates, the
control characters of ``core.text``) and written by ``rules.assignment_save``. The apply plans the
rows again inside one transaction and writes all of them or none.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organisation.models import OrgUnit
from reports.imports import RowError
from reports.imports.registers import form_errors, read_register, register_template

from . import rules
from .forms import AssignmentForm
from .models import Assignment

SHEET = "Uppdrag"
# key → the header word in the file (the same in every language: it is the file's format)
COLUMNS = {
    "title": "titel",
    "text": "text",
    "decided_by": "beslutande organ",
    "decided_on": "beslutsdatum",
    "paragraph": "paragraf",
    "diary_number": "diarienummer",
    "receivers": "mottagande enheter",
    "deadline": "sista dag",
}


def assignments_template() -> bytes:
    return register_template(
        sheet=SHEET,
        columns=COLUMNS,
        help_text=_(
            "En rad per uppdrag. Titel, text och mottagande enheter måste fyllas i. Mottagande "
            "enheter anges med enheternas koder, åtskilda med kommatecken. Datum skrivs "
            "ÅÅÅÅ-MM-DD. Ändra inte rubrikraden."
        ),
    )


def read_assignments(upload) -> list[dict]:
    return read_register(upload, sheet=SHEET, columns=COLUMNS)


def _receivers(text: str, units: dict[str, OrgUnit]) -> tuple[list[OrgUnit], list[str]]:
    codes = [c.strip() for c in text.replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c.lower() not in units]
    return [units[c.lower()] for c in codes if c.lower() in units], unknown


def assignments_plan(records: list[dict], *, issuer: OrgUnit, user):
    """([(row, bound valid form)], [RowError]) for the records, nothing written."""
    units = {u.code.lower(): u for u in OrgUnit.objects.active()}
    valid, errors = [], []
    for record in records:
        number = record["row"]
        receivers, unknown = _receivers(record.get("receivers", ""), units)
        if unknown:
            errors.append(
                RowError(
                    number,
                    COLUMNS["receivers"],
                    _("Okänd enhetskod: %(codes)s.") % {"codes": ", ".join(unknown)},
                )
            )
        data = {key: record.get(key, "") for key in COLUMNS if key != "receivers"}
        data |= {"issuer": issuer.pk, "receivers": [u.pk for u in receivers]}
        form = AssignmentForm(data, user=user)
        if not form.is_valid():
            errors.extend(RowError(number, label, message) for label, message in form_errors(form))
        elif not unknown:
            valid.append((number, form))
    return valid, errors


def assignments_apply(records: list[dict], *, issuer: OrgUnit, user) -> list[Assignment]:
    """Create every row's assignment in one transaction; ``ValidationError`` and nothing saved
    if any row fails now."""
    with transaction.atomic():
        valid, errors = assignments_plan(records, issuer=issuer, user=user)
        if errors:
            raise ValidationError(_("Filen innehåller fel. Rätta dem och ladda upp filen igen."))
        return [
            rules.assignment_save(
                assignment=form.save(commit=False),
                user=user,
                receivers=form.cleaned_data["receivers"],
                version=0,
            )
            for _number, form in valid
        ]
