"""Forms for assignments: register/edit, report a status at an occasion, close."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followup.action_forms import DateInput
from organisation import access
from organisation.models import OrgUnit
from reports.forms import ImportForm
from scorecards.models import Goal

from .models import Assignment, AssignmentStatus

# Dates outside these years are typing mistakes (year 1 or 9999), never a decision or deadline.
FIRST_YEAR, LAST_YEAR = 1900, 2100
# A chosen id beyond a 64-bit integer makes SQLite's "IN" lookup overflow (a 500); refuse it.
MAX_PK = 2**63 - 1


class BoundedChoices(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for pk in value:
            text = str(pk).strip()
            if text.lstrip("-").isdigit() and text.isascii() and abs(int(text)) > MAX_PK:
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:20]},
                )
        return super()._check_values(value)


def check_year(value):
    """A date within FIRST_YEAR–LAST_YEAR, with a Swedish message."""
    if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise forms.ValidationError(
            _("Ange ett datum mellan år %(first)s och %(last)s."),
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


class UnitChoiceField(BoundedChoices):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class GoalChoiceField(BoundedChoices):
    def label_from_instance(self, obj: Goal) -> str:
        return f"{obj.title} ({obj.scorecard.unit.name} {obj.scorecard.year})"


class AssignmentForm(forms.ModelForm):
    receivers = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Mottagare"),
        help_text=_("En eller flera enheter som får uppdraget; var och en följer upp det."),
        widget=forms.CheckboxSelectMultiple,
    )
    goals = GoalChoiceField(
        queryset=Goal.objects.none(),
        label=_("Mål som uppdraget stödjer"),
        required=False,
        help_text=_("Valfritt. Håll ned Ctrl (Cmd på Mac) för att välja flera."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Assignment
        fields = [
            "issuer",
            "decided_by",
            "decided_on",
            "paragraph",
            "diary_number",
            "title",
            "text",
            "deadline",
        ]
        labels = {
            "issuer": _("Utfärdande enhet"),
            "decided_by": _("Beslutande organ"),
            "decided_on": _("Beslutsdatum"),
            "paragraph": _("Paragraf"),
            "diary_number": _("Diarienummer"),
            "title": _("Rubrik"),
            "text": _("Uppdragets text"),
            "deadline": _("Ska vara klart"),
        }
        help_texts = {
            "issuer": _("Enheten vars organ beslutade, t.ex. kommunen för fullmäktige."),
            "decided_on": _("Med ett beslutsdatum är uppdraget offentligt."),
            "title": _("T.ex. ”Utreda fler laddplatser vid kommunens lokaler”."),
        }
        widgets = {
            "decided_on": DateInput(),
            "deadline": DateInput(),
            "text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = access.editable_unit_ids(user)
        units = OrgUnit.objects.active().order_by("name")
        issuers = units if editable is None else units.filter(pk__in=editable)
        self.fields["issuer"].queryset = issuers
        self.fields["issuer"].empty_label = None
        self.fields["receivers"].queryset = units
        self.fields["goals"].queryset = (
            Goal.objects.filter(access.visible_scorecards_q(user, "scorecard__"))
            .select_related("scorecard__unit")
            .order_by("-scorecard__year", "scorecard__unit__name", "title")
        )
        if self.instance.pk:
            self.fields["receivers"].initial = [r.unit_id for r in self.instance.receivers.all()]
            self.fields["goals"].initial = list(self.instance.goals.values_list("pk", flat=True))
            self.fields["version"].initial = self.instance.version

    def clean_decided_on(self):
        return check_year(self.cleaned_data.get("decided_on"))

    def clean_deadline(self):
        return check_year(self.cleaned_data.get("deadline"))

    def clean(self):
        cleaned = super().clean()
        decided, deadline = cleaned.get("decided_on"), cleaned.get("deadline")
        if decided and deadline and deadline < decided:
            self.add_error(
                "deadline",
                _("Datumet då uppdraget ska vara klart kan inte ligga före beslutsdatumet."),
            )
        return cleaned


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=AssignmentStatus.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Vad är gjort och vad återstår? Krävs för ”Avslutat, ej genomfört” och ”Ersatt”."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CloseForm(forms.Form):
    close_decided_by = forms.CharField(label=_("Beslutande organ"), max_length=200, required=False)
    close_decided_on = forms.DateField(label=_("Beslutsdatum"), required=False, widget=DateInput())
    close_paragraph = forms.CharField(label=_("Paragraf"), max_length=20, required=False)
    close_diary_number = forms.CharField(label=_("Diarienummer"), max_length=60, required=False)
    close_comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Varför uppdraget avslutas, om inget beslut finns."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def clean_close_decided_on(self):
        return check_year(self.cleaned_data.get("close_decided_on"))


class AssignmentImportForm(ImportForm):
    """The file and the unit whose body issued the file's assignments (its editors may)."""

    issuer = forms.ModelChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Utfärdande enhet"), empty_label=None
    )
    field_order = ["issuer", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        editable = access.editable_unit_ids(user)
        units = OrgUnit.objects.active().order_by("name")
        self.fields["issuer"].queryset = (
            units if editable is None else units.filter(pk__in=editable)
        )
