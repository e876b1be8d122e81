"""Measuring Styrkort on a generated city, in-process (``manage.py benchmark``).

Pages are requested through Django's test client, so a figure is the server's own work for one
request — URL routing, middleware, view, queries and template — without network or browser.
Each page is requested a few times to warm up, then ``repeat`` times (fewer if it exceeds its time
budget); the median and the 95th percentile (nearest rank) are reported with the number of SQL
queries, next to ``/healthz`` as the baseline. Imports run through ``measurements_save`` — the
write path of the entry page, the spreadsheet import, the API and the Kolada sync — in one
transaction that is rolled back afterwards, so the data stays as generated and runs are repeatable.
Peak memory is the process's maximum resident set size, the figure a worker process would reach.
"""

import json
import os
import platform
import resource
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone

from demo.city import DEMO_PASSWORD
from followup.entry import RowInput, measurements_save
from followup.locking import locks_unchanged
from followup.models import FollowUpOccasion, Measurement
from followup.rollup import batched_refresh
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind
from scorecards.models import Goal, Indicator, Metric, Scorecard, Source

from .floor import floors
from .generate import ADMIN_USERNAME, BENCH_PASSWORD, REPORTER_PREFIX
from .report import percentile, verdicts

COLD = "(cold: first after a change)"

