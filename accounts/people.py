"""People: creating and inviting accounts, and deactivating one without losing what the person did.

Accounts are never deleted. Change history (django-simple-history), measurements, assessments,
actions and the audit log point at the user row, so it stays; deactivating sets ``is_active`` to
False, which stops password and SSO sign-in, ends the person's open sessions and leaves their
roles in place for the record (they grant nothing while the account is inactive).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

import audit
from audit.models import Event


def _end_sessions(user) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, user, by, request=None) -> None:
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = _end_sessions(user)
    audit.record(
        Event.PERSON_DEACTIVATED, by, request=request, person=user.get_username(), sessions=ended
    )


@transaction.atomic
def person_activate(*, user, by, request=None) -> None:
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit.record(Event.PERSON_ACTIVATED, by, request=request, person=user.get_username())


@transaction.atomic
def person_create(*, username: str, first_name: str, last_name: str, email: str, by, request=None):
    """A new account without a usable password: the person chooses one through the invitation
    link (``person_invite``) or signs in through the organisation's SSO."""
    user = get_user_model().objects.create_user(
        username=username, email=email, first_name=first_name, last_name=last_name
    )
    audit.record(Event.PERSON_CREATED, by, request=request, person=username)
    return user


def invitation_link(request, user) -> str:
    """An absolute link to set a password; it works once and for PASSWORD_RESET_TIMEOUT
    seconds (Django's token hashes the password and the last sign-in, which both change)."""
    path = reverse(
        "password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return request.build_absolute_uri(path)


def person_invite(*, user, by, request) -> None:
    """E-mail ``user`` a link to choose a password, through the configured e-mail backend."""
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {
        "person": user,
        "by": by,
        "link": invitation_link(request, user),
        "days": days,
    }
    # With the request, the context processors add the municipality's name.
    subject = render_to_string("accounts/invitation_subject.txt", context, request=request)
    body = render_to_string("accounts/invitation_email.txt", context, request=request)
    subject = " ".join(subject.split())  # one line: a header
    send_mail(subject, body, None, [user.email])
    audit.record(Event.PERSON_INVITED, by, request=request, person=user.get_username())
