"""Ancestors at city scale (issue #16, item 4): the walk up from the unit against
django-tree-queries' numbering of the whole tree, on the city in the database, alternated so both
see the machine's load of the same moment. Median wall and CPU milliseconds per call.

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=… manage.py shell -c \\
        "from bench.ancestors import report; report()"
"""

import random
import statistics
import time

from django.db import connection
from tree_queries.query import TreeQuerySet

from organisation.models import OrgUnit


def _whole_tree(unit) -> list:
    """django-tree-queries' own ``ancestors()``, as every page used it before."""
    return list(TreeQuerySet.ancestors(OrgUnit.objects.all(), unit))


def _walk(unit) -> list:
    return list(OrgUnit.objects.ancestors(unit))


def _timed(fn, unit) -> tuple[float, float, int]:
    fresh = OrgUnit.objects.get(pk=unit)  # as a page reads card.unit: no path known
    wall, cpu = time.perf_counter(), time.process_time()
    found = fn(fresh)
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, len(found)


def measure(n: int = 60, seed: int = 1) -> dict:
    leaves = list(OrgUnit.objects.filter(kind="enhet").values_list("pk", flat=True))
    units = random.Random(seed).sample(leaves, min(n, len(leaves)))
    times = {"whole tree": ([], []), "walk": ([], [])}
    for unit in units:
        for name, fn in (("whole tree", _whole_tree), ("walk", _walk)):
            wall, cpu, depth = _timed(fn, unit)
            times[name][0].append(wall)
            times[name][1].append(cpu)
        fresh = OrgUnit.objects.get(pk=unit)
        assert [u.pk for u in _whole_tree(fresh)] == [u.pk for u in _walk(fresh)], unit
    return {
        "units": OrgUnit.objects.count(),
        "db": connection.vendor,
        **{
            name: {
                "p50_ms": round(statistics.median(wall), 2),
                "cpu_p50_ms": round(statistics.median(cpu), 2),
            }
            for name, (wall, cpu) in times.items()
        },
    }


def report() -> None:
    print(measure())
