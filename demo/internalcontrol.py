"""The demo city's internal control: plans for Fastighetsnämnden (adopted, public) and
Socialnämnden (adopted, not public) for 2026, risks across the 4 × 4 matrix, controls on the
chosen ones, results at the year's first two occasions and one deviation with its action.

Idempotent like the rest of the demo (``demo.city.upsert``)."""

from datetime import date

from followup.models import Action, FollowUpOccasion
from internalcontrol.models import Control, ControlPlan, ControlResult, Risk
from scorecards.models import Goal

from .city import upsert

# unit code → (decision, public, [(process, risk, probability, consequence, chosen,
#   [(control, method, frequency, owner, timing, {end month: (result, comment)})])])
PLANS = {
    "fn": (
        ("Fastighetsnämnden", date(2026, 1, 21), "§ 8", "FN 2025/00412"), True,
        [
            ("Inköp", "Inköp görs utanför avtal", 3, 3, True, [
                ("Stickprov på 20 fakturor per tertial", "Fakturor jämförs med avtalskatalogen",
                 "Varje tertial", "Controller", "April och augusti",
                 {4: ("ok", "Alla 20 fakturor mot avtal."),
                  8: ("deviation", "Tre av 20 fakturor för snickeritjänster saknade avtal.")}),
            ]),
            ("Underhåll", "Eftersatt underhåll leder till skador på byggnader", 2, 4, True, [
                ("Uppföljning av underhållsplanen", "Planerade åtgärder jämförs med utförda",
                 "Två gånger per år", "Driftchef", "Augusti",
                 {4: ("ok", ""), 8: ("ok", "Plan och utfall stämmer.")}),
            ]),
            ("Lokalförsörjning", "Tomma lokaler står outhyrda", 2, 2, False, []),
            ("Säkerhet", "Obehöriga får tillgång till skollokaler", 4, 4, True, [
                ("Kontroll av nyckel- och passerkort", "Registret stäms av mot personallistor",
                 "Varje tertial", "Säkerhetssamordnare", "April och augusti",
                 {4: ("ok", "Elva kort spärrade.")}),
            ]),
            ("Ekonomi", "Felaktiga hyresdebiteringar", 1, 3, False, []),
        ],
    ),
    "socn": (
        ("Socialnämnden", date(2026, 1, 28), "§ 12", "SN 2025/00877"), False,
        [
            ("Myndighetsutövning", "Utredningar inleds inte inom lagstadgad tid", 3, 4, True, [
                ("Granskning av inledda utredningar", "Ärendesystemet tas ut och granskas",
                 "Varje tertial", "Enhetschef myndighet", "April och augusti",
                 {4: ("ok", "Samtliga inom 14 dagar."), 8: ("ok", "")}),
            ]),
            ("Utbetalningar", "Ekonomiskt bistånd betalas ut felaktigt", 2, 3, True, [
                ("Stickprov på utbetalningar", "Tio beslut per månad kontrolleras",
                 "Varje månad", "Controller", "Löpande",
                 {4: ("ok", ""), 8: ("ok", "")}),
            ]),
            ("Dokumentation", "Journalanteckningar saknas", 4, 2, True, [
                ("Journalgranskning", "Tio journaler per enhet", "Två gånger per år",
                 "Kvalitetsutvecklare", "Augusti", {8: ("ok", "Brister i två journaler åtgärdade.")}),
            ]),
            ("Personal", "Hög personalomsättning bland socialsekreterare", 1, 1, False, []),
        ],
    ),
}  # fmt: skip
YEAR = 2026


def load(units, admin) -> None:
    occasions = {o.end_month: o for o in FollowUpOccasion.objects.filter(year=YEAR)}
    for code, ((body, on, paragraph, dnr), public, risks) in PLANS.items():
        plan = upsert(
            ControlPlan,
            {"unit": units[code], "year": YEAR},
            {"decided_by": body, "decided_on": on, "paragraph": paragraph,
             "diary_number": dnr, "is_public": public},
        )  # fmt: skip
        for process, title, probability, consequence, chosen, controls in risks:
            risk = upsert(
                Risk,
                {"plan": plan, "title": title},
                {"process": process, "probability": probability, "consequence": consequence,
                 "chosen": chosen},
            )  # fmt: skip
            for name, method, frequency, owner, timing, results in controls:
                control = upsert(
                    Control,
                    {"risk": risk, "title": name},
                    {"method": method, "frequency": frequency, "owner": owner, "timing": timing},
                )
                for month, (result, comment) in results.items():
                    values = {"result": result, "comment": comment, "reported_by": admin}
                    if result == "deviation":
                        values["action"] = _action(plan, control, comment)
                    upsert(
                        ControlResult, {"control": control, "occasion": occasions[month]}, values
                    )


def _action(plan: ControlPlan, control: Control, comment: str) -> Action:
    """The deviation's improvement action, on the first goal of the unit's scorecard."""
    goal = (
        Goal.objects.filter(scorecard__unit=plan.unit, scorecard__year=plan.year)
        .order_by("perspective__order", "order", "pk")
        .first()
    )
    return upsert(
        Action,
        {"goal": goal, "title": f"Åtgärd efter avvikelse: {control.title}"},
        {"description": f"Internkontroll {plan}: {comment}", "owner": control.owner,
         "due_date": date(YEAR, 12, 31), "state": "ongoing",
         "progress": "Avtal för snickeritjänster upphandlas."},
    )  # fmt: skip
