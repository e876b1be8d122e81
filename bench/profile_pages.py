"""Measure or profile a few pages against their floor, quickly (issue #16).

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=sqlite:///$PWD/data/bench/large.sqlite3 \
      .venv/bin/python -m bench.profile_pages measure ["city scorecard /" ...]
    … -m bench.profile_pages profile "goal chain of a city goal"

``measure`` requests each page and runs its floor (``bench.floor``) alternately, as
``measure.measure_path`` does, and prints the medians of CPU and wall time, their ratios to the
floor and the warm query count; ``profile`` prints a cProfile of N requests (env ``N``, default
15; ``FILTER`` narrows the cumulative list, e.g. ``FILTER=followup``). Page names are those of
``measure.page_list`` and ``measure.api_list_paths``; without names, the issue's seven pages.
"""

import cProfile
import io
import os
import pstats
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from bench.floor import floors  # noqa: E402
from bench.measure import (  # noqa: E402
    MODEL_BACKEND,
    QueryCounter,
    api_list_paths,
    find_targets,
    page_list,
)

PAGES = [
    "city scorecard /",
    "committee scorecard",
    "unit scorecard (level 5)",
    "goal chain of a city goal",
    "value entry",
    "API goal-list",
    "API metric-list",
]


def _clients(targets: dict) -> dict[str, Client]:
    clients = {"anonymous": Client()}
    users = get_user_model().objects
    for who, username in (("reporter", targets["entry_user"]), ("admin", targets["admin"])):
        clients[who] = Client()
        clients[who].force_login(users.get(username=username), backend=MODEL_BACKEND)
    return clients


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def measure(client: Client, path: str, floor, n: int) -> str:
    with QueryCounter() as counter:
        client.get(path)
    cpu, wall, floor_cpu, floor_wall = [], [], [], []
    for _ in range(n):
        t0, c0 = time.perf_counter(), time.process_time()
        client.get(path)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
        t0, c0 = time.perf_counter(), time.process_time()
        floor()
        floor_wall.append(time.perf_counter() - t0)
        floor_cpu.append(time.process_time() - c0)
    c, w, fc, fw = map(_median_ms, (cpu, wall, floor_cpu, floor_wall))
    return (
        f"queries {counter.count:3d}  CPU {c:7.1f} ms (floor {fc:5.2f}, {c / fc:5.1f}×)"
        f"  wall {w:7.1f} ms (floor {fw:6.2f}, {w / fw:5.1f}×)"
    )


def profile(client: Client, path: str, n: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        client.get(path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(os.environ.get("FILTER", "."), 50)
    stats.sort_stats("tottime").print_stats(30)
    return out.getvalue()


def main(mode: str, names: list[str]) -> None:
    targets = find_targets()
    pages = {name: (path, who) for name, path, who in page_list(targets)}
    pages.update({name: (path, "admin") for name, path in api_list_paths()})
    page_floors, clients = floors(targets), _clients(targets)
    n = int(os.environ.get("N", "15"))
    for name in names or PAGES:
        path, who = pages[name]
        for _ in range(3):  # warm: caches, templates, the database's pages
            clients[who].get(path)
        if mode == "profile":
            print(f"===== {name}\n{profile(clients[who], path, n)}")
        else:
            print(f"{name:28s} {measure(clients[who], path, page_floors[name], n)}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
