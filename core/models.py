"""What the core app stores: the background workers' heartbeats."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeatQuerySet(models.QuerySet):
    def running(self) -> "WorkerHeartbeatQuerySet":
        """Workers not stopped on purpose: a stale one among them has died or lost the database."""
        return self.filter(stopped_at__isnull=True)

    def fresh(self, stale_after: timedelta) -> "WorkerHeartbeatQuerySet":
        return self.running().filter(last_seen__gte=timezone.now() - stale_after)


class WorkerHeartbeat(models.Model):
    """One row per worker id (``manage.py run_worker``): when it last said it was alive, the job
    it runs, and its job counts since the row was made (counters for Prometheus)."""

    worker_id = models.CharField(_("arbetare"), max_length=64, primary_key=True)
    host = models.CharField(_("dator"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("process-id"), null=True)
    started_at = models.DateTimeField(_("startad"))
    last_seen = models.DateTimeField(_("senast sedd"))
    stopped_at = models.DateTimeField(_("stoppad"), null=True, blank=True)
    current_job = models.UUIDField(_("pågående jobb"), null=True, blank=True)
    jobs_run = models.PositiveBigIntegerField(_("körda jobb"), default=0)
    jobs_failed = models.PositiveBigIntegerField(_("misslyckade jobb"), default=0)
    jobs_retried = models.PositiveBigIntegerField(_("omkörda jobb"), default=0)

    objects = WorkerHeartbeatQuerySet.as_manager()

    class Meta:
        ordering = ["worker_id"]
        verbose_name = _("arbetarens livstecken")
        verbose_name_plural = _("arbetarnas livstecken")

    def __str__(self) -> str:
        return self.worker_id
