"""What the core app stores: the municipality's own settings (changed by an administrator)
and the background workers' heartbeats."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Designation(models.TextChoices):
    """What the municipality calls itself: the texts of the site follow it (issue 17.5)."""

    KOMMUN = "kommun", _("kommun")
    STAD = "stad", _("stad")
    REGION = "region", _("region")


class SiteSettings(models.Model):
    """One row: what the first-run setup asked. A blank field falls back to the environment's
    setting (``MUNICIPALITY_NAME`` and friends), so an instance configured only through the
    environment keeps working. Read it through ``core.site.site_settings()``, never directly."""

    name = models.CharField(_("kommunens namn"), max_length=200, blank=True)
    designation = models.CharField(
        _("benämning"), max_length=10, choices=Designation.choices, blank=True
    )
    # None: not chosen, the environment's setting applies; "": chosen to fetch nothing from Kolada.
    kolada_id = models.CharField(_("Kolada-id"), max_length=10, blank=True, null=True)  # noqa: DJ001
    unit_kinds = models.JSONField(
        _("enhetstyper"),
        default=list,
        blank=True,
        help_text=_("Enhetstyperna som organisationen använder; tom lista betyder alla."),
    )
    # Blank: the environment's ASSESSMENT_SCALE applies. The key of one of followup.scales.SCALES
    # (chosen on /uppfoljning/bedomningsskala/); core knows no scale, the form checks the key.
    assessment_scale = models.CharField(
        _("bedömningsskala"), max_length=20, blank=True, default="", db_default=""
    )
    setup_completed_at = models.DateTimeField(_("uppstart klar"), null=True, blank=True)
    # The municipality's Word template (.docx/.dotx) that year reports are exported through; the
    # file lives in the default storage (core/word_template.py), blank: python-docx's styles.
    word_template = models.FileField(
        _("Word-mall"), upload_to="wordmall/", max_length=255, blank=True, default="", db_default=""
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("inställningar")
        verbose_name_plural = _("inställningar")
        constraints = [
            # The one row has pk 1; a second row would make "the settings" ambiguous.
            models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_single_row")
        ]

    def __str__(self) -> str:
        return self.name or "Styrkort"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .site import forget  # the cached row is now old

        forget()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        from .site import forget

        forget()
        return result

    @classmethod
    def load(cls) -> "SiteSettings":
        """The one row, created empty on first use."""
        return cls.objects.get_or_create(pk=1)[0]


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
