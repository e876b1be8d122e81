"""The whole benchmark in one command: ``make bench`` (or ``.venv/bin/python bench/run.py``).

For each database and scale it makes a database holding the generated city, runs
``manage.py benchmark`` in a fresh process (so its peak memory is that of one worker serving
those requests), writes ``bench/results/<db>-<scale>.json`` and prints the tables, then a summary
with the goals of issue 7 — including medium → large — as PASS/FAIL.

SQLite databases are kept in ``data/bench/<scale>.sqlite3`` and reused (``--regenerate`` builds
them again); PostgreSQL runs on a throw-away server (``scripts/with-postgres.sh``), so its cities
are generated on every run. The settings are ``bench.settings``: the production profile over
plain HTTP.

    .venv/bin/python bench/run.py --scales medium,large --dbs sqlite,postgres
"""

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DATA = ROOT / "data" / "bench"
PY = sys.executable


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="medium,large", help="small, medium, large, tiny")
    parser.add_argument("--dbs", default="sqlite,postgres", help="sqlite, postgres")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds per page at most")
    parser.add_argument("--imports", default="10000,100000", help="values per import")
    parser.add_argument(
        "--import-limit", type=float, default=300.0, help="skip an import estimated longer (s)"
    )
    parser.add_argument("--regenerate", action="store_true", help="build SQLite cities again")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args(argv)
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    dbs = [d.strip() for d in args.dbs.split(",") if d.strip()]
    status = 0
    for db in dbs:
        if db == "postgres" and not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            status |= _under_postgres(args)
            continue
        for scale in scales:
            try:
                url, generation = prepare(db, scale, regenerate=args.regenerate)
            except subprocess.CalledProcessError as exc:
                print(f"{db}/{scale}: preparing the database failed ({exc})", flush=True)
                status = 1
                continue
            status |= benchmark(db, scale, url, generation, args)
    summary(dbs, scales)
    return status


def _under_postgres(args) -> int:
    """This script again, for PostgreSQL only, inside a throw-away server on a free port."""
    argv = [
        "--dbs=postgres", f"--scales={args.scales}", f"--repeat={args.repeat}",
        f"--budget={args.budget}", f"--imports={args.imports}",
        f"--import-limit={args.import_limit}",
    ] + (["--no-pdf"] if args.no_pdf else [])  # fmt: skip
    env = {**os.environ, "PGPORT": str(free_port())}
    command = ["bash", str(ROOT / "scripts" / "with-postgres.sh"), PY, __file__, *argv]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def django_env(url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DATABASE_URL": url}
    env["DEBUG"] = "false"  # the Makefile exports DEBUG=true for development
    return env


def manage(url: str, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=django_env(url), check=True)  # noqa: S603


def setup(url: str) -> None:
    """What a deployment does before serving: tables, the cache table, static files."""
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "createcachetable")
    manage(url, "collectstatic", "--noinput", "-v0")


def prepare(db: str, scale: str, *, regenerate: bool) -> tuple[str, dict]:
    """A migrated database holding the city of ``scale``; (its URL, how long generating took)."""
    DATA.mkdir(parents=True, exist_ok=True)
    meta = DATA / f"{db}-{scale}.generate.json"
    if db == "sqlite":
        path = DATA / f"{scale}.sqlite3"
        url = f"sqlite:///{path}"
        if path.exists() and meta.exists() and not regenerate:
            setup(url)
            print(f"{db}/{scale}: reusing {path.relative_to(ROOT)}", flush=True)
            return url, json.loads(meta.read_text())
        for old in DATA.glob(f"{scale}.sqlite3*"):
            old.unlink()
        meta.unlink(missing_ok=True)
    elif db == "postgres":
        url = _fresh_postgres_database(f"bench_{scale}")
    else:
        raise SystemExit(f"unknown database {db!r}: sqlite or postgres")
    print(f"{db}/{scale}: migrating and generating …", flush=True)
    setup(url)
    started = time.perf_counter()
    manage(url, "generate_city", "--scale", scale, "--json", str(meta))
    generation = json.loads(meta.read_text())
    generation["wall_seconds"] = round(time.perf_counter() - started, 1)
    meta.write_text(json.dumps(generation, indent=2) + "\n")
    return url, generation


