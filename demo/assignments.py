"""The demo city's assignments (uppdrag): fullmäktige's and kommunstyrelsen's decisions giving
nämnder and bolag tasks, followed up at the demo's occasions in several states — one overdue,
one closed with a decision, one closed with a comment, one still a draft.

Idempotent like the rest of the demo: an assignment is keyed by its issuer and title, a report by
its receiver and occasion (``demo.city.upsert``)."""

from datetime import date

from assignments.models import Assignment, AssignmentReceiver, AssignmentReport
from followup.models import FollowUpOccasion

from .city import C_CLIMATE, C_EMPLOYER, C_GROWTH, C_SCHOOL, upsert

KF = ("Kommunfullmäktige", "helsingborg")
KS = ("Kommunstyrelsen", "ks")

# (issuer, title, text, decided on, §, dnr, deadline, city goal it serves or None,
#  {receiver code: [((year, end month), status, comment)]}, closing or None)
ASSIGNMENTS = [
    (KF, "Utreda fler laddplatser vid stadens fastigheter",
     "Fastighetsnämnden och Öresundskraft AB får i uppdrag att utreda hur antalet laddplatser för "
     "elbilar vid stadens fastigheter kan fördubblas till 2027.",
     date(2025, 11, 26), "§ 231", "KS 2025/00812", date(2026, 6, 30), C_CLIMATE,
     {"fn": [((2026, 4), "ongoing", "Inventering av fastigheterna pågår."),
             ((2026, 8), "ongoing", "Utredningen försenad av upphandling; klar under hösten.")],
      "oresundskraft": [((2026, 4), "ongoing", "Kartläggning av elnätets kapacitet klar."),
                        ((2026, 8), "done", "Utredningen redovisad till bolagsstyrelsen i juni.")]},
     None),
    (KF, "Minska matsvinnet i skolor och äldreboenden med 20 procent",
     "Skol- och fritidsnämnden och vård- och omsorgsnämnden får i uppdrag att minska matsvinnet "
     "med 20 procent till utgången av 2026 jämfört med 2024.",
     date(2025, 11, 26), "§ 232", "KS 2025/00813", date(2026, 12, 31), C_CLIMATE,
     {"sofn": [((2026, 4), "ongoing", "Mätning av svinn införd i alla skolkök."),
               ((2026, 8), "ongoing", "Svinnet har minskat med 12 procent hittills.")],
      "von": [((2026, 4), "not_started", "Start planerad till hösten."),
              ((2026, 8), "ongoing", "Pilot på tre äldreboenden.")]},
     None),
    (KF, "Ta fram en plan för fler hyresrätter för unga",
     "Helsingborgshem AB får i uppdrag att ta fram en plan för minst 300 nya hyresrätter för unga "
     "vuxna under mandatperioden.",
     date(2024, 11, 27), "§ 245", "KS 2024/00790", date(2025, 12, 31), C_GROWTH,
     {"helsingborgshem": [((2025, 4), "not_started", ""),
                          ((2025, 8), "ongoing", "Tre tomter utpekade."),
                          ((2025, 12), "done", "Planen antagen av bolagets styrelse i november.")]},
     None),
    (KS, "Samordna stadens arbete med kompetensförsörjning",
     "Arbetsmarknadsnämnden och vård- och omsorgsnämnden får i uppdrag att gemensamt ta fram en "
     "plan för att rekrytera undersköterskor.",
     date(2026, 2, 11), "§ 34", "KS 2026/00102", date(2027, 6, 30), C_EMPLOYER,
     {"amn": [((2026, 4), "not_started", ""),
              ((2026, 8), "ongoing", "Arbetsgrupp tillsatt.")],
      "von": [((2026, 4), "not_started", ""),
              ((2026, 8), "ongoing", "Behovsanalys klar.")]},
     None),
    (KS, "Införa digital signering av protokoll i alla nämnder",
     "Kulturnämnden och miljönämnden får i uppdrag att som pilot införa digital signering av "
     "protokoll.",
     date(2025, 9, 10), "§ 188", "KS 2025/00540", date(2026, 3, 31), None,
     {"kn": [((2026, 4), "done", "Införd från mars.")],
      "mn": [((2026, 4), "replaced", "Ersatt av stadens gemensamma e-arkivprojekt, KS § 60.")]},
     {"close_decided_by": "Kommunstyrelsen", "close_decided_on": date(2026, 5, 20),
      "close_paragraph": "§ 61", "close_diary_number": "KS 2025/00540"}),
    (KF, "Utreda en gemensam kundtjänst för de kommunala bolagen",
     "Helsingborgshem AB och Öresundskraft AB får i uppdrag att utreda en gemensam kundtjänst.",
     date(2025, 2, 24), "§ 30", "KS 2025/00111", date(2025, 12, 31), None,
     {"helsingborgshem": [((2025, 8), "abandoned", "Bolagens kundgrupper skiljer sig för mycket.")],
      "oresundskraft": [((2025, 8), "abandoned", "Se Helsingborgshems svar.")]},
     {"close_comment": "Båda bolagen avrådde; uppdraget avslutas utan åtgärd."}),
    (KS, "Se över stadens lokalförsörjning för förskolor",
     "Fastighetsnämnden får i uppdrag att se över lokalförsörjningen för förskolor.",
     None, "", "", date(2027, 3, 31), C_SCHOOL, {"fn": []}, None),  # a draft: not decided yet
]  # fmt: skip


def load(units, goals, admin) -> None:
    """Load the ASSIGNMENTS; ``goals`` maps (unit code, title) to the latest year's goals."""
    occasions = {(o.year, o.end_month): o for o in FollowUpOccasion.objects.all()}
    for spec in ASSIGNMENTS:
        (
            (body, issuer),
            title,
            text,
            decided_on,
            paragraph,
            dnr,
            deadline,
            goal,
            receivers,
            close,
        ) = spec
        closing = close or {}
        closed_on = closing.get("close_decided_on") or (date(2026, 1, 15) if close else None)
        assignment = upsert(
            Assignment,
            {"issuer": units[issuer], "title": title},
            {
                "text": text,
                "decided_by": body if decided_on else "",
                "decided_on": decided_on,
                "paragraph": paragraph,
                "diary_number": dnr,
                "deadline": deadline,
                "closed_on": closed_on,
                **closing,
            },
        )
        if goal and (issuer_goal := goals.get(("helsingborg", goal))):
            assignment.goals.add(issuer_goal)
        for code, reports in receivers.items():
            receiver = upsert(AssignmentReceiver, {"assignment": assignment, "unit": units[code]})
            for when, status, comment in reports:
                upsert(
                    AssignmentReport,
                    {"receiver": receiver, "occasion": occasions[when]},
                    {"status": status, "comment": comment, "reported_by": admin},
                )
