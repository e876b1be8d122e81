"""One small form per step of the first-run setup."""

from calendar import monthrange
from datetime import date

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from core.models import Designation
from organisation.forms import RESERVED_CODES, UnitChoiceField
from organisation.models import OrgUnit, UnitKind
from scorecards.models import GoalProgramme, Perspective, PerspectiveIcon

from .municipalities import municipalities
from .services import CALENDAR_PRESET

YEAR_MIN, YEAR_MAX = 2000, 2100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MunicipalityForm(forms.Form):
    name = forms.CharField(
        label=_("Kommunens namn"),
        max_length=200,
        help_text=_("Som det ska stå överst på varje sida, t.ex. ”Tanums kommun”."),
    )
    designation = forms.ChoiceField(
        label=_("Benämning"),
        choices=Designation.choices,
        widget=forms.RadioSelect,
        help_text=_("Hur organisationen kallar sig i texterna."),
    )
    kolada_id = forms.ChoiceField(
        label=_("Kommunen i Kolada"),
        required=False,
        help_text=_("Utfall och jämförelser hämtas från Kolada för den kommun du väljer."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kolada_id"].choices = [("", _("(ingen – hämta inget från Kolada)"))] + [
            (code, f"{name} ({code})") for code, name in municipalities()
        ]
        self.fields["kolada_id"].error_messages["invalid_choice"] = _("Välj en kommun i listan.")


class UnitKindsForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Enhetstyper som organisationen använder"),
        choices=UnitKind.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en enhetstyp.")},
    )

    def clean_kinds(self) -> list[str]:
        kinds = self.cleaned_data["kinds"]
        used = (
            OrgUnit.objects.active()
            .exclude(kind__in=kinds)
            .values_list("kind", flat=True)
            .distinct()
        )
        if used:
            names = ", ".join(sorted(str(UnitKind(k).label) for k in used))
            raise forms.ValidationError(
                _("Typerna används av enheter i organisationen och måste vara kvar: %(names)s."),
                params={"names": names},
            )
        return [k for k in UnitKind.values if k in kinds]  # in the tree's order


class FirstUnitForm(forms.ModelForm):
    """A unit with just what the first units need; the full form is on the unit's own page."""

    parent = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Överordnad enhet"),
        required=False,
        empty_label=_("(ingen – enheten är högst upp i organisationen)"),
    )

    class Meta:
        model = OrgUnit
        fields = ["name", "kind", "parent", "code"]
        error_messages = {"code": {"unique": _("Koden används redan av en annan enhet.")}}
        help_texts = {"code": _("Stabil identifierare i adressen, t.ex. ”msn”. Små bokstäver.")}

    def __init__(self, *args, kinds: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = OrgUnit.objects.active().with_tree_fields()
        self.fields["kind"].choices = [(k, UnitKind(k).label) for k in kinds]
        self.fields["kind"].error_messages["invalid_choice"] = _("Välj en av enhetstyperna.")
        self.fields["code"].error_messages["invalid"] = _(
            "Koden får bara innehålla bokstäverna a–z, siffror, - och _."
        )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                _("Koden ”%(code)s” är reserverad; välj en annan."), params={"code": code}
            )
        return code

    def clean(self):
        data = super().clean()
        if not data.get("parent") and OrgUnit.objects.roots().exists():
            self.add_error(
                "parent",
                _(
                    "Organisationen har redan en enhet högst upp. Välj vilken enhet den nya hör till."
                ),
            )
        return data


class PerspectiveForm(forms.ModelForm):
    class Meta:
        model = Perspective
        fields = ["name", "description", "colour", "icon"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "colour": forms.TextInput(attrs={"type": "color"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["icon"].choices = PerspectiveIcon.choices

    def clean_colour(self) -> str:
        colour = self.cleaned_data["colour"]
        if not (len(colour) == 7 and colour[0] == "#" and _is_hex(colour[1:])):
            raise forms.ValidationError(_("Ange färgen som #RRGGBB, t.ex. #005EA5."))
        return colour

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if Perspective.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Det finns redan ett perspektiv med det namnet."))
        return name


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = GoalProgramme
        fields = [
            "name",
            "vision",
            "start_year",
            "end_year",
            "decided_by",
            "decided_on",
            "paragraph",
            "diary_number",
        ]
        widgets = {"vision": forms.Textarea(attrs={"rows": 3}), "decided_on": DateInput()}

    def clean(self):
        data = super().clean()
        for name in ("start_year", "end_year"):
            year = data.get(name)
            if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
                self.add_error(
                    name,
                    _("Ange ett år mellan %(min)s och %(max)s.")
                    % {"min": YEAR_MIN, "max": YEAR_MAX},
                )
        return data


class CalendarForm(forms.Form):
    """The usual three occasions of one year, each chosen with its own deadline."""

    year = forms.IntegerField(
        label=_("År"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={
            "min_value": _("Ange ett år mellan 2000 och 2100."),
            "max_value": _("Ange ett år mellan 2000 och 2100."),
            "invalid": _("Ange året med fyra siffror."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for preset in CALENDAR_PRESET:
            key = f"m{preset.end_month}"
            self.fields[f"{key}_on"] = forms.BooleanField(
                label=_("%(name)s (januari–%(month)s)")
                % {"name": preset.name, "month": _month_name(preset.end_month)},
                required=False,
                initial=True,
            )
            self.fields[f"{key}_deadline"] = forms.DateField(
                label=_("Sista dag för rapportering, %(name)s") % {"name": preset.name},
                required=False,
                widget=DateInput(),
            )

    def occasions(self) -> list[tuple]:
        return self.cleaned_data.get("chosen", [])

    def clean(self):
        data = super().clean()
        year = data.get("year")
        chosen = []
        for preset in CALENDAR_PRESET:
            key = f"m{preset.end_month}"
            if not data.get(f"{key}_on"):
                continue
            deadline = data.get(f"{key}_deadline")
            if deadline is None:
                if f"{key}_deadline" not in self.errors:
                    self.add_error(f"{key}_deadline", _("Ange sista dag för rapportering."))
                continue
            if year:
                period_end = date(year, preset.end_month, monthrange(year, preset.end_month)[1])
                if deadline <= period_end:
                    self.add_error(
                        f"{key}_deadline",
                        _("Sista dag måste vara efter periodens slut (%(date)s).")
                        % {"date": period_end.isoformat()},
                    )
                    continue
            chosen.append((preset, deadline))
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Välj minst ett uppföljningstillfälle."))
        data["chosen"] = chosen
        return data


def _month_name(month: int) -> str:
    return str(MONTHS[month])  # "april" in Swedish, "April" in English
