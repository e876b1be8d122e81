"""``core`` is the floor the domain apps stand on: it imports none of them.

An import-linter-like check. Every import of a domain app from core's own modules (its tests
excepted: they may build whatever they test with) must be in ``ALLOWED`` with the reason it is
still there; a new one fails, and so does an allowed one that is gone, so the list stays true.
The demo city is the app ``demo`` for this reason: it builds units, scorecards and values.
"""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent
DOMAIN_APPS = {
    "accounts",
    "api",
    "assignments",
    "internalcontrol",
    "audit",
    "bench",
    "demo",
    "economy",
    "firstrun",
    "followup",
    "kolada",
    "organisation",
    "reports",
    "scorecards",
    "yearreports",
}

# (module in core, imported module): why it is allowed for now.
ALLOWED = {
    ("context_processors.py", "organisation"): (
        "every page asks organisation.access, the one permission module, whether to show the "
        "administration links"
    ),
    ("views.py", "organisation"): "the operations pages ask organisation.access who may operate",
    ("word_template.py", "organisation"): (
        "the Word template page asks organisation.access, the one permission module, who may "
        "change it"
    ),
    ("views.py", "kolada.models"): "the operations page lists Kolada sync runs (imported lazily)",
    ("views.py", "kolada.runs"): "the operations page closes dead sync runs (imported lazily)",
    ("metrics.py", "kolada.models"): "/metrics reports the last Kolada sync (imported lazily)",
    ("site.py", "organisation.models"): (
        "the site settings keep only unit kinds organisation.UnitKind knows; inverting means "
        "moving UnitKind into core"
    ),
    (
        "testing.py",
        "organisation.models",
    ): "test support: builds a small world for every app's tests",
    ("testing.py", "scorecards.models"): "test support: builds a small world for every app's tests",
    ("testing.py", "demo.city"): "test support: the world uses the demo's perspectives",
}


def domain_imports(source: str) -> set[str]:
    """Every module of a domain app that the source imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(name for name in names if name.split(".")[0] in DOMAIN_APPS)
    return found


def core_imports() -> set[tuple[str, str]]:
    pairs = set()
    for path in CORE.rglob("*.py"):
        relative = path.relative_to(CORE)
        if relative.parts[0] == "tests":
            continue
        for module in domain_imports(path.read_text(encoding="utf-8")):
            pairs.add((relative.as_posix(), module))
    return pairs


def test_core_imports_no_domain_app_beyond_the_listed_exceptions():
    unexpected = sorted(core_imports() - ALLOWED.keys())
    assert not unexpected, f"core imports a domain app: {unexpected}"


def test_every_listed_exception_is_still_needed():
    gone = sorted(ALLOWED.keys() - core_imports())
    assert not gone, f"remove from ALLOWED, core no longer imports: {gone}"


def test_the_check_sees_top_level_and_lazy_imports():
    source = (
        "import kolada\nfrom scorecards.models import Goal\ndef f():\n    from demo import city\n"
    )
    assert domain_imports(source) == {"kolada", "scorecards.models", "demo"}
    assert domain_imports("from .models import X\nfrom django.db import models\n") == set()
