from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    """The file only: its type, size and content are checked by ``imports.batch_create``."""

    file = forms.FileField(
        label=_("Fil"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Excel (.xlsx) eller CSV (.csv) med semikolon, högst %(max)s."
        ) % {"max": filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)}
