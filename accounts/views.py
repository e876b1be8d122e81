"""Sign-in (password with lockout, or the organisation's OpenID Connect provider) and people."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit
from api.models import ApiToken
from audit.models import AuditEntry, Event
from organisation import access
from organisation.models import Role, RoleAssignment
from organisation.roles import role_assign

from . import oidc
from .forms import PersonCreateForm
from .people import person_activate, person_create, person_deactivate, person_invite


class LoginView(auth_views.LoginView):
    """Django's login view; django-axes counts its failures and locks out after too many."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.enabled()
        context["oidc_label"] = settings.OIDC_LOGIN_LABEL or _("Logga in med organisationens konto")
        return context

    def get_default_redirect_url(self):
        """An administrator signing in to an empty instance starts with the first-run setup."""
        from firstrun.services import setup_wanted

        if setup_wanted(self.request.user):
            return reverse("setup_start")
        return super().get_default_redirect_url()


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The invitation's link: choose a password, then sign in. Django's token makes the link
    work once (it hashes the password) and for PASSWORD_RESET_TIMEOUT seconds."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(Event.PASSWORD_SET, form.user, request=self.request)
        messages.success(self.request, _("Ditt lösenord är sparat. Logga in med det."))
        return response


login = LoginView.as_view()
password_set = PasswordSetView.as_view()
logout = auth_views.LogoutView.as_view()


def _people():
    return get_user_model().objects.prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit"))
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    people = _people().order_by("-is_active", "last_name", "first_name", "username")
    if q := request.GET.get("q", "").strip()[:100]:
        people = people.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(email__icontains=q)
        )
    return render(request, "accounts/person_list.html", {"people": people, "q": q})


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    person = get_object_or_404(_people(), pk=pk)
    context = {
        "person": person,
        "tokens": person.api_tokens.all(),
        "entries": AuditEntry.objects.filter(Q(user=person) | Q(details__person=person.username))[
            :50
        ],
    }
    return render(request, "accounts/person_detail.html", context)


@require_POST
@login_required
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    person = get_object_or_404(get_user_model(), pk=pk)
    if request.POST.get("active") == "1":
        person_activate(user=person, by=request.user, request=request)
        messages.success(request, _("%(name)s kan logga in igen.") % {"name": person})
    elif person == request.user:
        messages.error(request, _("Du kan inte inaktivera ditt eget konto."))
    else:
        person_deactivate(user=person, by=request.user, request=request)
        messages.success(
            request,
            _("%(name)s är inaktiverad. Det personen har gjort finns kvar i historiken.")
            % {"name": person},
        )
    return redirect("person_detail", pk=person.pk)


@login_required
def person_create_view(request: HttpRequest) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    form = PersonCreateForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            person = person_create(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                by=request.user,
                request=request,
            )
            if data["unit"] and data["role"]:
                role_assign(
                    user=person,
                    unit=data["unit"],
                    role=data["role"],
                    by=request.user,
                    request=request,
                )
        name = person.get_full_name() or person.username
        messages.success(request, _("%(name)s har skapats.") % {"name": name})
        if data["invite"]:
            _send_invitation(request, person)
        return redirect("person_detail", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form, "roles": Role})


def _send_invitation(request: HttpRequest, person) -> None:
    try:
        person_invite(user=person, by=request.user, request=request)
    except OSError:  # SMTP refused or unreachable: the account exists, the invitation can wait
        messages.error(
            request,
            _("Inbjudan kunde inte skickas till %(email)s. Försök igen senare.")
            % {"email": person.email},
        )
    else:
        messages.success(
            request, _("En inbjudan har skickats till %(email)s.") % {"email": person.email}
        )


@require_POST
@login_required
def person_invite_view(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    person = get_object_or_404(get_user_model(), pk=pk)
    if not person.is_active:
        messages.error(
            request, _("%(name)s är inaktiverad. Aktivera personen först.") % {"name": person}
        )
    elif not person.email:
        messages.error(request, _("%(name)s har ingen e-postadress.") % {"name": person})
    else:
        _send_invitation(request, person)
    return redirect("person_detail", pk=person.pk)


# API tokens: systems that act as a person (the API's Bearer token). The secret is shown once,
# on the page that answers the POST, and only its hash is stored.


@require_POST
@login_required
def person_token_create(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    person = get_object_or_404(get_user_model(), pk=pk)
    if not person.is_active:
        messages.error(
            request, _("%(name)s är inaktiverad. Aktivera personen först.") % {"name": person}
        )
        return redirect("person_detail", pk=person.pk)
    name = " ".join(request.POST.get("name", "").split())[:100]
    token, secret = ApiToken.issue(user=person, name=name)
    audit.record(
        Event.API_TOKEN_ISSUED,
        request.user,
        request=request,
        person=person.username,
        token=token.prefix,
    )
    return render(
        request, "accounts/token_created.html", {"person": person, "token": token, "secret": secret}
    )


@require_POST
@login_required
def person_token_revoke(request: HttpRequest, pk: int, token_pk: int) -> HttpResponse:
    access.require(access.can_manage_people(request.user))
    token = get_object_or_404(ApiToken, pk=token_pk, user_id=pk)
    if token.revoked_at is None:
        token.revoke()
        audit.record(
            Event.API_TOKEN_REVOKED,
            request.user,
            request=request,
            person=token.user.username,
            token=token.prefix,
        )
    messages.success(
        request, _("API-nyckeln %(prefix)s… är återkallad.") % {"prefix": token.prefix}
    )
    return redirect("person_detail", pk=pk)
