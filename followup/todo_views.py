""" "Att göra": the landing page after sign-in for everyone with a role (``LOGIN_REDIRECT_URL``).
People without a role are sent on to the municipality's scorecard, as before."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from organisation import access

from .models import FollowUpOccasion
from .todo import tasks_for

# A long list is no list: the first tasks, and how many more (an administrator of a large city
# follows the rest on the occasions' pages).
TASKS_SHOWN = 100


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    if not access.has_any_role(request.user):
        return redirect("home")
    today = timezone.localdate()
    tasks = tasks_for(request.user, today)
    for task in tasks:
        task.is_overdue = task.overdue(today)
    occasions = []
    if access.can_send_reminders(request.user):  # whoever reminds follows the open occasions
        occasions = FollowUpOccasion.objects.filter(
            locked_at__isnull=True, year__in=(today.year - 1, today.year)
        ).order_by("deadline")
    context = {
        "tasks": tasks[:TASKS_SHOWN],
        "more": max(0, len(tasks) - TASKS_SHOWN),
        "overdue": sum(1 for t in tasks if t.is_overdue),
        "total": len(tasks),
        "today": today,
        "occasions": occasions,
    }
    return render(request, "followup/todo.html", context)
