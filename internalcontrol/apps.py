from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternalcontrolConfig(AppConfig):
    name = "internalcontrol"
    verbose_name = _("Internkontroll")

    def ready(self):
        # The reminders (followup.reminders) learn about controls here; followup imports nothing
        # above it.
        from followup import reminders

        from .exports import missing_at

        if missing_at not in reminders.MISSING_SOURCES:
            reminders.MISSING_SOURCES.append(missing_at)