# Signed-in requests need a backend that can load the user again (django-axes' cannot).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class QueryCounter:
    """Counts SQL statements on the default connection while installed (cheap: no logging)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@dataclass
class Budget:
    repeat: int = 30
    min_repeat: int = 5
    seconds: float = 20.0
    warmup: int = 2


def measure_path(
    client: Client,
    path: str,
    budget: Budget,
    before: Callable[[], object] | None = None,
    floor: Callable[[], object] | None = None,
) -> dict:
    """Time GET ``path``; the status, size and query count are those of the first timed request.

    ``before`` runs ahead of every request, untimed (e.g. emptying the cache for a cold render).
    ``floor`` (``bench.floor``) is the minimal SQL for what the page shows: timed after each
    request, alternating with it, so that page and floor share the machine's load of the moment.
    """
    for _ in range(budget.warmup):
        client.get(path)
        if floor is not None:
            floor()
    times, cpu, queries, status, size = [], [], None, None, None
    floor_times, floor_cpu = [], []
    started = time.perf_counter()
    while len(times) < budget.repeat:
        if before is not None:
            before()
        with QueryCounter() as counter:
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(path)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        if queries is None:
            queries, status, size = counter.count, response.status_code, len(response.content)
        if floor is not None:
            t0, c0 = time.perf_counter(), time.process_time()
            floor()
            floor_times.append(time.perf_counter() - t0)
            floor_cpu.append(time.process_time() - c0)
        if len(times) >= budget.min_repeat and time.perf_counter() - started > budget.seconds:
            break
    ms = [t * 1000 for t in times]
    measured = {
        "path": path,
        "status": status,
        "bytes": size,
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p50_ms": round(statistics.median(ms), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "min_ms": round(min(ms), 2),
        "max_ms": round(max(ms), 2),
        # CPU time of this process (Python and, on SQLite, the database too): unlike the wall
        # clock it hardly moves when other work shares the machine.
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
        "queries": queries,
    }
    if floor_times:
        floor_p50 = statistics.median(floor_times) * 1000
        measured["floor_p50_ms"] = round(floor_p50, 2)
        measured["floor_ratio"] = round(measured["p50_ms"] / max(floor_p50, 1e-6), 1)
        # CPU time of this process: on SQLite the database's work too, so the ratio of CPU
        # times holds when a loaded machine stretches the wall clock; on PostgreSQL the
        # server's own work is not in it.
        floor_cpu_p50 = statistics.median(floor_cpu) * 1000
        measured["floor_cpu_p50_ms"] = round(floor_cpu_p50, 2)
        measured["floor_cpu_ratio"] = round(measured["cpu_median_ms"] / max(floor_cpu_p50, 1e-3), 1)
    return measured


# ── What to request ────────────────────────────────────────────────────────────────────────────


def find_targets(year: int | None = None) -> dict:
    """The scorecards, goals and accounts the benchmark and the load test use, for any city.

    The city's scorecard and its goal with the most contributors; a committee's scorecard; the
    value-entry scorecard of a unit at the lowest level that has a reporter; samples of scorecards
    and goals for browsing; and every reporter with their own unit's scorecard.
    """
    year = year or date.today().year
    cards = Scorecard.objects.public().filter(year=year)
    if not cards.exists():
        year = Scorecard.objects.public().order_by("-year").values_list("year", flat=True).first()
        cards = Scorecard.objects.public().filter(year=year)
    city = cards.filter(unit__parent__isnull=True).select_related("unit").first()
    committee = (
        cards.filter(unit__parent=city.unit).order_by("unit__order", "unit__name", "pk").first()
    )
    city_goal = (
        Goal.objects.filter(scorecard=city)
        .annotate(n=Count("contributions"))
        .order_by("-n", "perspective__order", "order", "pk")
        .first()
    )
    reporters = []
    assignments = (
        RoleAssignment.objects.filter(role=Role.REPORTER, unit__scorecards__year=year)
        .select_related("user")
        .order_by("user__username")
    )
    for ra in assignments:
        card = cards.filter(unit_id=ra.unit_id).values_list("pk", flat=True).first()
        if card and ra.user.is_active:
            reporters.append({"username": ra.user.username, "card": card})
    leaf_units = OrgUnit.objects.filter(kind=UnitKind.UNIT)
    entry = reporters[0]["card"] if reporters else None
    leaf = entry or cards.filter(unit__in=leaf_units).values_list("pk", flat=True).first()
    admin = _admin()
    goals = list(
        Goal.objects.filter(scorecard__in=cards).order_by("?").values_list("pk", flat=True)[:300]
    )
    return {
        "year": year,
        "city_card": city.pk,
        "committee_card": committee.pk if committee else city.pk,
        "leaf_card": leaf or city.pk,
        "entry_card": entry or leaf or city.pk,
        "entry_user": reporters[0]["username"] if reporters else (admin.username if admin else ""),
        "city_goal": city_goal.pk,
        "admin": admin.username if admin else "",
        "password": BENCH_PASSWORD if any(_is_bench(r) for r in reporters) else DEMO_PASSWORD,
        "cards": list(cards.order_by("?").values_list("pk", flat=True)[:300]),
        "goals": goals,
        "reporters": [r for r in reporters if _is_bench(r)] or reporters,
    }


def _is_bench(reporter: dict) -> bool:
    return reporter["username"].startswith(REPORTER_PREFIX)


def _admin():
    User = get_user_model()
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    admin = admin or User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        # An administrator of the whole city: one of a subtree would see less than the pages hold.
        ra = (
            RoleAssignment.objects.filter(role=Role.ADMIN, unit__parent__isnull=True)
            .select_related("user")
            .first()
        )
        admin = ra.user if ra else None
    return admin


def page_list(targets: dict) -> list[tuple[str, str, str]]:
    """(name, path, who) for every page measured; who is anonymous, reporter or admin."""
    entry = reverse("value_entry", args=[targets["entry_card"]])
    return [
        ("baseline /healthz", "/healthz", "anonymous"),
        ("city scorecard /", reverse("home"), "anonymous"),
        ("committee scorecard", reverse("scorecard_detail", args=[targets["committee_card"]]), "anonymous"),
        ("unit scorecard (level 5)", reverse("scorecard_detail", args=[targets["leaf_card"]]), "anonymous"),
        ("goal chain of a city goal", reverse("goal_chain", args=[targets["city_goal"]]), "anonymous"),
        ("value entry", entry, "reporter"),
        ("organisation tree", reverse("unit_tree"), "anonymous"),
        *_overview_pages(targets),
    ]  # fmt: skip


def _overview_pages(targets: dict) -> list[tuple[str, str, str]]:
    """Issue 20's pages: "Att göra" (the landing after sign-in) and an occasion's progress."""
    pages = [
        ("att göra (reporter landing)", reverse("todo"), "reporter"),
        ("att göra (city administrator)", reverse("todo"), "admin"),
    ]
    occasion = (
        FollowUpOccasion.objects.filter(year=targets["year"])
        .order_by("end_month")
        .values_list("pk", flat=True)
        .first()
    )
    if occasion:
        pages.append(
            (
                "occasion progress",
                reverse("occasion_detail", args=[occasion]) + "?sort=utfall",
                "admin",
            )
        )
    return pages


def _routes(patterns=None, ns: str = ""):
    """(namespaced name, parameter names) of every named URL pattern."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, ns + (f"{p.namespace}:" if p.namespace else ""))
        elif p.name:
            pattern = p.pattern
            params = getattr(pattern, "converters", None) or pattern.regex.groupindex
            yield ns + p.name, [k for k in params if k != "format"]


