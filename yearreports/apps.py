from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YearreportsConfig(AppConfig):
    name = "yearreports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        from followup import todo

        from .todo import report_tasks

        if report_tasks not in todo.SOURCES:  # ready() may run twice in tests
            todo.SOURCES.append(report_tasks)
