from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadValidator
from organisation.models import OrgUnit

from .models import AccountRule, StatementRow

MAX_UPLOAD = getattr(settings, "ECONOMY_MAX_UPLOAD_BYTES", 50 * 1024 * 1024)
MAX_FORECAST = 10**12


class EconomyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        validators=[UploadValidator(kinds=("sie", "csv"), max_bytes=MAX_UPLOAD)],
        widget=forms.ClearableFileInput(attrs={"accept": ".se,.si,.sie,.csv"}),
    )
    dimension = forms.IntegerField(
        label=_("Dimension vars objekt är enheter"),
        required=False,
        min_value=1,
        max_value=9999,
        help_text=_("Oftast 1 (kostnadsställe/ansvar). Lämna tomt för att välja automatiskt."),
    )
    unit = forms.ModelChoiceField(
        label=_("Enhet för belopp utan objekt"),
        queryset=OrgUnit.objects.all(),
        required=False,
        to_field_name="code",
        help_text=_("För SIE 2-filer (utan objekt): hela filen gäller den här enheten."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "SIE typ 2, 3 eller 4 (.se, .si, .sie) eller CSV (enhet;konto;månad;belopp;typ), "
            "högst %(max)s."
        ) % {"max": filesizeformat(MAX_UPLOAD)}


class AccountRuleForm(forms.ModelForm):
    class Meta:
        model = AccountRule
        fields = ["prefix", "row"]

    def clean_prefix(self):
        prefix = self.cleaned_data["prefix"].strip()
        if not prefix.isdigit():
            raise forms.ValidationError(_("Ange ett kontonummer eller dess första siffror."))
        return prefix


class StatementRowForm(forms.ModelForm):
    class Meta:
        model = StatementRow
        fields = ["name", "order"]


class ForecastForm(forms.Form):
    """The whole year's forecast per row, and a comment, for one month."""

    comment = forms.CharField(
        label=_("Kommentar till prognosen"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rows, initial_amounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[f"row_{row.pk}"] = forms.DecimalField(
                label=row.name,
                required=False,
                max_digits=16,
                decimal_places=2,
                min_value=-MAX_FORECAST,
                max_value=MAX_FORECAST,
                initial=initial_amounts.get(row.pk),
                localize=True,
            )
        self.order_fields([f"row_{r.pk}" for r in rows] + ["comment"])

    def amounts(self) -> dict:
        return {r.pk: self.cleaned_data.get(f"row_{r.pk}") for r in self.rows}
