"""The scorecard and follow-up PDF reports: their HTML, made the same way by the page (for the
file's key) and by the worker (for the file), so both arrive at the same key.

Rendered without a request (the worker has none): what the page's context processors would add
and the report shows (the municipality's name) is put in here. ``generated`` is the date on the
cover, chosen by the page and handed to the job, so a job that runs after midnight still makes
the file the page waits for.
"""

from datetime import date

from django.template.loader import render_to_string

from core.site import site_settings
from followup.models import FollowUpOccasion
from scorecards.models import Scorecard

from .data import followup_reports, scorecard_report
from .imports import MONTHS

SCORECARD = "reports/pdf/scorecard.html"
FOLLOWUP = "reports/pdf/followup.html"


def period(occasion: FollowUpOccasion) -> str:
    return f"{MONTHS[0]}–{MONTHS[occasion.end_month - 1]} {occasion.year}"


def _common(generated: date) -> dict:
    return {"generated": generated, "MUNICIPALITY_NAME": site_settings().name}


def scorecard_html(card: Scorecard, generated: date) -> str:
    context = {"card": card, "report": scorecard_report(card)} | _common(generated)
    return render_to_string(SCORECARD, context)


def followup_html(card: Scorecard, occasion: FollowUpOccasion, generated: date) -> str:
    context = {
        "card": card,
        "occasion": occasion,
        "report": followup_reports([card], occasion, charts=True)[0],
        "period": period(occasion),
        "end_month_name": MONTHS[occasion.end_month - 1],
    } | _common(generated)
    return render_to_string(FOLLOWUP, context)


def scorecard_filename(card: Scorecard) -> str:
    return f"styrkort-{card.unit.code}-{card.year}.pdf"


def followup_filename(card: Scorecard, occasion: FollowUpOccasion) -> str:
    return f"uppfoljning-{card.unit.code}-{occasion.year}-{occasion.end_month:02d}.pdf"
