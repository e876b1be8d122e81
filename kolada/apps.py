from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KoladaConfig(AppConfig):
    name = "kolada"
    verbose_name = _("Kolada")

    def ready(self):
        from core.jobs import jobs_recovered

        jobs_recovered.connect(_close_runs_of_recovered_jobs, dispatch_uid="kolada-recovered")


def _close_runs_of_recovered_jobs(sender, job_ids, **kwargs):
    """A worker died mid-sync and its job is queued again: its run is over, and must not make
    the new attempt wait ("En synkronisering pågår redan")."""
    from .runs import fail_runs_of_jobs

    fail_runs_of_jobs(job_ids)
