"""Sign-in (password with lockout, or the organisation's OpenID Connect provider) and people."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AuditEntry
from organisation import access
from organisation.models import RoleAssignment

from . import oidc
from .people import person_activate, person_deactivate


class LoginView(auth_views.LoginView):
    """Django's login view; django-axes counts its failures and locks out after too many."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc.enabled()
        context["oidc_label"] = settings.OIDC_LOGIN_LABEL or _("Logga in med organisationens konto")
        return context


login = LoginView.as_view()
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
