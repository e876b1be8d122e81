"""One save for every goal of an occasion on a scorecard's follow-up page.

Only goals whose fields changed are saved (an untouched goal keeps the suggestion preselected and
stays unassessed). All or nothing: if one goal's assessment is refused (a missing deviation
comment, someone else saved it in between) none is saved, and the page comes back with
everything that was written, the faults listed at the top and next to their goals.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from . import scales
from .assessments import StaleVersion, goal_followups, locked_message, save_assessment
from .locking import PeriodLocked


class _Refused(Exception):
    """Rolls back the goals already saved when a later one is refused."""


def save_all(page) -> HttpResponse:
    """``page`` is the ``assessment_views.FollowUpPage`` of the request."""
    request = page.request
    # isascii and the length: "²" passes isdigit() but not int(), 40 digits overflow SQLite's IN.
    wanted = {
        int(pk)
        for pk in request.POST.getlist("goals")
        if pk.isascii() and pk.isdigit() and len(pk) < 19
    }
    goals = list(page.goals().select_related("scorecard").filter(pk__in=wanted))
    if page.locked:
        messages.error(request, locked_message(page.occasion))
        return redirect(page.url)
    items = goal_followups(goals, page.occasion, page.scale)
    changed = []
    for item in items:
        item.notice = item.problem = ""
        item.unsaved = None
        initial = page.goal_form(item).initial
        form = page.assessment_form(item.goal.pk, data=request.POST, initial=initial)
        page.prepare(item, form)
        if form.has_changed():
            changed.append(item)
    faulty = [item for item in changed if not item.form.is_valid()]
    if not faulty:
        try:
            with transaction.atomic():
                faulty = _save(page, changed)
                if faulty:
                    raise _Refused
        except _Refused:
            pass
        except PeriodLocked as error:
            messages.error(request, error.messages[0])
            return redirect(page.url)
    if faulty:
        return page.render(
            posted_items={item.goal.pk: item for item in items}, save_all_faults=faulty
        )
    if len(changed) == 1:
        messages.success(request, _("Bedömningen av målet har sparats."))
    elif changed:
        messages.success(request, _("%(n)s bedömningar har sparats.") % {"n": len(changed)})
    else:
        messages.info(request, _("Inget hade ändrats, så inget sparades."))
    return redirect(page.url)


def _save(page, changed) -> list:
    """Save each changed goal; the ones refused, each with its reason on its form or item."""
    faulty = []
    for item in changed:
        data = item.form.cleaned_data
        try:
            save_assessment(
                goal=item.goal,
                occasion=page.occasion,
                user=page.request.user,
                data=data,
                version=data["version"],
            )
        except StaleVersion as error:
            item.assessment = error.current
            item.problem = error.messages[0]
            item.unsaved = data
            item.unsaved_choice = scales.choice_for(data["status"], page.scale)
            page.prepare(item, page.goal_form(item))
            faulty.append(item)
        except ValidationError as error:
            item.form.add_error(None, error)
            faulty.append(item)
    return faulty