def api_list_paths() -> list[tuple[str, str]]:
    """The REST API's list endpoints (DRF routers name them ``<basename>-list``)."""
    found = {}
    for name, params in _routes():
        if name.startswith("api:") and name.endswith("-list") and not params:
            try:
                found.setdefault(reverse(name), name)
            except NoReverseMatch:
                continue
    return [(f"API {name.split(':')[-1]}", path) for path, name in sorted(found.items())]


def _job_in_place(name: str):
    """A PDF is laid out by the worker, never in the request (reports.prepared): measured with
    the immediate backend, the job runs in place and its layout is what the row shows."""
    if not name.startswith("PDF "):
        return nullcontext()
    return override_settings(TASKS={"default": {"BACKEND": IMMEDIATE}})


IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def pdf_paths(targets: dict) -> list[tuple[str, str]]:
    """Every PDF report URL, filled in with the city's scorecard (and a follow-up occasion)."""
    occasion = (
        FollowUpOccasion.objects.filter(year=targets["year"])
        .order_by("-end_month")
        .values_list("pk", flat=True)
        .first()
    )
    values = {"pk": targets["city_card"], "occasion_pk": occasion}
    paths = []
    for name, params in _routes():
        if "pdf" not in name.lower() or any(values.get(k) is None for k in params):
            continue
        try:
            paths.append(
                (f"PDF {name.split(':')[-1]}", reverse(name, kwargs={k: values[k] for k in params}))
            )
        except NoReverseMatch:
            continue
    return sorted(set(paths))


# ── Imports ────────────────────────────────────────────────────────────────────────────────────


def import_plan(count: int, year: int) -> list[tuple[OrgUnit, int, int, list[RowInput], dict]]:
    """``count`` values as an import would bring them: per unit and period, a row for each
    indicator of the unit's ``year`` scorecard. Periods run from December of ``year`` backwards
    (into earlier years when one year is not enough, as a backfill would), so empty months come
    first (new values) and then months with values (changed values)."""
    # Ids first and one object per indicator and unit: the plan should weigh little next to
    # the import it feeds, since peak memory is measured around both.
    pairs = (
        Metric.objects.filter(goal__scorecard__year=year)
        .order_by("goal__scorecard__unit_id", "indicator_id")
        .values_list("goal__scorecard__unit_id", "indicator_id")
        .distinct()
    )
    indicators = Indicator.objects.in_bulk()
    units = OrgUnit.objects.in_bulk()
    by_unit: dict[int, dict] = defaultdict(dict)
    for unit_id, indicator_id in pairs:
        by_unit[unit_id][indicator_id] = indicators[indicator_id]
    plan, planned = [], 0
    for period_year in range(year, year - 10, -1):
        for month in range(12, 0, -1):
            for unit_id, allowed in by_unit.items():
                if planned >= count:
                    return plan
                take = list(allowed.values())[: count - planned]
                inputs = [
                    RowInput(indicator_id=ind.pk, value=_plausible_text(ind, unit_id, month))
                    for ind in take
                ]
                plan.append((units[unit_id], period_year, month, inputs, allowed))
                planned += len(inputs)
    if planned < count:
        raise ValueError(f"only {planned} values fit in ten years of {year}'s scorecards")
    return plan


