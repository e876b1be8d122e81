"""JSON types as the OpenAPI schema states them, for the serializers that read request bodies.

DRF reads ``"5"`` for an integer, ``5`` for a text and ``"true"`` for a boolean; the schema says
otherwise, and a caller relying on the schema would never know which mistakes pass. Here each
field takes only its own JSON type (a number value also as an integer, as it always has), and
anything else is a 400 naming the field.
"""

import math
import re
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import relations, serializers

from core.numbers import NumberTooLarge, check_size, too_large_field_message, too_large_message

# Checked in this order: DecimalField before IntegerField's relatives, ChoiceField before text.
_TYPES = [
    (serializers.BooleanField, (bool,), _("Ange true eller false.")),
    (
        serializers.DecimalField,
        (str, int),
        _('Ange talet som text, t.ex. "12.5", eller som heltal.'),
    ),
    (serializers.IntegerField, (int,), _("Ange ett heltal.")),
    (relations.PrimaryKeyRelatedField, (int,), _("Ange ett id (ett heltal).")),
    (serializers.ChoiceField, (str,), _("Ange ett av de tillåtna värdena som text.")),
    (serializers.CharField, (str,), _("Ange en text.")),
    (serializers.DateField, (str,), _('Ange ett datum som text, t.ex. "2026-03-31".')),
    (serializers.ListSerializer, (list,), _("Ange en lista.")),
    (serializers.Serializer, (dict,), _("Ange ett objekt.")),
]


def type_error(field, value) -> str | None:
    """The message for ``value`` if it is not the JSON type ``field`` reads, else None."""
    if value is None:
        return None  # the field itself says whether null is allowed
    if isinstance(value, float) and math.isinf(value):
        return None  # JSON's 1e309: the number field calls it too large, which it is
    for field_class, types, message in _TYPES:
        if isinstance(field, field_class):
            if isinstance(value, bool) and bool not in types:
                return str(message)
            return None if isinstance(value, types) else str(message)
    return None


def decimal_pattern(field) -> str:
    """The form of a number given as text, for the schema: digits, a point and decimals only,
    within the field's digits (DRF alone would also read " 1", "1." and "1e3")."""
    whole = field.max_digits - field.decimal_places
    return rf"^-?[0-9]{{1,{whole}}}(\.[0-9]{{1,{field.decimal_places}}})?$"


_NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # the form; the field itself counts the digits


def size_error(field, value) -> tuple[str, str] | None:
    """ "Talet är för stort" for a number the column cannot hold, however it was written ("1e24",
    1e24, "Infinity"): said before the form is judged, as the form, the import and Kolada say it
    (core.numbers: one size rule)."""
    if not isinstance(field, serializers.DecimalField) or isinstance(value, bool):
        return None
    if not isinstance(value, str | int | float):
        return None
    whole = (field.max_digits or 18) - (field.decimal_places or 0)
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        return None  # not a number at all: the form check names it
    try:
        if number.is_nan():
            return None
        if number.is_infinite():
            raise NumberTooLarge
        check_size(number, whole_digits=whole)
    except NumberTooLarge:
        if getattr(field, "names_what_was_written", False):  # a value: the write path's words
            return too_large_message(value), "too_large"
        return str(too_large_field_message(whole)), "too_large"
    return None


def number_error(field, value) -> str | None:
    if isinstance(field, serializers.DecimalField) and isinstance(value, str):
        if not _NUMBER_TEXT.fullmatch(value):
            return str(
                _("Skriv talet med siffror och punkt, högst %(decimals)s decimaler, t.ex. 12.5.")
                % {"decimals": field.decimal_places}
            )
    return None


class StrictTypes:
    # A serializer mixin: every field present in the body must have the JSON type it states, and a
    # number given as text must be written as the schema says. (A comment, not a docstring: the
    # schema would show a docstring as the description of every serializer using the mixin.)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            errors = {}
            for name, field in self.fields.items():
                if field.read_only or name not in data:
                    continue
                too_large = size_error(field, data[name])
                if too_large:
                    errors[name] = [serializers.ErrorDetail(too_large[0], code=too_large[1])]
                    continue
                message = type_error(field, data[name]) or number_error(field, data[name])
                if message:
                    errors[name] = [serializers.ErrorDetail(message, code="incorrect_type")]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)
