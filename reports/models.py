"""A spreadsheet upload between its preview and its confirmation.

The parsed file is kept as a plan in the database, not as a file on local disk: app servers are
stateless, so the confirming request may reach another server than the one that read the upload.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scorecards.models import Scorecard


class ImportKind(models.TextChoices):
    VALUES = "values", _("Utfall")
    TARGETS = "targets", _("Målvärden")


class ImportState(models.TextChoices):
    PREVIEW = "preview", _("Väntar på bekräftelse")
    APPLIED = "applied", _("Genomförd")
    FAILED = "failed", _("Avbruten, inget sparades")


class ImportBatchQuerySet(models.QuerySet):
    def stale(self, *, hours: int = 24):
        """Uploads never confirmed within ``hours``: nothing refers to them any more."""
        cutoff = timezone.now() - timedelta(hours=hours)
        return self.filter(state=ImportState.PREVIEW, created_at__lt=cutoff)


class ImportBatch(models.Model):
    """One uploaded file: what it would change (``plan``) and, once confirmed, what it did."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("typ"), max_length=10, choices=ImportKind.choices)
    year = models.PositiveSmallIntegerField(_("år"))
    filename = models.CharField(_("fil"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        _("läge"), max_length=10, choices=ImportState.choices, default=ImportState.PREVIEW
    )
    plan = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("filimport")
        verbose_name_plural = _("filimporter")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filename} ({self.created_at:%Y-%m-%d %H:%M})"
