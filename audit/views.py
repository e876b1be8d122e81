from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from organisation import access

from .models import AuditEntry, Event

PAGE_SIZE = 100


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The security log for administrators, newest first, filtered by event."""
    access.require(access.can_operate(request.user))
    entries = AuditEntry.objects.select_related("user")
    chosen = request.GET.get("handelse", "")
    if chosen in Event.values:
        entries = entries.filter(event=chosen)
    else:
        chosen = ""
    if who := request.GET.get("person", "").strip()[:150]:
        entries = entries.filter(username__icontains=who)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {"page": page, "events": Event.choices, "chosen": chosen, "who": who}
    return render(request, "audit/audit_log.html", context)
