"""Forms for occasions and assessments. Rules live in ``assessments.py``; forms collect input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import scales
from .assessments import DEFAULT_OCCASIONS
from .models import FollowUpOccasion


class OccasionDefaultsForm(forms.Form):
    """One deadline per default occasion of a year; fields are named ``deadline_<end month>``.

    An empty deadline means the default one for a new occasion and no change for an existing one.
    """

    def __init__(self, *args, year: int, existing: dict[int, FollowUpOccasion], **kwargs):
        super().__init__(*args, **kwargs)
        for default in DEFAULT_OCCASIONS:
            occasion = existing.get(default.end_month)
            field = forms.DateField(
                label=_("Sista dag för rapportering: %(name)s %(year)s")
                % {"name": default.name, "year": year},
                required=False,
                initial=occasion.deadline if occasion else default.deadline(year),
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            if occasion and occasion.is_locked:
                field.disabled = True
                field.help_text = _("Tillfället är låst; dess sista dag ändras inte.")
            elif occasion:
                field.help_text = _("Tillfället finns redan; en ändrad dag sparas.")
            self.fields[f"deadline_{default.end_month}"] = field

    @property
    def deadlines(self) -> dict[int, object]:
        return {
            d.end_month: self.cleaned_data[f"deadline_{d.end_month}"] for d in DEFAULT_OCCASIONS
        }


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till att tillfället öppnas igen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Skälet sparas i loggen tillsammans med ditt namn och tidpunkten."),
        error_messages={"required": _("Ange skälet till att tillfället öppnas igen.")},
    )


class AssessmentForm(forms.Form):
    """One goal's assessment. Prefixed per goal, so a page can hold one form per goal."""

    status = forms.ChoiceField(
        label=_("Bedömning"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj en bedömning.")},
    )
    analysis = forms.CharField(
        label=_("Analys"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad visar utfallen, och varför?"),
    )
    forecast = forms.CharField(
        label=_("Prognos för året"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deviation_comment = forms.CharField(
        label=_("Motivering av avvikelse från förslaget"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när bedömningen skiljer sig från den föreslagna."),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, initial=0)

    def __init__(self, *args, scale: scales.Scale, **kwargs):
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.fields["status"].choices = scale.form_choices

    def options(self) -> list[tuple[object, scales.Choice]]:
        """The radio buttons with their choices, so a template can show each choice's icon."""
        return list(zip(self["status"], self.scale.choices, strict=True))

    @classmethod
    def initial_from(cls, assessment) -> dict:
        if assessment is None:
            return {"version": 0}
        return {
            "status": assessment.status,
            "analysis": assessment.analysis,
            "forecast": assessment.forecast,
            "deviation_comment": assessment.deviation_comment,
            "version": assessment.version,
        }


class SummaryForm(forms.Form):
    text = forms.CharField(
        label=_("Sammanfattande analys"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv den sammanfattande analysen.")},
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)
