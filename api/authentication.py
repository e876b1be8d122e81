"""Who calls: systems with an API token, people with their session (for the documentation page).

A token is sent as ``Authorization: Bearer <token>`` (``Token <token>`` is accepted too). Session
callers keep Django's CSRF protection on every write.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken, digest

KEYWORDS = (b"bearer", b"token")
# Recording every use would write on every request; once an hour says enough about use.
LAST_USED_GRANULARITY = timedelta(hours=1)


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel i Authorization-huvudet."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Ogiltig API-nyckel.")) from None
        token = ApiToken.objects.active().select_related("user").filter(digest=digest(secret))
        token = token.first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ogiltig eller återkallad API-nyckel."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication (CSRF enforced) with a Swedish refusal."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied:
            raise exceptions.PermissionDenied(
                _(
                    "CSRF-kontrollen misslyckades. Skicka X-CSRFToken-huvudet eller använd en API-nyckel."
                )
            ) from None


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _("API-nyckel som skapas med `manage.py api_token <användarnamn>`."),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
