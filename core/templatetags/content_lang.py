"""Marking content written in Swedish when the interface is in another language.

Goals, units, perspectives, visions and analyses are written by the municipality in Swedish;
when the interface is English, ``<a href="…"{% sv %}>{{ goal.title }}</a>`` gives them
``lang="sv"`` so screen readers pronounce them as Swedish (WCAG 3.1.2, language of parts).
"""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def sv() -> str:
    """``' lang="sv"'`` inside a start tag when the interface is not Swedish, else nothing."""
    return "" if (get_language() or "sv").startswith("sv") else mark_safe(' lang="sv"')  # noqa: S308
