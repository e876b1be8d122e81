from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Kärna")

    def ready(self) -> None:
        install_text_validator()


def install_text_validator() -> None:
    """Make ``core.text.validate_text`` a default validator of every text field.

    One rule for every way in: model fields (so ``full_clean``, model forms, the admin and DRF's
    model serializers, which copy a model field's validators), form fields and DRF fields declared
    by hand. ``default_validators`` is the documented class attribute each of these field classes
    reads when a field is made; the fields of models already built get the rule appended. A
    default validator is not part of a migration. Subclasses with defaults of their own (e-mail,
    URL, slug) refuse these characters already. ``core/tests/test_text.py`` checks every model,
    form and API text field.
    """
    from django import forms
    from django.apps import apps
    from django.db import models
    from rest_framework import serializers

    from core.text import validate_text

    for field_class in (models.CharField, models.TextField, forms.CharField, serializers.CharField):
        if validate_text not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validate_text]
    # A model CharField fixes its validator list when its class is built, before any ready().
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                if validate_text not in field.validators:
                    field.validators.append(validate_text)
