"""A report section: writing (a textarea of Markdown-like text, yearreports/markup.py, and a
preview; no JavaScript needed), marking ready, sending back with a reason, approving, quoting a
child's text, hiding."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation import access

from .. import workflow
from ..build import section_blocks
from ..forms import SectionTextForm, SendBackForm
from ..models import ReportSection

__all__ = [
    "section_edit", "section_ready", "section_send_back", "section_approve", "section_quote",
    "section_hide",
]  # fmt: skip


def _section(request, pk: int, need: int = access.READ) -> ReportSection:
    section = get_object_or_404(ReportSection.objects.select_related("report"), pk=pk)
    section.report = access.report_for(request.user, section.report_id, need=need)
    return section


def _version(request) -> int | None:
    """The version the writer saw; a garbled one is never current (so it is refused as stale)."""
    raw = request.POST.get("version", "")
    if raw == "":
        return None
    # isascii: str.isdigit() also accepts "²" and other digits int() refuses.
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else -1


def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    section = _section(request, pk)
    report, user = section.report, request.user
    may_write = (
        access.can_write_report(user, report) and not report.is_completed and section.free_text
    )
    form, preview = None, None
    if request.method == "POST" and request.headers.get("X-Autosave") == "1":
        return _autosave(request, section)
    if request.method == "POST":
        access.require(access.can_write_report(user, report))
        form = SectionTextForm(request.POST, stored=section.text)
        if form.is_valid() and "preview" in request.POST:
            # Förhandsgranska: the text as it will look, nothing saved (works without JS).
            preview = form.cleaned_data["text"] or "<p></p>"
        elif form.is_valid():
            try:
                workflow.write(section, user, **form.cleaned_data)
            except workflow.Refused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("Avsnittet har sparats."))
                return redirect("yearreports:section_edit", pk=section.pk)
    elif may_write and section.state == "draft":
        form = SectionTextForm(stored=section.text, initial={"version": section.version})
    context = {
        "section": section,
        "report": report,
        "form": form,
        "preview": preview,
        "blocks": section_blocks(section, report) if section.blocks else [],
        "children": workflow.child_sections(section) if may_write else [],
        "may_write": may_write,
        "may_approve": access.can_approve_report(user, report) and not report.is_completed,
        "send_back_form": SendBackForm(initial={"version": section.version}),
        "history": section.history.select_related("history_user").order_by("-history_date")[:20],
    }
    return render(request, "yearreports/section_edit.html", context)


def _autosave(request, section: ReportSection) -> JsonResponse:
    """The writing page's script saves the text while it is written, through the same rule and
    version guard as the form: a writer who saw an older version gets 409 and keeps their text
    in the browser, so two writers never overwrite each other unseen."""
    access.require(access.can_write_report(request.user, section.report))
    form = SectionTextForm(request.POST, stored=section.text)
    if not form.is_valid():
        return JsonResponse(
            {"error": " ".join(m for ms in form.errors.values() for m in ms)}, status=400
        )
    try:
        saved = workflow.write(section, request.user, **form.cleaned_data)
    except workflow.Refused as refused:
        return JsonResponse({"error": str(refused)}, status=409)
    at = timezone.localtime().strftime("%H:%M")
    return JsonResponse(
        {"version": saved.version, "message": _("Utkastet sparades %(at)s.") % {"at": at}}
    )


def _act(request, section, action, success: str, **kwargs) -> HttpResponse:
    try:
        action(section, request.user, version=_version(request), **kwargs)
    except workflow.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success)
    return redirect("yearreports:section_edit", pk=section.pk)


@require_POST
@login_required
def section_ready(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk, need=access.REPORT)
    return _act(request, section, workflow.mark_ready, _("Avsnittet är klarmarkerat."))


@login_required
def section_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk, need=access.EDIT)
    form = SendBackForm(
        request.POST if request.method == "POST" else None, initial={"version": section.version}
    )
    if form.is_valid():
        try:
            workflow.send_back(section, request.user, **form.cleaned_data)
        except workflow.Refused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Avsnittet har skickats tillbaka till skribenterna."))
            return redirect("yearreports:section_edit", pk=section.pk)
    return render(request, "yearreports/send_back.html", {"section": section, "form": form})


@require_POST
@login_required
def section_approve(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk, need=access.EDIT)
    return _act(request, section, workflow.approve, _("Avsnittet är godkänt."))


@require_POST
@login_required
def section_quote(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk, need=access.REPORT)
    raw = str(request.POST.get("source", ""))
    wanted = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    source = ReportSection.objects.select_related("report__unit").filter(pk=wanted).first()
    if source is None:
        messages.error(request, _("Välj en text att citera."))
        return redirect("yearreports:section_edit", pk=section.pk)
    return _act(request, section, workflow.quote, _("Texten har citerats in."), source=source)


@require_POST
@login_required
def section_hide(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk, need=access.EDIT)
    hidden = not section.hidden
    try:
        workflow.set_hidden(section, request.user, hidden=hidden)
    except workflow.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Avsnittet är dolt.") if hidden else _("Avsnittet visas igen."))
    return redirect(section.report)
