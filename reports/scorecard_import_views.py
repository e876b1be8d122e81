"""Existing scorecards from a workbook: template and upload, preview, confirm.

The upload's rows are kept in the session until the preview is confirmed (like the first-run
organisation import); the apply plans them again, so nothing stale is written. Each row's unit is
checked with ``access.can_edit`` by the planner. The page's own question is
``access.can_define_indicators`` (an editor anywhere): the import may create indicators too.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from organisation import access

from . import scorecard_import
from .forms import ImportForm
from .imports import Plan

SESSION_KEY = "scorecard_import"


def _render_start(request: HttpRequest, form: ImportForm) -> HttpResponse:
    # One workbook with three sheets: a CSV file cannot hold it.
    form.fields["file"].widget.attrs["accept"] = ".xlsx"
    form.fields["file"].help_text = _(
        "En Excel-arbetsbok (.xlsx) med bladen Mål, Strategier och Mätetal, högst %(max)s."
    ) % {"max": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}
    return render(request, "reports/scorecard_import_start.html", {"form": form})


@login_required
def scorecard_import_start(request: HttpRequest) -> HttpResponse:
    """The page with the template link (GET), and reading an upload (POST)."""
    access.require(access.can_define_indicators(request.user))
    if request.method != "POST":
        return _render_start(request, ImportForm(prefix="fil"))
    form = ImportForm(request.POST, request.FILES, prefix="fil")
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = scorecard_import.read_workbook(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            name = (getattr(upload, "name", "") or "")[-255:]
            request.session[SESSION_KEY] = {"records": records, "filename": name}
            return redirect("scorecard_import_preview")
    return _render_start(request, form)


@login_required
def scorecard_import_template(request: HttpRequest) -> HttpResponse:
    access.require(access.can_define_indicators(request.user))
    response = HttpResponse(
        scorecard_import.scorecard_template(), content_type=scorecard_import.XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="styrkort-mall.xlsx"'
    return response


@login_required
def scorecard_import_preview(request: HttpRequest) -> HttpResponse:
    """The plan of the uploaded workbook (GET), and confirming or cancelling it (POST)."""
    access.require(access.can_define_indicators(request.user))
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.info(request, _("Ingen fil väntar på bekräftelse. Ladda upp filen igen."))
        return redirect("scorecard_import_start")
    records = stored["records"]
    if request.method == "POST":
        if "cancel" in request.POST:
            del request.session[SESSION_KEY]
            messages.info(request, _("Importen är avbruten. Inget har sparats."))
            return redirect("scorecard_import_start")
        try:
            cards = scorecard_import.scorecard_apply(records=records, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("scorecard_import_preview")
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _("Styrkorten är importerade som utkast: %(names)s.")
            % {"names": ", ".join(f"{c.unit.name} {c.year}" for c in cards)},
        )
        return redirect(
            cards[0].get_absolute_url() if len(cards) == 1 else "scorecard_import_start"
        )
    plan: Plan = scorecard_import.scorecard_plan(records, user=request.user)
    context = {
        "plan": plan,
        "errors": sorted(plan.errors, key=lambda e: (e.column.split(",")[0], e.row)),
        "changes": plan.changes,
        "filename": stored.get("filename", ""),
    }
    return render(request, "reports/scorecard_import_preview.html", context)
