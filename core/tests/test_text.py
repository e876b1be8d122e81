"""core.text: the one rule for characters XML (and so every spreadsheet) cannot hold.

Property-based: whatever text is stored, ``clean_text`` and ``safe_cell`` give something that
openpyxl writes, that reads back the same, and that a spreadsheet will not run.
"""

import io
import re

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.spreadsheet import FORMULA_STARTS, safe_cell, safe_csv_cell
from core.text import FORBIDDEN, clean_text, first_forbidden, validate_text

# Text with the characters that matter here well represented: controls, surrogates, formulas.
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec=None, exclude_categories=()),
        st.sampled_from("\x00\x0b\x0c\x1f\t\r\n=+-@'\ud800\ufffe\uffff"),
    )
)


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x0c", "\x1f", "\ud800", "\uffff"])
def test_it_refuses_what_xml_cannot_hold_and_names_it(char):
    with pytest.raises(ValidationError) as caught:
        validate_text(f"Mål{char}")
    assert f"U+{ord(char):04X}" in caught.value.messages[0]
    assert "osynligt tecken" in caught.value.messages[0]


@pytest.mark.parametrize("text", ["Mål\tmed\ttabb", "rad\r\nrad\n", "Emoji 🎯 och \u202e", "", 12])
def test_it_accepts_what_xml_can_hold(text):
    validate_text(text)
    assert clean_text(text) == text


def test_a_vertical_tab_becomes_a_line_break():
    assert clean_text("rad ett\x0brad två\x0c\x01") == "rad ett\nrad två\n"


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_clean_text_leaves_nothing_xml_cannot_hold(text):
    cleaned = clean_text(text)
    assert first_forbidden(cleaned) is None
    validate_text(cleaned)
    assert clean_text(cleaned) == cleaned
    if not FORBIDDEN.search(text):
        assert cleaned == text


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=5))
def test_any_stored_text_survives_an_xlsx_round_trip(texts):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([safe_cell(t) for t in texts])
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    for cell, text in zip(back[1], texts, strict=True):
        written = cell.value or ""
        assert not (isinstance(written, str) and written.startswith(FORMULA_STARTS))
        assert written == (safe_cell(text) or "")  # line endings written as line feeds


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_no_csv_cell_starts_a_formula_unless_it_is_a_number(text):
    cell = safe_csv_cell(text)
    assert first_forbidden(cell) is None
    if cell.startswith(FORMULA_STARTS):
        assert re.fullmatch(r"-[0-9]+(\.[0-9]+)?", cell), cell


# --- every text input has the rule --------------------------------------------------------


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


PROJECT = ("accounts", "api", "audit", "core", "followup", "kolada", "organisation", "reports")
PROJECT += ("scorecards",)


def _project_classes(base) -> list[type]:
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name in PROJECT:
            for module in ("forms", "views", "serializers", "edit_views", "role_views"):
                try:
                    importlib.import_module(f"{config.name}.{module}")
                except ModuleNotFoundError:
                    pass
    return [c for c in _subclasses(base) if c.__module__.split(".")[0] in PROJECT]


def _refuses(run_validators) -> bool:
    """Whether a field's validators refuse a vertical tab (a slug field's own rule does too)."""
    from rest_framework.exceptions import ValidationError as ApiValidationError

    try:
        run_validators("a\x0bb")
    except (ValidationError, ApiValidationError):
        return True
    return False


def test_every_model_text_field_has_the_rule():
    from django.apps import apps
    from django.db import models

    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and validate_text not in field.validators
    ]
    assert not missing


def test_every_project_form_text_field_has_the_rule():
    from django import forms

    classes = _project_classes(forms.BaseForm)
    assert len(classes) > 10
    missing = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in classes
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and not _refuses(field.run_validators)
    ]
    assert not missing


def test_every_api_text_field_has_the_rule(rf, db):
    from django.contrib.auth.models import AnonymousUser
    from rest_framework import serializers

    request = rf.get("/")
    request.user = AnonymousUser()

    def fields_of(serializer, prefix):
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.ListSerializer):
                field = field.child
            if isinstance(field, serializers.Serializer):
                yield from fields_of(field, f"{prefix}.{name}")
            elif isinstance(field, serializers.CharField) and not field.read_only:
                yield f"{prefix}.{name}", field

    classes = _project_classes(serializers.Serializer)
    assert len(classes) > 10
    missing = [
        name
        for cls in classes
        for name, field in fields_of(cls(context={"request": request}), cls.__name__)
        if not _refuses(field.run_validators)
    ]
    assert not missing
