from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearreportsConfig(AppConfig):
    name = "yearreports"
    verbose_name = _("Rapporter")
