from django import forms
from django.utils.translation import gettext_lazy as _

from organisation.models import UnitKind

from . import blocks, markup
from .models import ReportTemplate, TemplateSection

# A deadline or decision date outside these years is a typing mistake (year 1, 9999).
FIRST_YEAR, LAST_YEAR = 2000, 2100
# A section's text: a long compiled section is some 50 000 characters; this bounds the parsing.
TEXT_MAX_LENGTH = 200_000


def _check_year(value):
    if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Ange ett datum mellan år %(first)s och %(last)s."),
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ReportTemplate
        fields = ["name", "kind", "year", "introduction"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Ange ett år mellan 2000 och 2100."))
        return year


class TemplateSectionForm(forms.ModelForm):
    blocks = forms.MultipleChoiceField(
        label=_("Datablock"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    class Meta:
        model = TemplateSection
        fields = ["heading", "guidance", "free_text", "blocks", "mandatory", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blocks"].choices = blocks.choices()


class DistributeForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Rapportmall"), queryset=ReportTemplate.objects.none()
    )
    kinds = forms.MultipleChoiceField(
        label=_("Nivåer i organisationen"),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline = forms.DateField(
        label=_("Sista dag"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Tomt: tillfällets sista dag för rapportering."),
    )  # fmt: skip

    def __init__(self, *args, occasion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ReportTemplate.objects.filter(year=occasion.year)

    def clean_deadline(self):
        return _check_year(self.cleaned_data.get("deadline"))


class SectionTextForm(forms.Form):
    """A section's text as the writer types it (yearreports.markup): the form hands on the HTML
    to store. Text sent back unchanged keeps the stored HTML as it was, so saving without editing
    changes nothing even where the stored HTML holds more than the text box can say."""

    text = forms.CharField(
        label=_("Text"), required=False,
        widget=forms.Textarea(
            attrs={"rows": 16, "aria-describedby": "id_text_helptext formatering"}
        ),
        help_text=_(
            "Skriv som vanlig text. En tom rad ger ett nytt stycke. Rubriker, listor, fetstil, "
            "kursiv, länkar, citat och tabeller skriver du med enkla tecken, se Så formaterar du "
            "texten."
        ),
    )  # fmt: skip
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, stored: str = "", **kwargs):
        self.stored = stored
        initial = kwargs.pop("initial", None) or {}
        if "text" not in initial:
            initial["text"] = markup.to_text(stored)
        super().__init__(*args, initial=initial, **kwargs)

    def clean_text(self):
        text = self.cleaned_data["text"]
        if self.stored and text.strip() == markup.to_text(self.stored).strip():
            return self.stored
        # Checked on changed text only: a compiled section stored longer must still save as it is.
        if len(text) > TEXT_MAX_LENGTH:
            raise forms.ValidationError(
                _("Texten är för lång: högst %(max)s tecken.") % {"max": f"{TEXT_MAX_LENGTH:,}"}
            )
        try:
            return markup.to_html(text)
        except markup.TooDeeplyNested:
            raise forms.ValidationError(
                _(
                    "Texten har för många listor eller citat i varandra för att kunna sparas. "
                    "Minska antalet nivåer och försök igen."
                )
            ) from None


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Skäl"), widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class OwnSectionForm(forms.Form):
    heading = forms.CharField(label=_("Rubrik"), max_length=200)
    guidance = forms.CharField(
        label=_("Anvisning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CompleteForm(forms.Form):
    body = forms.CharField(label=_("Beslutande organ"), max_length=200)
    date = forms.DateField(label=_("Beslutsdatum"), widget=forms.DateInput(attrs={"type": "date"}))
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False)
    diary_number = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)

    def clean_date(self):
        return _check_year(self.cleaned_data.get("date"))
