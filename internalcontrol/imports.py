"""A control plan's risk register from a spreadsheet: one row per risk.

Each row is checked by ``RiskForm`` (the risk page's validation, the control characters of
``core.text`` included) and by ``rules.check_risk`` (the plan's matrix size). The apply plans the
rows again in one transaction and writes all of them or none.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from reports.imports import RowError
from reports.imports.registers import form_errors, read_register, register_template

from . import rules
from .forms import RiskForm
from .models import ControlPlan, Risk

SHEET = "Risker"
COLUMNS = {
    "process": "process",
    "title": "risk",
    "description": "beskrivning",
    "probability": "sannolikhet",
    "consequence": "konsekvens",
}
LABELS = {"probability": COLUMNS["probability"], "consequence": COLUMNS["consequence"]}


def risks_template(plan: ControlPlan) -> bytes:
    return register_template(
        sheet=SHEET,
        columns=COLUMNS,
        help_text=_(
            "En rad per risk i %(plan)s. Process, risk, sannolikhet och konsekvens måste fyllas "
            "i. Sannolikhet är ett heltal från 1 till %(p)s, konsekvens från 1 till %(c)s. "
            "Ändra inte rubrikraden."
        )
        % {"plan": plan, "p": plan.probability_levels, "c": plan.consequence_levels},
    )


def read_risks(upload) -> list[dict]:
    return read_register(upload, sheet=SHEET, columns=COLUMNS)


def risks_plan(records: list[dict], *, plan: ControlPlan):
    """([(row, bound valid form)], [RowError]) for the records, nothing written."""
    valid, errors = [], []
    for record in records:
        number = record["row"]
        data = {key: record.get(key, "") for key in COLUMNS} | {"chosen": "on"}
        form = RiskForm(data, instance=Risk(plan=plan))
        if not form.is_valid():
            errors.extend(RowError(number, label, message) for label, message in form_errors(form))
            continue
        try:
            rules.check_risk(
                plan, form.cleaned_data["probability"], form.cleaned_data["consequence"]
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.extend(RowError(number, LABELS.get(field, ""), m) for m in messages)
            continue
        valid.append((number, form))
    return valid, errors


def risks_apply(records: list[dict], *, plan: ControlPlan, user) -> list[Risk]:
    """Add every row's risk to the plan in one transaction, or none of them."""
    with transaction.atomic():
        valid, errors = risks_plan(records, plan=plan)
        if errors:
            raise ValidationError(_("Filen innehåller fel. Rätta dem och ladda upp filen igen."))
        saved = []
        for _number, form in valid:
            risk = form.save(commit=False)
            risk._history_user = user
            risk.save()
            saved.append(risk)
        return saved