def _fresh_postgres_database(name: str) -> str:
    import psycopg

    base = os.environ["DATABASE_URL"]
    with psycopg.connect(base.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def benchmark(db: str, scale: str, url: str, generation: dict, args) -> int:
    out = RESULTS / f"{db}-{scale}.json"
    command = [
        "benchmark", f"--scale={scale}", f"--db={db}", f"--repeat={args.repeat}",
        f"--budget={args.budget}", f"--imports={args.imports}", f"--out={out}",
        f"--import-limit={args.import_limit}",
    ] + (["--no-pdf"] if args.no_pdf else [])  # fmt: skip
    try:
        manage(url, *command)
    except subprocess.CalledProcessError as exc:
        print(f"{db}/{scale}: the benchmark failed ({exc})", flush=True)
        return 1
    result = json.loads(out.read_text())
    result["generation"] = generation
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    return 0


def summary(dbs: list[str], scales: list[str]) -> None:
    """p95 per page and scale side by side, then the goals with PASS/FAIL."""
    sys.path.insert(0, str(ROOT))
    from bench.report import scale_verdicts  # plain Python: no Django setup needed

    results = {}
    for db in dbs:
        for scale in scales:
            path = RESULTS / f"{db}-{scale}.json"
            if path.exists():
                results[(db, scale)] = json.loads(path.read_text())
    if not results:
        return
    keys = list(results)
    names = []
    for r in results.values():
        names += [p["name"] for p in r["pages"] if p["name"] not in names]
    head = ["p95 ms (CPU ms) × floor / queries", *[f"{db} {scale}" for db, scale in keys]]
    rows = [head]
    for name in names:
        row = [name]
        for key in keys:
            page = next((p for p in results[key]["pages"] if p["name"] == name), None)
            row.append(_cell(page))
        rows.append(row)
    for n in sorted({i["values"] for r in results.values() for i in r["imports"]}):
        row = [f"import {n:,} values (s)"]
        for key in keys:
            imp = next((i for i in results[key]["imports"] if i["values"] == n), None)
            row.append(_import_cell(imp))
        rows.append(row)
    for name in dict.fromkeys(
        y["name"] for r in results.values() for y in r.get("year_report", [])
    ):
        row = [f"{name} (s)"]
        for key in keys:
            y = next((y for y in results[key].get("year_report", []) if y["name"] == name), None)
            row.append(_export_cell(y))
        rows.append(row)
    rows.append(
        [
            "import SIE 4, 100,000 transactions (s)",
            *[str((results[k].get("economy_import") or {}).get("seconds", "")) for k in keys],
        ]
    )
    rows.append(["peak RSS (MB)", *[str(results[k]["memory"]["peak_rss_mb"]) for k in keys]])
    rows.append(
        [
            "generating (s)",
            *[str(results[k].get("generation", {}).get("seconds", "")) for k in keys],
        ]
    )
    lines = ["", "Summary (" + ", ".join(f"{k[0]} {k[1]}: {results[k]['measured_at']}" for k in keys) + ")"]  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    for i, row in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j == 0 else c.rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True))))  # fmt: skip
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    for db in dbs:
        large = results.get((db, "large"))
        if large:
            lines += ["", f"Goals of issue 7 at the large scale on {db}:"]
            lines += [f"  {g['verdict']}  {g['goal']}: {g['measured']}" for g in large["goals"]]
            medium = results.get((db, "medium"))
            if medium:
                lines += [
                    f"  {g['verdict']}  {g['goal']}: {g['measured']}"
                    for g in scale_verdicts(medium, large)
                ]
    text = "\n".join(lines) + "\n"
    print(text, flush=True)
    (RESULTS / "summary.txt").write_text(text, encoding="utf-8")


def _export_cell(export) -> str:
    if export is None:
        return ""
    if "seconds" not in export:
        return "error"
    return f"{export['seconds']} ({export['cpu_seconds']} CPU)"


def _import_cell(imp) -> str:
    if imp is None:
        return ""
    if "seconds" in imp:
        return str(imp["seconds"])
    return f"~{imp['estimated_seconds']:.0f} (est.)" if imp.get("skipped") else "error"


def _cell(page) -> str:
    if page is None:
        return ""
    if "p95_ms" not in page:
        return "error"
    floor = f" {page['floor_ratio']}×" if "floor_ratio" in page else ""
    return f"{page['p95_ms']:.0f} ({page.get('cpu_median_ms', 0):.0f}){floor} / {page['queries']}"


if __name__ == "__main__":
    sys.exit(main())
