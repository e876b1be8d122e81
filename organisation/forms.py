"""Forms for creating, editing and deactivating organisation units."""

from datetime import date

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.site import site_settings
from core.wording import CODE_INVALID

from .models import OrgUnit

# Paths under organisation/ that a unit code would shadow (see edit_urls.py).
RESERVED_CODES = {"ny"}


class DateInput(forms.DateInput):
    """The browser's date picker; it needs ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class UnitChoiceField(forms.ModelChoiceField):
    """Units indented by depth, so a long list still reads as a tree (needs ``with_tree_fields``)."""

    def label_from_instance(self, obj: OrgUnit) -> str:
        return "– " * getattr(obj, "tree_depth", 0) + obj.name


class UnitForm(forms.ModelForm):
    parent = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Överordnad enhet"),
        empty_label=_("(ingen – enheten är högst upp i organisationen)"),
    )

    class Meta:
        model = OrgUnit
        fields = [
            "parent",
            "name",
            "short_name",
            "kind",
            "code",
            "description",
            "kolada_id",
            "active_from",
            "order",
        ]
        widgets = {"active_from": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "code": {"unique": _("Koden används redan av en annan enhet."), "invalid": CODE_INVALID}
        }

    def __init__(self, *args, parents, allow_root: bool, **kwargs):
        """``parents``: the units this user may place the unit under (a tree queryset)."""
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = not allow_root
        if self.instance.pk:
            # The code is part of every URL of the unit; it stays stable once created.
            del self.fields["code"]
        # The kinds the municipality chose in its setup, and the unit's own kind whatever it is.
        kinds = set(site_settings().unit_kinds) | {self.instance.kind}
        self.fields["kind"].choices = [c for c in self.fields["kind"].choices if c[0] in kinds]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if code in RESERVED_CODES:
            raise forms.ValidationError(
                _("Koden ”%(code)s” är reserverad; välj en annan."), params={"code": code}
            )
        return code


class UnitDeactivateForm(forms.Form):
    active_until = forms.DateField(
        label=_("Sista dag som enheten är aktiv"), widget=DateInput(), initial=date.today
    )
    replaced_by = UnitChoiceField(
        queryset=OrgUnit.objects.none(),
        label=_("Ersatt av"),
        required=False,
        empty_label=_("(ingen)"),
        help_text=_("Enheten som tar över verksamheten, om någon."),
    )

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        own_subtree = OrgUnit.objects.descendants(unit, include_self=True).values("pk")
        self.fields["replaced_by"].queryset = (
            OrgUnit.objects.active().with_tree_fields().exclude(pk__in=own_subtree)
        )

    def clean_active_until(self) -> date:
        until = self.cleaned_data["active_until"]
        if self.unit.active_from and until < self.unit.active_from:
            raise forms.ValidationError(
                _("Enheten kan inte avvecklas före den blev aktiv (%(date)s)."),
                params={"date": self.unit.active_from.isoformat()},
            )
        children = OrgUnit.objects.filter(parent=self.unit).filter(
            Q(active_until__isnull=True) | Q(active_until__gt=until)
        )
        if children.exists():
            raise forms.ValidationError(
                _(
                    "Enheten har underordnade enheter som är aktiva efter %(date)s: %(names)s. "
                    "Avveckla eller flytta dem först."
                ),
                params={
                    "date": until.isoformat(),
                    "names": ", ".join(c.name for c in children),
                },
            )
        return until
