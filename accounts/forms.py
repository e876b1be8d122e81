"""The form that creates a person, optionally with a first role."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from organisation.forms import UnitChoiceField
from organisation.models import OrgUnit, Role

# Lowest first: the role a new person most often gets, and never Administratör by mistake.
ROLE_CHOICES = [("", _("Ingen roll ännu"))] + list(reversed(Role.choices))


class PersonCreateForm(forms.Form):
    first_name = forms.CharField(label=_("Förnamn"), max_length=150)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150)
    email = forms.EmailField(label=_("E-post"), help_text=_("Inbjudan skickas hit."))
    username = forms.CharField(
        label=_("Användarnamn"),
        max_length=150,
        required=False,
        help_text=_("Lämna tomt för att använda e-postadressen."),
    )
    unit = UnitChoiceField(
        queryset=OrgUnit.objects.none(), label=_("Enhet för rollen"), required=False
    )
    role = forms.ChoiceField(label=_("Roll"), choices=ROLE_CHOICES, required=False)
    invite = forms.BooleanField(
        label=_("Skicka inbjudan med en länk för att välja lösenord"), required=False, initial=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.with_tree_fields().active()

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise ValidationError(_("Det finns redan en person med den e-postadressen."))
        return email

    def clean(self):
        cleaned = super().clean()
        username = (cleaned.get("username") or "").strip() or cleaned.get("email") or ""
        if username:
            field = get_user_model()._meta.get_field("username")
            try:
                field.run_validators(username)
            except ValidationError:
                self.add_error(
                    "username",
                    _("Användarnamnet får bara innehålla bokstäver, siffror och @ . + - _."),
                )
            if get_user_model().objects.filter(username__iexact=username).exists():
                self.add_error(
                    "username", _("Användarnamnet %(name)s är upptaget.") % {"name": username}
                )
        cleaned["username"] = username
        if bool(cleaned.get("unit")) != bool(cleaned.get("role")):
            self.add_error("role", _("Välj både enhet och roll, eller ingen av dem."))
        return cleaned