def _plausible_text(indicator, unit_id: int, month: int) -> str:
    """A value inside the indicator's plausible range, written as a Swedish spreadsheet would."""
    low = float(indicator.plausible_min) if indicator.plausible_min is not None else 0.0
    high = float(indicator.plausible_max) if indicator.plausible_max is not None else 1000.0
    spread = (unit_id * 31 + month * 7 + indicator.pk) % 97 / 97
    return f"{low + (high - low) * (0.2 + 0.6 * spread):.1f}".replace(".", ",")


def measure_import(count: int, *, user, year: int) -> dict:
    """Save ``count`` values through ``measurements_save`` in one transaction (as the API's
    bulk write and the spreadsheet import do) and time it; then roll everything back."""
    plan = import_plan(count, year)
    created = updated = 0
    locks: dict = {}  # as an import shares them: each year's locks read once
    with transaction.atomic():
        with QueryCounter() as counter:
            started, cpu = time.perf_counter(), time.process_time()
            with batched_refresh():
                for unit, period_year, month, inputs, allowed in plan:
                    result = measurements_save(
                        unit=unit, year=period_year, month=month, inputs=inputs, user=user,
                        source=Source.FILE, allowed=allowed, locks=locks,
                    )  # fmt: skip
                    if not result.ok:
                        raise RuntimeError(f"import refused: {result.errors}")
                    created += result.created
                    updated += result.updated
                if not locks_unchanged(locks):  # as an import checks before it commits
                    raise RuntimeError("a period was locked during the import")
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
        transaction.set_rollback(True)
    return {
        "values": count,
        "seconds": round(seconds, 4),  # four decimals: a small import takes milliseconds
        "cpu_seconds": round(cpu, 4),
        "created": created,
        "updated": updated,
        "queries": counter.count,
        "per_value_ms": round(seconds / count * 1000, 3),
    }


def measure_import_floor(count: int, *, user, year: int) -> dict:
    """The bulk floor of an import of ``count`` values: the same rows inserted and updated in
    bulk and nothing else — one query finding which exist, new rows in batches of 1,000, changed
    rows in one prepared UPDATE run; no validation, locks, history or statuses. Rolled back."""
    plan = import_plan(count, year)
    with transaction.atomic():
        started, cpu = time.perf_counter(), time.process_time()
        wanted = {
            (ind.indicator_id, unit.pk, period_year, month): ind.value
            for unit, period_year, month, inputs, _allowed in plan
            for ind in inputs
        }
        periods = Q()
        for period in {k[2:] for k in wanted}:
            periods |= Q(year=period[0], month=period[1])
        existing = {
            (i, u, y, m): pk
            for pk, i, u, y, m in Measurement.objects.filter(
                periods, unit_id__in={k[1] for k in wanted}
            ).values_list("pk", "indicator_id", "unit_id", "year", "month")
            if (i, u, y, m) in wanted
        }
        now = timezone.now()
        new, changed = [], []
        for key, text in wanted.items():
            value = Decimal(text.replace(",", "."))
            if key in existing:
                changed.append((value, user.pk, now, existing[key]))
            else:
                i, u, y, m = key
                new.append(
                    Measurement(
                        indicator_id=i, unit_id=u, year=y, month=m, value=value,
                        source=Source.FILE, entered_by_id=user.pk,
                    )
                )  # fmt: skip
        Measurement.objects.bulk_create(new, batch_size=1000)
        table = connection.ops.quote_name(Measurement._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET value = %s, entered_by_id = %s, updated_at = %s, "  # noqa: S608 - the table's name only
                "version = version + 1 WHERE id = %s",
                [
                    (
                        connection.ops.adapt_decimalfield_value(v, 18, 4),
                        who,
                        connection.ops.adapt_datetimefield_value(at),
                        pk,
                    )
                    for v, who, at, pk in changed
                ],
            )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
        transaction.set_rollback(True)
    return {
        "seconds": round(seconds, 4),
        "cpu_seconds": round(cpu, 4),
        "created": len(new),
        "updated": len(changed),
    }


