"""The municipality's own settings, kept in the database so an administrator can change them."""

from django.db import models
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
    setup_completed_at = models.DateTimeField(_("uppstart klar"), null=True, blank=True)
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
