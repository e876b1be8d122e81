from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    name = "assignments"
    verbose_name = _("Uppdrag")

    def ready(self):
        # The change history page (followup.history_views) learns the assignments' kinds here, so
        # followup does not import this app above it.
        from followup import reminders
        from followup.history_views import KINDS, Kind

        from .exports import missing_at

        if missing_at not in reminders.MISSING_SOURCES:
            reminders.MISSING_SOURCES.append(missing_at)

        KINDS["assignment"] = Kind(
            _("Uppdrag"), self.get_model("Assignment"), ("issuer",), unit=lambda o: o.issuer
        )
        KINDS["assignment_report"] = Kind(
            _("Rapport om uppdrag"),
            self.get_model("AssignmentReport"),
            ("receiver__unit", "receiver__assignment", "occasion"),
            unit=lambda o: o.receiver.unit,
        )
