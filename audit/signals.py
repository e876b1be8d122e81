"""Sign-ins, sign-outs and failed sign-ins from Django's and django-axes' signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Event
from .services import record


def _method(user) -> str:
    backend = getattr(user, "backend", "") or ""
    return "oidc" if "oidc" in backend.lower() else "password"


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    record(Event.LOGIN, user, request=request, method=_method(user))


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Event.LOGOUT, user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password with stars; only the username is kept.
    record(
        Event.LOGIN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
        method=credentials.get("method", "password"),
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    record(Event.LOCKED_OUT, request=request, username=str(username or ""))
