"""The form for an improvement action; the goal is fixed by the URL, not chosen in the form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from scorecards.models import Goal, Metric

from .models import Action


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MetricChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Metric) -> str:
        return obj.indicator.name


class ActionForm(forms.ModelForm):
    metric = MetricChoiceField(
        queryset=Metric.objects.none(),
        label=_("Startad från mätetal"),
        required=False,
        help_text=_("Mätetalet som inte når sitt mål och som åtgärden ska förbättra."),
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "strategy",
            "metric",
            "owner",
            "start_date",
            "due_date",
            "state",
            "progress",
        ]
        labels = {
            "title": _("Aktivitet"),
            "description": _("Beskrivning"),
            "strategy": _("Strategi"),
            "owner": _("Ansvarig"),
            "start_date": _("Startdatum"),
            "due_date": _("Klart senast"),
            "state": _("Status"),
            "progress": _("Lägesbeskrivning"),
        }
        help_texts = {
            "owner": _("Person eller funktion, t.ex. ”Enhetschef fastighet”."),
            "progress": _("Hur arbetet går just nu: vad som är gjort och vad som återstår."),
        }
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "progress": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, goal: Goal, **kwargs):
        """``goal``: the goal the action belongs to; strategies and metrics are chosen from it."""
        super().__init__(*args, **kwargs)
        self.instance.goal = goal
        self.fields["strategy"].queryset = goal.strategies.all()
        self.fields["strategy"].empty_label = _("Ingen särskild strategi")
        self.fields["metric"].queryset = goal.metrics.select_related("indicator")
        self.fields["metric"].empty_label = _("Inget mätetal")

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", _("Slutdatumet kan inte vara före startdatumet."))
        return cleaned
