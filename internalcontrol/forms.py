"""Forms of internal control: a plan, a risk, a control, adopting, a result."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.action_forms import DateInput
from organisation import access
from organisation.models import OrgUnit

from .models import Control, ControlPlan, ResultKind, Risk

# A plan's year: a typing mistake (1, 65536) is refused, not stored.
YEAR_MIN, YEAR_MAX = 2000, 2100


class PlanForm(forms.ModelForm):
    class Meta:
        model = ControlPlan
        fields = ["unit", "year", "probability_levels", "consequence_levels", "is_public"]
        labels = {
            "unit": _("Nämnd eller styrelse"),
            "year": _("År"),
            "probability_levels": _("Nivåer för sannolikhet"),
            "consequence_levels": _("Nivåer för konsekvens"),
            "is_public": _("Offentlig"),
        }
        help_texts = {
            "probability_levels": _("2–6; oftast 4."),
            "consequence_levels": _("2–6; oftast 4."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = access.editable_unit_ids(user)
        # Usually a nämnd or styrelse; a förvaltning may keep its own plan too.
        units = OrgUnit.objects.active()
        if editable is not None:
            units = units.filter(pk__in=editable)
        self.fields["unit"].queryset = units.order_by("name")
        self.fields["unit"].empty_label = None

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not YEAR_MIN <= year <= YEAR_MAX:
            raise forms.ValidationError(
                _("Ange ett år mellan %(min)s och %(max)s."),
                params={"min": YEAR_MIN, "max": YEAR_MAX},
            )
        return year


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = ["process", "title", "description", "probability", "consequence", "chosen"]
        labels = {
            "process": _("Process"),
            "title": _("Risk"),
            "description": _("Beskrivning"),
            "probability": _("Sannolikhet"),
            "consequence": _("Konsekvens"),
            "chosen": _("Granskas i planen"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ControlForm(forms.ModelForm):
    class Meta:
        model = Control
        fields = ["title", "method", "frequency", "owner", "timing"]
        labels = {
            "title": _("Kontroll"),
            "method": _("Metod"),
            "frequency": _("Frekvens"),
            "owner": _("Ansvarig"),
            "timing": _("Tidpunkt"),
        }
        help_texts = {
            "frequency": _("T.ex. ”Varje tertial”."),
            "timing": _("T.ex. ”April och augusti”."),
        }
        widgets = {"method": forms.Textarea(attrs={"rows": 3})}


class AdoptForm(forms.Form):
    decided_by = forms.CharField(label=_("Beslutande organ"), max_length=200)
    decided_on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False)
    diary_number = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Resultat"), choices=ResultKind.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Krävs vid avvikelse; en åtgärd skapas då för enhetens styrkort."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanEditForm(forms.Form):
    """The plan's settings after creation; an adopted plan's matrix size is shown but fixed."""

    probability_levels = forms.IntegerField(
        label=_("Nivåer för sannolikhet"), min_value=2, max_value=6, help_text=_("2–6; oftast 4.")
    )
    consequence_levels = forms.IntegerField(
        label=_("Nivåer för konsekvens"), min_value=2, max_value=6, help_text=_("2–6; oftast 4.")
    )
    is_public = forms.BooleanField(
        label=_("Offentlig"), required=False, help_text=_("Visa planen och resultaten för alla.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, plan, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "probability_levels": plan.probability_levels,
                "consequence_levels": plan.consequence_levels,
                "is_public": plan.is_public,
                "version": plan.version,
            },
        )
        super().__init__(*args, **kwargs)
        if plan.is_adopted:
            fixed = _("Planen är fastställd, så matrisens storlek kan inte ändras.")
            for name in ("probability_levels", "consequence_levels"):
                self.fields[name].disabled = True
                self.fields[name].help_text = fixed
