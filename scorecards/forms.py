"""Forms for scorecards, goals, strategies, indicators, metrics and targets.

The business rules stay where they are: model ``clean()`` (Indicator, Target), ``chain`` for goal
links and ``services`` for creating and copying scorecards. These forms only collect the input
and put each rule's message next to the field it concerns.
"""

from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import number_fields
from core.wording import CODE_INVALID
from organisation import access
from organisation.forms import DateInput

from .adoption import REASON_MAX, needs_reason
from .chain import validate_contribution
from .models import (
    Comparator,
    Goal,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    Strategy,
    Target,
    TargetProfile,
)

YEAR_MIN, YEAR_MAX = 2000, 2100


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


class ChangeReasonMixin:
    """Asks why, when the form changes an adopted scorecard (``reason_for``): a change after the
    decision is marked "ändrat efter beslut" with its reason (``scorecards.adoption``)."""

    def __init__(self, *args, reason_for: Scorecard | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if reason_for is not None and needs_reason(reason_for):
            self.fields["change_reason"] = forms.CharField(
                label=_("Varför ändras det fastställda styrkortet?"),
                help_text=_(
                    "Styrkortet är fastställt. Ändringen markeras som ”ändrat efter beslut” "
                    "med ditt namn, tidpunkten och skälet."
                ),
                max_length=REASON_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": _(
                        "Styrkortet är fastställt: ange varför det ändras efter beslutet."
                    )
                },
            )

    @property
    def change_reason(self) -> str:
        return self.cleaned_data.get("change_reason", "")

    @property
    def changed_labels(self) -> list[str]:
        """The labels of the fields the user changed (not the reason itself)."""
        return [
            str(self.fields[name].label or name).lower()
            for name in self.changed_data
            if name != "change_reason"
        ]


class ChangeReasonForm(ChangeReasonMixin, forms.Form):
    """Only the reason: for removals from an adopted scorecard."""


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in a fieldset per group (perspective, unit) instead of Django's bare labels."""

    template_name = "scorecards/edit/widgets/grouped_checkboxes.html"


class GoalIdsField(forms.TypedMultipleChoiceField):
    """Goal ids as checkboxes. Any id passes the field, so the form's ``clean_<field>`` can say
    *why* a goal was refused instead of Django's generic "not one of the available choices"."""

    widget = GroupedCheckboxes

    def __init__(self, **kwargs):
        super().__init__(coerce=int, required=False, **kwargs)

    def valid_value(self, value) -> bool:
        return True


def _grouped(goals, key) -> list[tuple[str, list[tuple[int, str]]]]:
    groups: dict[str, list[tuple[int, str]]] = {}
    for goal, label in goals:
        groups.setdefault(key(goal), []).append((goal.pk, label))
    return list(groups.items())


class ScorecardCreateForm(forms.Form):
    """A unit's scorecard for a year, taking over chosen goals of the parent unit's scorecard."""

    year = year_field()
    take_over = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=GroupedCheckboxes)

    def __init__(self, *args, parent: Scorecard | None, **kwargs):
        """``parent``: the parent scorecard whose goals are offered, or None to offer none."""
        super().__init__(*args, **kwargs)
        self.parent_goals: dict[int, Goal] = {}
        field = self.fields["take_over"]
        if parent is None:
            del self.fields["take_over"]
            return
        goals = parent.goals.select_related("perspective").order_by(
            "perspective__order", "order", "pk"
        )
        self.parent_goals = {g.pk: g for g in goals}
        field.label = _("Ta över mål från %(unit)s") % {"unit": parent.unit.name}
        field.help_text = _(
            "Varje mål du väljer blir ett mål i det nya styrkortet, kopplat uppåt i målkedjan."
        )
        field.choices = _grouped(
            ((g, g.title) for g in self.parent_goals.values()), key=lambda g: g.perspective.name
        )

    def clean_take_over(self) -> list[Goal]:
        return [self.parent_goals[pk] for pk in self.cleaned_data["take_over"]]


class ScorecardForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Scorecard
        fields = ["introduction", "perspectives", "programme"]
        widgets = {"perspectives": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        card = self.instance
        self.fields["perspectives"].queryset = Perspective.objects.filter(
            Q(active=True) | Q(pk__in=card.perspectives.values("pk"))
        )
        self.fields["programme"].queryset = GoalProgramme.objects.all()

    def clean_programme(self) -> GoalProgramme:
        programme = self.cleaned_data["programme"]
        if not programme.covers(self.instance.year):
            raise ValidationError(
                _("%(programme)s gäller inte %(year)s."),
                params={"programme": programme, "year": self.instance.year},
            )
        return programme

    def clean_perspectives(self):
        chosen = self.cleaned_data["perspectives"]
        in_use = Perspective.objects.filter(goals__scorecard=self.instance).distinct()
        missing = [p.name for p in in_use if p not in chosen]
        if missing:
            raise ValidationError(
                _("Styrkortet har mål i %(names)s; flytta eller ta bort dem först."),
                params={"names": ", ".join(missing)},
            )
        return chosen


class ScorecardAdoptForm(forms.ModelForm):
    """The decision that adopts a scorecard (fastställer): who, when, paragraph, diary number."""

    class Meta:
        model = Scorecard
        fields = ["decided_by", "decided_on", "paragraph", "diary_number"]
        widgets = {"decided_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_by"].required = True
        self.fields["decided_on"].required = True
        if not self.instance.decided_on:
            # The instance's empty date is in ``initial`` already, so setdefault would keep it.
            self.initial["decided_on"] = date.today()


class ScorecardCopyForm(forms.Form):
    year = year_field(help_text=_("Mål, strategier, mätetal och målvärden följer med."))


class GoalForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["perspective", "title", "description", "prioritised", "order"]
        widgets = {"title": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A goal lives in one of its scorecard's perspectives, nowhere else.
        self.fields["perspective"].queryset = self.instance.scorecard.perspectives.all()


class GoalLinksForm(ChangeReasonMixin, forms.Form):
    """Which goals higher up the organisation this goal contributes to (the goal chain)."""

    contributes_to = GoalIdsField(
        label=_("Bidrar till"),
        help_text=_("Mål i överordnade enheters styrkort för samma år."),
    )

    def __init__(self, *args, goal: Goal, candidates: list[Goal], user, **kwargs):
        super().__init__(*args, **kwargs)
        self.goal, self.user = goal, user
        self.candidates = {g.pk: g for g in candidates}
        self.fields["contributes_to"].choices = _grouped(
            ((g, f"{g.title} ({g.perspective.name})") for g in candidates),
            key=lambda g: g.scorecard.unit.name,
        )

    def clean_contributes_to(self) -> list[Goal]:
        ids = list(dict.fromkeys(self.cleaned_data["contributes_to"]))
        targets = dict(self.candidates)
        others = [pk for pk in ids if pk not in targets]
        if others:
            targets.update(
                (g.pk, g) for g in Goal.objects.filter(pk__in=others).select_related("scorecard")
            )
        errors, chosen = [], []
        for pk in ids:
            target = targets.get(pk)
            if target is None or not access.can_view_scorecard(self.user, target.scorecard):
                errors.append(ValidationError(_("Det valda målet finns inte."), code="missing"))
                continue
            try:
                validate_contribution(self.goal, target)
            except ValidationError as error:
                errors.extend(error.error_list)
                continue
            chosen.append(target)
        if errors:
            raise ValidationError(errors)
        return chosen


class StrategyForm(ChangeReasonMixin, forms.ModelForm):
    class Meta:
        model = Strategy
        fields = ["text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "code",
            "description",
            "unit",
            "direction",
            "decimals",
            "frequency",
            "source",
            "kolada_kpi",
            "economy_figure",
            "aggregation",
            "aggregation_weight",
            "year_value",
            "target_profile",
            "plausible_min",
            "plausible_max",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        field_classes = number_fields("plausible_min", "plausible_max")
        error_messages = {
            "code": {
                "unique": _("Koden används redan av ett annat mätetal."),
                "invalid": CODE_INVALID,
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "Viktat medelvärde" needs the indicator whose values weigh the units (Indicator.clean
        # says so next to this field); an indicator cannot weigh itself.
        weight = self.fields["aggregation_weight"]
        weight.queryset = Indicator.objects.exclude(pk=self.instance.pk)
        weight.empty_label = _("Ingen vikt")
        self.fields["target_profile"].required = False  # left out: spread evenly

    def clean(self):
        cleaned = super().clean()
        cleaned["target_profile"] = cleaned.get("target_profile") or TargetProfile.PRO_RATA
        low, high = cleaned.get("plausible_min"), cleaned.get("plausible_max")
        if low is not None and high is not None and high < low:
            self.add_error(
                "plausible_max", _("Rimligt maximum kan inte vara lägre än rimligt minimum.")
            )
        return cleaned


class MetricForm(ChangeReasonMixin, forms.ModelForm):
    """An indicator on a goal. The instance must carry its goal (``Metric(goal=goal)``)."""

    class Meta:
        model = Metric
        fields = ["indicator", "weight", "order"]
        field_classes = number_fields("weight")

    def clean_indicator(self) -> Indicator:
        indicator = self.cleaned_data["indicator"]
        if Metric.objects.filter(goal=self.instance.goal, indicator=indicator).exists():
            raise ValidationError(_("Mätetalet finns redan på målet."), code="duplicate")
        return indicator

    def clean_weight(self):
        weight = self.cleaned_data["weight"]
        if weight < 0:
            raise ValidationError(_("Vikten kan inte vara negativ."), code="negative")
        return weight


class TargetForm(ChangeReasonMixin, forms.ModelForm):
    """A metric's target for one year; the empty comparator means "no target" (targets are
    optional). The instance must carry its metric and year."""

    class Meta:
        model = Target
        fields = [
            "comparator",
            "value",
            "value_high",
            "tolerance",
            "decided_by",
            "decided_on",
            "paragraph",
            "diary_number",
        ]
        widgets = {"decided_on": DateInput(), "comparator": forms.RadioSelect}
        field_classes = number_fields("value", "value_high", "tolerance")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        comparator = self.fields["comparator"]
        comparator.required = False
        comparator.choices = [("", _("Inget målvärde")), *Comparator.choices]
        comparator.help_text = _("Välj ”Inget målvärde” för att följa mätetalet utan mål.")
        self.fields["value"].required = False
        self.fields["tolerance"].required = False

    @property
    def has_target(self) -> bool:
        return bool(self.cleaned_data.get("comparator"))

    def clean_tolerance(self):
        tolerance = self.cleaned_data["tolerance"]
        return Decimal(0) if tolerance is None else tolerance

    def clean(self):
        cleaned = super().clean()
        if not self.has_target:
            if not self.has_error("comparator"):
                # "No target": whatever else was typed is ignored, so it cannot block the choice.
                kept = ("comparator", "change_reason")
                for name in [name for name in self.errors if name not in kept]:
                    del self.errors[name]
            return cleaned
        if cleaned.get("value") is None and not self.has_error("value"):
            self.add_error("value", _("Ange ett målvärde."))
        return cleaned

    def _post_clean(self):
        # Without a comparator there is no target to build, so nothing for Target.clean to check.
        if self.has_target:
            super()._post_clean()