def measure_import_against_floor(count: int, *, user, year: int) -> dict:
    """The import between two runs of its bulk floor (floor, import, floor), so that both see the
    same load on a shared machine; the ratio is the import's time over the floors' mean."""
    floors = [measure_import_floor(count, user=user, year=year)]
    measured = measure_import(count, user=user, year=year)
    floors.append(measure_import_floor(count, user=user, year=year))
    floor = statistics.mean(f["seconds"] for f in floors)
    floor_cpu = statistics.mean(f["cpu_seconds"] for f in floors)
    measured.update(
        # Four decimals: a small import's floor is a few milliseconds (0.0 with two, on a fast
        # machine, which failed bench/tests/test_measure.py under CI).
        floor_seconds=round(floor, 4),
        floor_ratio=round(measured["seconds"] / max(floor, 1e-6), 1),
        floor_cpu_seconds=round(floor_cpu, 4),
    )
    return measured


# ── The whole run ──────────────────────────────────────────────────────────────────────────────


def data_shape() -> dict:
    return {
        "units": OrgUnit.objects.count(),
        "scorecards": Scorecard.objects.count(),
        "goals": Goal.objects.count(),
        "chain_links": Goal.contributes_to.through.objects.count(),
        "metrics": Metric.objects.count(),
        "measurements": Measurement.objects.count(),
    }


