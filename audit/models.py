"""The audit log: security events kept apart from the change history of goals and values.

Each entry keeps the person's username as text too, so the log still reads the same after the
account is deactivated (accounts are never deleted; see accounts/people.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    LOGIN = "login", _("Inloggning")
    LOGIN_FAILED = "login_failed", _("Misslyckad inloggning")
    LOCKED_OUT = "locked_out", _("Spärrad efter för många försök")
    LOGOUT = "logout", _("Utloggning")
    ROLE_ADDED = "role_added", _("Roll tilldelad")
    ROLE_REMOVED = "role_removed", _("Roll borttagen")
    PERSON_DEACTIVATED = "person_deactivated", _("Person inaktiverad")
    PERSON_ACTIVATED = "person_activated", _("Person aktiverad")
    PERSON_CREATED = "person_created", _("Person skapad")
    PERSON_INVITED = "person_invited", _("Inbjudan skickad")
    PASSWORD_SET = "password_set", _("Lösenord valt via länk")
    API_TOKEN_ISSUED = "api_token_issued", _("API-nyckel skapad")
    API_TOKEN_REVOKED = "api_token_revoked", _("API-nyckel återkallad")
    PERIOD_LOCKED = "period_locked", _("Uppföljning låst")
    PERIOD_REOPENED = "period_reopened", _("Uppföljning öppnad igen")
    EXPORT = "export", _("Export av icke-publika uppgifter")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    event = models.CharField(_("händelse"), max_length=40, choices=Event.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("användarnamn"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adress"), null=True, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("loggpost")
        verbose_name_plural = _("granskningslogg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_event_display()} {self.username}"
