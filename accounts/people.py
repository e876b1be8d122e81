"""People: deactivating an account without losing what the person did.

Accounts are never deleted. Change history (django-simple-history), measurements, assessments,
actions and the audit log point at the user row, so it stays; deactivating sets ``is_active`` to
False, which stops password and SSO sign-in, ends the person's open sessions and leaves their
roles in place for the record (they grant nothing while the account is inactive).
"""

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

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
