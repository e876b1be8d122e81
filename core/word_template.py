"""The municipality's Word template: uploaded, replaced or removed on /administration/wordmall/,
kept in Django's default storage, read by the year reports' Word export.

A file is accepted only if it is a .docx or .dotx that python-docx opens (``core.wordfile``):
anything else gets a Swedish message and changes nothing. Replacing or removing deletes the old
file once the new state is saved. ``template_file()`` is what an export passes to
``yearreports.render.to_docx(document, template_path=…)``.
"""

import logging
from io import BytesIO

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisation import access

from .models import SiteSettings
from .uploads import validate_upload
from .wordfile import WordFileError, open_word

logger = logging.getLogger(__name__)
MAX_BYTES = 10 * 1024 * 1024
KINDS = ("docx", "dotx")


class WordTemplateForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Word-mall"),
        help_text=gettext_lazy("En Word-fil (.docx) eller Word-mall (.dotx), högst 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".docx,.dotx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_upload(file, kinds=KINDS, max_bytes=MAX_BYTES)
        try:
            open_word(file.read())
        except WordFileError:
            raise ValidationError(
                _(
                    "Filen går inte att öppna som Word-dokument. Spara mallen i Word som .docx "
                    "eller .dotx och försök igen."
                ),
                code="not_word",
            ) from None
        finally:
            file.seek(0)
        return file


def current_name() -> str:
    row = SiteSettings.objects.filter(pk=1).first()
    return row.word_template.name if row and row.word_template else ""


def template_file() -> BytesIO | None:
    """The stored template as a file to read, or None when there is none (or it is gone from
    the storage: the export then uses plain styles rather than failing)."""
    name = current_name()
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return BytesIO(handle.read())
    except OSError:
        logger.warning("Word template %s is missing from the storage", name)
        return None


def replace(file) -> None:
    """Store ``file`` (already validated) as the template; the old file goes once saved."""
    with transaction.atomic():
        row, _created = SiteSettings.objects.select_for_update().get_or_create(pk=1)
        old = row.word_template.name
        row.word_template.save(file.name, file, save=False)
        row.save()
        new = row.word_template.name
    if old and old != new:
        _delete(old)


def remove() -> bool:
    with transaction.atomic():
        row = SiteSettings.objects.select_for_update().filter(pk=1).first()
        if row is None or not row.word_template:
            return False
        old = row.word_template.name
        row.word_template = ""
        row.save()
    _delete(old)
    return True


def _delete(name: str) -> None:
    try:
        default_storage.delete(name)
    except OSError:  # a file left behind costs space, not the change
        logger.warning("Old Word template %s could not be deleted", name, exc_info=True)


@login_required
def word_template(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_structure(request.user))
    form = WordTemplateForm()
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            if remove():
                messages.success(request, _("Word-mallen är borttagen."))
            return redirect("word_template")
        form = WordTemplateForm(request.POST, request.FILES)
        if form.is_valid():
            replace(form.cleaned_data["file"])
            messages.success(request, _("Word-mallen är sparad."))
            return redirect("word_template")
    name = current_name()
    size = None
    if name:
        try:
            size = filesizeformat(default_storage.size(name))
        except OSError:
            size = None
    context = {
        "form": form,
        "name": name.rsplit("/", 1)[-1],
        "size": size,
        "missing": bool(name) and size is None,
    }
    return render(request, "core/word_template.html", context)
