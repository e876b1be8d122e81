"""The steps every register import shares (assignments, a control plan's risks): the start page
with its template link and upload, the preview and the confirm.

The owning app's view checks access (``organisation.access``) and passes an ``Importer``: how to
read, plan and apply its rows. The upload's records stay in the session until the preview is
confirmed; the apply plans them again, so nothing stale is written.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .imports.registers import XLSX


@dataclass
class Importer:
    session_key: str  # which import, and for what (the issuer's or the plan's id)
    heading: str
    lead: str
    back_url: str
    back_label: str
    start_url: str
    template_url: str
    preview_url: str
    read: Callable  # upload → records
    plan: Callable  # records → (valid [(row, form)], errors [RowError])
    apply: Callable  # records → saved objects; ValidationError and nothing saved on any error
    describe: Callable  # a valid form → (name, details) for the preview table
    done_message: str


def template_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def start(request: HttpRequest, importer: Importer, form) -> HttpResponse:
    """The start page (GET or an invalid form), or reading a valid upload into the session."""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            records = importer.read(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            name = (getattr(upload, "name", "") or "")[-255:]
            request.session[importer.session_key] = {"records": records, "filename": name}
            return redirect(importer.preview_url)
    form.fields["file"].widget.attrs["accept"] = ".xlsx"
    context = {"importer": importer, "form": form}
    return render(request, "reports/register_import_start.html", context)


def preview(request: HttpRequest, importer: Importer) -> HttpResponse:
    """The rows the upload would create (GET), and confirming or cancelling them (POST)."""
    stored = request.session.get(importer.session_key)
    if not stored:
        messages.info(request, _("Ingen fil väntar på bekräftelse. Ladda upp filen igen."))
        return redirect(importer.start_url)
    records = stored["records"]
    if request.method == "POST":
        if "confirm" not in request.POST:
            del request.session[importer.session_key]
            messages.info(request, _("Importen är avbruten. Inget har sparats."))
            return redirect(importer.start_url)
        try:
            saved = importer.apply(records)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(importer.preview_url)
        del request.session[importer.session_key]
        messages.success(request, importer.done_message % {"count": len(saved)})
        return redirect(importer.back_url)
    valid, errors = importer.plan(records)
    context = {
        "importer": importer,
        "errors": sorted(errors, key=lambda e: e.row),
        "rows": [(number, *importer.describe(form)) for number, form in valid],
        "filename": stored.get("filename", ""),
    }
    return render(request, "reports/register_import_preview.html", context)
