"""Links for pages that show hundreds of them: ``reverse`` once, then fill in each row's argument."""

from collections.abc import Callable

from django.urls import reverse

# Fits both the int and the slug path converters, and no fixed part of a URL contains it.
_MARK = "999999999"


def url_maker(name: str) -> Callable[[object], str]:
    """``url_maker("goal_chain")(pk)`` is ``reverse("goal_chain", args=[pk])`` for a one-argument
    URL whose argument needs no quoting (ids, slugs), without running the resolver per row."""
    template = reverse(name, args=[_MARK])
    return lambda arg: template.replace(_MARK, str(arg))
