"""Form fields shared by every app."""

from django import forms
from django.core.exceptions import ValidationError

from core.numbers import NumberTooLarge, check_size, too_large_field_message


class NumberField(forms.DecimalField):
    """A decimal field that says "talet är för stort" for a number its column cannot hold.

    Django's own field counts digits ("no more than 18 digits in total"), which for ``1e24`` is
    true but not what the person needs to hear. Model forms get it through ``number_fields``.
    """

    def to_python(self, value):
        number = super().to_python(value)
        if number is None or number.is_nan() or self.max_digits is None:
            return number
        whole = self.max_digits - (self.decimal_places or 0)
        try:
            return check_size(number, whole_digits=whole)
        except NumberTooLarge:
            raise ValidationError(too_large_field_message(whole), code="too_large") from None


def number_fields(*names: str) -> dict:
    """``Meta.field_classes`` for a model form's decimal fields."""
    return dict.fromkeys(names, NumberField)
