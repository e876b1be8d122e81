"""The form of one follow-up occasion: any kind, name, months and deadline."""

from datetime import date

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from organisation.forms import DateInput

from .models import FollowUpOccasion, SummaryAnalysis

YEAR_MIN, YEAR_MAX = 2000, 2100
MONTH_CHOICES = [(n, MONTHS[n]) for n in range(1, 13)]


class OccasionForm(forms.ModelForm):
    """Year and last month are fixed once assessments exist: they were made for that period."""

    year = forms.IntegerField(label=_("År"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    start_month = forms.TypedChoiceField(
        label=_("Från och med månad"),
        choices=MONTH_CHOICES,
        coerce=int,
        initial=1,
        help_text=_("Januari för en rapport om året hittills (tertial, delår, helår)."),
    )
    end_month = forms.TypedChoiceField(
        label=_("Till och med månad"),
        choices=MONTH_CHOICES,
        coerce=int,
        help_text=_("Utfall och bedömningar läses till och med den här månaden."),
    )

    class Meta:
        model = FollowUpOccasion
        fields = ["year", "kind", "name", "start_month", "end_month", "deadline"]
        widgets = {"deadline": DateInput()}
        help_texts = {"name": _("Till exempel Tertialrapport T1 eller Månadsrapport mars.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance_is_used():
            for name in ("year", "end_month"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Tillfället har bedömningar för den här perioden; den ändras inte."
                )

    def instance_is_used(self) -> bool:
        return occasion_is_used(self.instance)

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean(self):
        cleaned = super().clean()
        year, start, end = (cleaned.get(k) for k in ("year", "start_month", "end_month"))
        if start and end and start > end:
            self.add_error("start_month", _("Första månaden kan inte vara efter den sista."))
        if year and end:
            clash = FollowUpOccasion.objects.filter(year=year, end_month=end).exclude(
                pk=self.instance.pk
            )
            if other := clash.first():
                self.add_error(
                    "end_month",
                    _("%(name)s slutar redan i %(month)s %(year)s. Välj en annan sista månad.")
                    % {"name": other.name, "month": MONTHS[end], "year": year},
                )
        deadline = cleaned.get("deadline")
        if year and start and deadline and deadline < date(year, start, 1):
            self.add_error("deadline", _("Sista dagen kan inte vara före periodens början."))
        return cleaned

    def _get_validation_exclusions(self):
        # The clash with another occasion in the same month has its own message in ``clean``.
        return super()._get_validation_exclusions() | {"year", "end_month"}


def occasion_is_used(occasion: FollowUpOccasion) -> bool:
    """Whether assessments or summaries were made at the occasion."""
    return (
        occasion.assessments.exists() or SummaryAnalysis.objects.filter(occasion=occasion).exists()
    )


class ScaleForm(forms.Form):
    """The municipality's assessment scale. Assessments already made keep their stored value; a
    change that leaves this year's (or a later year's) assessments on another scale is made only
    when ``confirm`` says the administrator knows (``ScaleForm.check_assessments``)."""

    scale = forms.ChoiceField(label=_("Bedömningsskala"), widget=forms.RadioSelect)
    confirm = forms.BooleanField(
        label=_("Byt ändå: de bedömningar som redan gjorts behåller sitt värde"), required=False
    )

    def __init__(self, *args, in_use: str, **kwargs):
        from . import scales

        super().__init__(*args, initial={"scale": in_use}, **kwargs)
        self.in_use = in_use
        self.fields["scale"].choices = [(key, make().name) for key, make in scales.SCALES.items()]

    def clean(self):
        data = super().clean()
        key = data.get("scale")
        if key and key != self.in_use and not data.get("confirm"):
            count, year = _assessments_off_scale(key)
            if count:
                self.add_error(
                    "confirm",
                    _(
                        "Det finns redan %(count)s bedömningar från %(year)s och senare som inte "
                        "finns på den nya skalan. De behåller sitt värde och visas med sin "
                        "gamla skalas ord. Kryssa i rutan för att byta ändå, eller byt skala "
                        "före årets första uppföljning."
                    )
                    % {"count": count, "year": year},
                )
        return data


def _assessments_off_scale(key: str) -> tuple[int, int]:
    """How many assessments from this year on have a value the scale ``key`` does not offer
    (three and percent share their values; trend has its own), and this year."""
    from . import scales
    from .models import Assessment

    values = [c.value for c in scales.get_scale(key).choices]
    year = date.today().year
    count = Assessment.objects.filter(occasion__year__gte=year).exclude(status__in=values).count()
    return count, year
