"""Single sign-on through OpenID Connect (mozilla-django-oidc), configured by the environment.

Either a discovery base (``OIDC_OP_DISCOVERY_URL``: the issuer, e.g.
``https://login.microsoftonline.com/<tenant>/v2.0`` for Microsoft Entra ID) or the four endpoints
(``OIDC_OP_AUTHORIZATION_ENDPOINT``, ``OIDC_OP_TOKEN_ENDPOINT``, ``OIDC_OP_USER_ENDPOINT``,
``OIDC_OP_JWKS_ENDPOINT``), plus ``OIDC_RP_CLIENT_ID`` and ``OIDC_RP_CLIENT_SECRET``. Without a
client id the sign-in button is not shown and the OIDC addresses answer 404.

mozilla-django-oidc reads its endpoints when its classes are created; the subclasses here read
them when a sign-in actually starts, so an instance without SSO never needs them, and a discovery
document is fetched once (on first use) rather than at start-up.

Optional role mapping: ``OIDC_ROLE_CLAIM`` names a claim (e.g. ``roles`` or ``groups``) and
``OIDC_ROLE_MAP`` maps its values to roles in units, ``value=role@unitcode`` separated by commas.
On every SSO sign-in the person's mapped roles are replaced by what the claim says; roles given by
hand in Styrkort are left alone.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

import audit
from audit.models import Event
from organisation.models import OrgUnit, Role, RoleAssignment
from organisation.roles import role_assign, role_remove

log = logging.getLogger(__name__)

ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}


def enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID) and bool(
        settings.OIDC_OP_DISCOVERY_URL or settings.OIDC_OP_AUTHORIZATION_ENDPOINT
    )


@lru_cache(maxsize=4)
def _discover(url: str) -> dict[str, str]:
    if not url.rstrip("/").endswith("/.well-known/openid-configuration"):
        url = url.rstrip("/") + "/.well-known/openid-configuration"
    response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
    response.raise_for_status()
    document = response.json()
    return {name: document.get(key, "") for name, key in ENDPOINTS.items()}


def endpoints() -> dict[str, str]:
    """The provider's endpoints: explicit settings win over the discovery document."""
    found = {name: getattr(settings, name, "") for name in ENDPOINTS}
    if settings.OIDC_OP_DISCOVERY_URL and not all(found.values()):
        discovered = _discover(settings.OIDC_OP_DISCOVERY_URL)
        found = {name: found[name] or discovered[name] for name in ENDPOINTS}
    missing = [name for name, value in found.items() if not value]
    if missing:
        raise ImproperlyConfigured(f"OpenID Connect endpoints missing: {', '.join(missing)}")
    return found


@dataclass(frozen=True)
class MappedRole:
    role: str
    unit_code: str


def role_map() -> dict[str, list[MappedRole]]:
    """``OIDC_ROLE_MAP`` parsed: claim value -> roles; malformed items are logged and skipped."""
    mapping: dict[str, list[MappedRole]] = {}
    for item in settings.OIDC_ROLE_MAP.replace(";", ",").split(","):
        if not item.strip():
            continue
        value, _sep, target = item.partition("=")
        role, _sep, code = target.partition("@")
        role, code = role.strip(), code.strip()
        if not value.strip() or role not in Role.values or not code:
            log.warning("OIDC_ROLE_MAP: ignoring %r (expected value=role@unitcode)", item)
            continue
        mapping.setdefault(value.strip(), []).append(MappedRole(role, code))
    return mapping


def claim_values(claims: dict) -> set[str]:
    raw = claims.get(settings.OIDC_ROLE_CLAIM) if settings.OIDC_ROLE_CLAIM else None
    if isinstance(raw, str):
        return {raw}
    if isinstance(raw, list | tuple):
        return {str(v) for v in raw}
    return set()


def sync_mapped_roles(user, claims: dict) -> None:
    """Make the person's SSO-mapped roles exactly those the claim grants."""
    if not settings.OIDC_ROLE_CLAIM:
        return
    mapping = role_map()
    wanted: set[tuple[str, str]] = set()
    for value in claim_values(claims):
        wanted.update((m.role, m.unit_code) for m in mapping.get(value, []))
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={code for _r, code in wanted})}
    for _role, code in wanted:
        if code not in units:
            log.warning("OIDC_ROLE_MAP names unit %r, which does not exist", code)
    current = RoleAssignment.objects.filter(user=user, source=RoleAssignment.Source.SSO)
    for assignment in current.select_related("unit"):
        if (assignment.role, assignment.unit.code) not in wanted:
            role_remove(assignment=assignment, by=None, reason="sso")
    for role, code in wanted:
        if code in units:
            role_assign(
                user=user, unit=units[code], role=role, by=None, source=RoleAssignment.Source.SSO
            )


class Backend(OIDCAuthenticationBackend):
    """Users are found and named by e-mail; names come from the standard claims."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()

    def _configure(self) -> None:
        for name, value in endpoints().items():
            setattr(self, name, value)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if request is None or not enabled() or "code" not in request.GET:
            return None
        self._configure()
        return super().authenticate(request, **kwargs)

    def get_username(self, claims) -> str:
        return claims.get("email", "").strip().lower()[:150]

    def verify_claims(self, claims) -> bool:
        return bool(claims.get("email")) and super().verify_claims(claims)

    def _update_names(self, user, claims):
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = str(claims.get(claim, "") or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)

    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            self.get_username(claims), email=claims.get("email", "").strip()
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        self._update_names(user, claims)
        sync_mapped_roles(user, claims)
        return user

    def update_user(self, user, claims):
        if user.is_active:  # a deactivated person keeps the roles they had, and stays out
            self._update_names(user, claims)
            sync_mapped_roles(user, claims)
        return user


class AuthenticationRequestView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not enabled():
            raise Http404
        self.OIDC_OP_AUTH_ENDPOINT = endpoints()["OIDC_OP_AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class AuthenticationCallbackView(OIDCAuthenticationCallbackView):
    def get(self, request):
        if not enabled():
            raise Http404
        return super().get(request)

    def login_failure(self):
        user = getattr(self, "user", None)
        audit.record(
            Event.LOGIN_FAILED,
            request=self.request,
            username=user.get_username() if user is not None else "",
            method="oidc",
            reason="inactive" if user is not None and not user.is_active else "refused",
        )
        messages.error(
            self.request,
            _("Inloggningen via organisationens inloggningstjänst misslyckades eller avbröts."),
        )
        return redirect("login")