def run(
    *,
    scale: str,
    db: str,
    budget: Budget,
    imports: tuple[int, ...] = (10_000, 100_000),
    pdf: bool = True,
    import_limit: float = 300.0,
    measure_pages: bool = True,
    progress: Callable[[str], None] = print,
) -> dict:
    """Measure every page, the imports and memory; returns the result as a JSON-ready dict."""
    started = time.perf_counter()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    targets = find_targets()
    shape = data_shape()
    progress(f"{db}/{scale}: {shape['units']} units, {shape['measurements']:,} values")
    User = get_user_model()
    clients = {"anonymous": Client()}
    for who, username in (("reporter", targets["entry_user"]), ("admin", targets["admin"])):
        clients[who] = Client()
        if username:
            clients[who].force_login(User.objects.get(username=username), backend=MODEL_BACKEND)
    notes = []
    pages = [(name, path, who, budget) for name, path, who in page_list(targets)]
    if not measure_pages:
        pages = pages[:1]  # the baseline only
    api = api_list_paths() if measure_pages else []
    if not api and measure_pages:
        notes.append("No REST API list endpoints (/api/v1/…) found: API not measured.")
    pages += [(name, path, "admin", budget) for name, path in api]
    pdfs = pdf_paths(targets) if pdf and measure_pages else []
    if pdf and measure_pages and not pdfs:
        notes.append("No PDF report URL found: PDF not measured.")
    pdf_budget = Budget(repeat=5, min_repeat=3, seconds=budget.seconds, warmup=1)
    pages += [(name, path, "admin", pdf_budget) for name, path in pdfs]
    # A report is laid out once per content (reports.pdf caches by content); the first request
    # after a change pays the layout, measured here with the cache emptied before each request.
    pages += [(f"{name} {COLD}", path, "admin", pdf_budget) for name, path in pdfs]

    results = []
    page_floors = floors(targets) if measure_pages else {}
    for name, path, who, page_budget in pages:
        before = cache.clear if name.endswith(COLD) else None
        try:
            with _job_in_place(name):
                measured = measure_path(
                    clients[who], path, page_budget, before, floor=page_floors.get(name)
                )
        except Exception as exc:  # a broken page is a finding, not the end of the run
            measured = {"path": path, "status": "error", "error": f"{type(exc).__name__}: {exc}"}
        measured.update(name=name, who=who)
        results.append(measured)
        progress(_line(measured))
    if measure_pages:  # issue #16.3: the city page right after a write elsewhere
        from bench import scoped

        for measured in scoped.measure_rows(clients["anonymous"], targets, budget):
            results.append(measured)
            progress(_line(measured) if "median_ms" in measured else measured["error"])
    baseline = results[0].get("median_ms") or 1
    for r in results:
        if "median_ms" in r:
            r["ratio"] = round(r["median_ms"] / baseline, 1)
    rss_pages = peak_rss_mb()

    import_results = []
    admin = User.objects.filter(username=targets["admin"]).first()
    rate = None  # seconds per value of the last import, to skip one that would run for ages
    for count in imports:
        if rate is not None and rate * count > import_limit:
            measured = {
                "values": count,
                "skipped": True,
                "error": f"skipped: about {rate * count:.0f} s at the smaller import's rate "
                f"(over the {import_limit:.0f} s limit)",
                "estimated_seconds": round(rate * count, 1),
            }
        else:
            try:
                measured = measure_import_against_floor(count, user=admin, year=targets["year"])
                rate = measured["seconds"] / count
            except Exception as exc:
                measured = {"values": count, "error": f"{type(exc).__name__}: {exc}"}
        import_results.append(measured)
        progress(
            f"import {count:,} values: {measured.get('seconds', measured.get('error'))} s"
            + (f", {measured['floor_ratio']}× its bulk floor" if "floor_ratio" in measured else "")
        )

    # The city's compiled year report exported to .docx and PDF, cold (bench/yearreport.py).
    year_report = []
    if pdf and measure_pages:
        from bench import yearreport

        year_report = yearreport.measure(**yearreport.SIZES.get(scale, yearreport.SIZES["small"]))
        for row in year_report:
            progress(f"  {row['name']}: {row.get('seconds', row.get('error'))} s")
    economy = _economy_import() if imports else None

    result = {
        "db": db,
        "scale": scale,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": _machine(),
        "data": shape,
        "targets": {k: v for k, v in targets.items() if k not in ("cards", "goals", "reporters")},
        "pages": results,
        "imports": import_results,
        "year_report": year_report,
        "economy_import": economy,
        "memory": {
            "peak_rss_mb_pages": round(rss_pages, 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
        },
        "notes": notes,
        "seconds": round(time.perf_counter() - started, 1),
    }
    result["machine"]["load_average"] = load_at_start
    result["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result["goals"] = verdicts(result)
    return result


def _economy_import() -> dict:
    """Issue 22: a SIE 4 file of 100,000 transactions imports in under 30 s (bench/economy.py)."""
    from .economy import measure_economy_import

    try:
        return measure_economy_import(100_000)
    except Exception as exc:  # a failed import is a finding, not the end of the run
        return {"transactions": 100_000, "error": f"{type(exc).__name__}: {exc}"}


def _machine() -> dict:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "database": f"{connection.vendor} {version}",
        "platform": platform.platform(),
    }


def _line(r: dict) -> str:
    if "median_ms" not in r:
        return f"  {r['name']}: {r.get('error') or r.get('status')}"
    floor = ""
    if "floor_ratio" in r:
        floor = (
            f", floor {r['floor_p50_ms']} ms ({r['floor_ratio']}×; "
            f"CPU {r['floor_cpu_p50_ms']} ms, {r['floor_cpu_ratio']}×)"
        )
    return (
        f"  {r['name']}: median {r['median_ms']} ms, p95 {r['p95_ms']} ms{floor}, "
        f"CPU {r['cpu_median_ms']} ms, {r['queries']} queries (n={r['n']}, HTTP {r['status']})"
    )


def write_json(result: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
