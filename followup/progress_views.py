"""An occasion's progress per unit on its page, and the button that reminds those who are late.

The reminder is the daily job's (``reminders``): the button queues ``send_occasion_reminders_task``
for the chosen scorecards, and, like the job, nobody gets two reminders for an occasion the same
day (``ReminderSent``). It works without JavaScript: one form, one button per unit and one for all.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisation import access

from .models import FollowUpOccasion, ReminderSent
from .progress import SORTS, occasion_cards, occasion_progress
from .reminders import recipients_by_unit
from .tasks import send_occasion_reminders_task

ALL = "alla"


# Rows on one page of the progress table. A large city has a thousand scorecards: drawn all at
# once, the table cost more than counting them (docs/performance.md). Sorted first, then cut, so
# "what is missing" still comes first, on page 1.
PAGE_SIZE = 100


def progress_context(request: HttpRequest, occasion: FollowUpOccasion, cards) -> dict:
    """The occasion page's progress table, sorted by ``?sort=`` and cut in pages (``?sida=``),
    and what may be reminded (of every row, not only the page's)."""
    sort = request.GET.get("sort", "")
    sort = sort if sort in SORTS else "namn"
    today = timezone.localdate()
    rows = occasion_progress(occasion, cards, today=today, sort=sort)
    remindable = [r for r in rows if r.values_missing and not r.locked]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sida"))
    return {
        "cards": page.object_list,  # the table's rows on this page; each has ``card``
        "page": page,
        "row_count": len(rows),
        "sort": sort,
        "sorts": list(SORTS.items()),
        "past_deadline": occasion.deadline < today,
        "late_count": sum(1 for r in rows if r.overdue),
        "remindable": {r.card.pk for r in remindable},
        "can_remind": bool(remindable) and access.can_send_reminders(request.user),
    }


@login_required
@require_POST
def occasion_remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue reminders for one scorecard (``styrkort``=its id) or for every one lacking values
    (``styrkort``=alla). Bad input, a locked occasion or nobody left to remind: a message, and
    nothing is queued."""
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    access.require(access.can_send_reminders(request.user))
    back = redirect("occasion_detail", pk=occasion.pk)
    if occasion.is_locked:
        messages.error(
            request, _("%(occasion)s är låst. Ingen påminnelse skickades.") % {"occasion": occasion}
        )
        return back
    cards = occasion_cards(occasion, access.visible_scorecards_q(request.user))
    rows = occasion_progress(occasion, cards, today=timezone.localdate())
    chosen, problem = _chosen(request.POST.get("styrkort", ""), rows)
    if problem:
        messages.error(request, problem)
        return back
    if not chosen:
        messages.info(request, _("Inga utfall saknas. Ingen påminnelse behövs."))
        return back
    pending = _not_yet_reminded(occasion, [r.card for r in chosen])
    if not pending:
        messages.info(
            request,
            _(
                "Alla som ska påminnas har redan fått en påminnelse i dag, eller saknar "
                "e-postadress. Inget skickades."
            ),
        )
        return back
    send_occasion_reminders_task.enqueue(
        occasion_id=occasion.pk, scorecard_ids=[r.card.pk for r in chosen]
    )
    messages.success(
        request,
        ngettext(
            "Påminnelse skickas till %(people)d person för %(units)s.",
            "Påminnelser skickas till %(people)d personer för %(units)s.",
            len(pending),
        )
        % {"people": len(pending), "units": ", ".join(r.card.unit.name for r in chosen)},
    )
    return back


def _chosen(raw: str, rows) -> tuple[list, str]:
    """(the rows to remind, a Swedish message when the input is wrong)."""
    lacking = [r for r in rows if r.values_missing and not r.locked]
    if raw == ALL:
        return lacking, ""
    try:
        wanted = int(raw)
    except ValueError:
        return [], _("Välj ett styrkort att påminna om. Ingen påminnelse skickades.")
    row = next((r for r in rows if r.card.pk == wanted), None)
    if row is None:
        return [], _("Styrkortet finns inte vid tillfället. Ingen påminnelse skickades.")
    if row.locked:
        return [], _("%(unit)s är låst för tillfället. Ingen påminnelse skickades.") % {
            "unit": row.card.unit.name
        }
    return ([row] if row.values_missing else []), ""


def _not_yet_reminded(occasion: FollowUpOccasion, cards) -> set[int]:
    """Ids of the people a reminder would go to (with an e-mail address) not reminded today."""
    by_unit = recipients_by_unit({c.unit_id for c in cards})
    people = {u.pk for users in by_unit.values() for u in users if u.email}
    done = set(
        ReminderSent.objects.filter(
            occasion=occasion, day=timezone.localdate(), user_id__in=people
        ).values_list("user_id", flat=True)
    )
    return people - done
