"""Forms for what the whole municipality shares: perspectives and goal programmes."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from organisation.forms import DateInput

from .forms import YEAR_MAX, YEAR_MIN
from .models import GoalProgramme, Perspective

HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


class PerspectiveForm(forms.ModelForm):
    class Meta:
        model = Perspective
        fields = ["name", "description", "colour", "icon", "order", "active"]
        widgets = {"colour": forms.TextInput(attrs={"type": "color"})}
        help_texts = {
            "order": _("Perspektiven visas i den här ordningen, lägst först."),
            "active": _("Ett inaktivt perspektiv kan inte väljas i nya styrkort."),
        }

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Perspective.objects.filter(name__iexact=name).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(
                _("Det finns redan ett perspektiv som heter %(name)s."), params={"name": name}
            )
        if not slugify(name):
            raise ValidationError(_("Namnet behöver minst en bokstav eller siffra."))
        return name

    def clean_colour(self) -> str:
        colour = self.cleaned_data["colour"].strip()
        if not HEX_COLOUR.fullmatch(colour):
            raise ValidationError(
                _("Ange färgen som # och sex hexadecimala tecken, t.ex. #005EA5.")
            )
        return colour.upper()

    def save(self, commit: bool = True) -> Perspective:
        perspective = super().save(commit=False)
        if not perspective.slug:  # the slug is an address: it stays when the name changes
            perspective.slug = unique_slug(perspective.name)
        if commit:
            perspective.save()
        return perspective


def unique_slug(name: str) -> str:
    base = slugify(name)[:45] or "perspektiv"
    slug, n = base, 2
    while Perspective.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = GoalProgramme
        fields = [
            "name",
            "vision",
            "description",
            "start_year",
            "end_year",
            "decided_by",
            "decided_on",
            "paragraph",
            "diary_number",
        ]
        widgets = {"decided_on": DateInput()}

    start_year = forms.IntegerField(label=_("Första år"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    end_year = forms.IntegerField(label=_("Sista år"), min_value=YEAR_MIN, max_value=YEAR_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._check_years_in_use()

    def _check_years_in_use(self) -> None:
        self.used_years = []
        if self.instance.pk:
            self.used_years = sorted(set(self.instance.scorecards.values_list("year", flat=True)))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_year"), cleaned.get("end_year")
        if self.used_years and start and end:
            outside = [y for y in self.used_years if not start <= y <= end]
            if outside:
                raise ValidationError(
                    _("Styrkort för %(years)s hör till programmet; perioden måste omfatta dem.")
                    % {"years": ", ".join(map(str, outside))}
                )
        return cleaned
