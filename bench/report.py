"""The issue's goals next to measured figures, and the text tables: plain Python, no Django, so
``bench/run.py`` can summarise results without a database."""

import math

# The goals of issue 7, for the large scale on a 2-core machine.
P95_GOAL_MS = 150
IMPORT_GOALS_S = {10_000: 5, 100_000: 30}
MEMORY_GOAL_MB = 300
SCALE_RATIO_GOAL = 1.5
# Issue 16: an import within 5× of the same rows written in bulk, a page within 3× of its floor.
IMPORT_FLOOR_RATIO = 5
PAGE_FLOOR_RATIO = 3


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p % of the values at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def verdicts(result: dict) -> list[dict]:
    """The issue's goals next to what was measured, PASS or FAIL (the goals are for large)."""
    out = []
    for r in result["pages"][1:]:
        ok = "p95_ms" in r and r["status"] == 200 and r["p95_ms"] <= P95_GOAL_MS
        out.append(
            {
                "goal": f"{r['name']}: p95 ≤ {P95_GOAL_MS} ms",
                "measured": f"{r['p95_ms']} ms" if "p95_ms" in r else str(r.get("error")),
                "verdict": "PASS" if ok else "FAIL",
            }
        )
    for r in result["pages"][1:]:
        if "floor_ratio" in r:
            ok = r["floor_ratio"] <= PAGE_FLOOR_RATIO
            out.append(
                {
                    "goal": f"{r['name']}: median ≤ {PAGE_FLOOR_RATIO}× its data floor",
                    "measured": f"{r['floor_ratio']}× ({r['p50_ms']} ms / {r['floor_p50_ms']} ms; "
                    f"CPU {r.get('floor_cpu_ratio')}×)",
                    "verdict": "PASS" if ok else "FAIL",
                }
            )
    for imp in result["imports"]:
        limit = IMPORT_GOALS_S.get(imp["values"])
        if limit is None:
            continue
        ok = "seconds" in imp and imp["seconds"] <= limit
        out.append(
            {
                "goal": f"import of {imp['values']:,} values ≤ {limit} s",
                "measured": f"{imp['seconds']} s" if "seconds" in imp else imp.get("error"),
                "verdict": "PASS" if ok else "FAIL",
            }
        )
    economy = result.get("economy_import")
    if economy:  # issue 22
        out.append(
            {
                "goal": "import of a SIE 4 file with 100,000 transactions ≤ 30 s",
                "measured": f"{economy['seconds']} s"
                if "seconds" in economy
                else economy.get("error"),
                "verdict": "PASS" if economy.get("seconds", 1e9) <= 30 else "FAIL",
            }
        )
    for imp in result["imports"]:
        if "floor_ratio" in imp:
            ok = imp["floor_ratio"] <= IMPORT_FLOOR_RATIO
            out.append(
                {
                    "goal": f"import of {imp['values']:,} values ≤ {IMPORT_FLOOR_RATIO}× its bulk floor",
                    "measured": f"{imp['floor_ratio']}× ({imp['seconds']} s / {imp['floor_seconds']} s)",
                    "verdict": "PASS" if ok else "FAIL",
                }
            )
    peak = result["memory"]["peak_rss_mb"]
    out.append(
        {
            "goal": f"worker memory (peak RSS, pages and imports) ≤ {MEMORY_GOAL_MB} MB",
            "measured": f"{peak} MB",
            "verdict": "PASS" if peak <= MEMORY_GOAL_MB else "FAIL",
        }
    )
    return out


def scale_verdicts(medium: dict, large: dict) -> list[dict]:
    """medium → large: each page at most 1.5× slower (median), and the same number of queries."""
    out = []
    before = {r["name"]: r for r in medium["pages"] if "median_ms" in r}
    for r in large["pages"][1:]:
        m = before.get(r["name"])
        if m is None or "median_ms" not in r:
            continue
        ratio = r["median_ms"] / max(m["median_ms"], 1e-9)
        cpu = ""
        if r.get("cpu_median_ms") and m.get("cpu_median_ms"):
            cpu = f"; CPU {r['cpu_median_ms'] / max(m['cpu_median_ms'], 1e-9):.2f}×"
        out.append(
            {
                "goal": f"{r['name']}: medium → large ≤ {SCALE_RATIO_GOAL}×",
                "measured": f"{ratio:.2f}× ({m['median_ms']} → {r['median_ms']} ms{cpu})",
                "verdict": "PASS" if ratio <= SCALE_RATIO_GOAL else "FAIL",
            }
        )
        same = m["queries"] == r["queries"]
        out.append(
            {
                "goal": f"{r['name']}: query count constant",
                "measured": f"{m['queries']} → {r['queries']}",
                "verdict": "PASS" if same else "FAIL",
            }
        )
    return out


def format_table(result: dict) -> str:
    head = f"{result['db']} / {result['scale']}: " + ", ".join(
        f"{v:,} {k.replace('_', ' ')}" for k, v in result["data"].items()
    )
    rows = [
        (
            "page",
            "HTTP",
            "n",
            "median ms",
            "p95 ms",
            "floor p50",
            "× floor",
            "CPU ms",
            "CPU × floor",
            "× baseline",
            "queries",
            "p95 ≤ 150",
        )  # fmt: skip
    ]
    for r in result["pages"]:
        if "median_ms" not in r:
            rows.append(
                (
                    r["name"],
                    str(r["status"]),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    r.get("error", "")[:60],
                )  # fmt: skip
            )
            continue
        verdict = "" if r is result["pages"][0] else ("PASS" if r["p95_ms"] <= P95_GOAL_MS and r["status"] == 200 else "FAIL")  # fmt: skip
        rows.append(
            (
                r["name"], str(r["status"]), str(r["n"]), f"{r['median_ms']:.1f}",
                f"{r['p95_ms']:.1f}", str(r.get("floor_p50_ms", "")), str(r.get("floor_ratio", "")),
                f"{r['cpu_median_ms']:.1f}", str(r.get("floor_cpu_ratio", "")),
                f"{r.get('ratio', 0):.1f}",
                str(r["queries"]), verdict,
            )
        )  # fmt: skip
    load = result["machine"]["load_average"], result["machine"].get("load_average_at_end")
    head += f"\nload average (1, 5, 15 min) at start {load[0]}, at end {load[1]}"
    lines = [head, "", *_columns(rows), ""]
    imports = [("import", "seconds", "floor s", "× floor", "new", "changed", "queries", "goal", "verdict")]  # fmt: skip
    for imp in result["imports"]:
        limit = IMPORT_GOALS_S.get(imp["values"])
        if "seconds" in imp:
            verdict = "" if limit is None else ("PASS" if imp["seconds"] <= limit else "FAIL")
            imports.append(
                (
                    f"{imp['values']:,} values", f"{imp['seconds']:.1f}",
                    str(imp.get("floor_seconds", "")), str(imp.get("floor_ratio", "")), str(imp["created"]),
                    str(imp["updated"]), str(imp["queries"]), f"≤ {limit} s" if limit else "", verdict,
                )
            )  # fmt: skip
        elif imp.get("skipped"):
            estimate = f"~{imp['estimated_seconds']:.0f} est."
            imports.append((f"{imp['values']:,} values", estimate, "", "", "", "", "", f"≤ {limit} s", "FAIL (skipped)"))  # fmt: skip
        else:
            imports.append(
                (f"{imp['values']:,} values", "", "", "", "", "", "", "", imp["error"][:60])
            )
    if result["imports"]:
        lines += [*_columns(imports), ""]
    mem = result["memory"]
    verdict = "PASS" if mem["peak_rss_mb"] <= MEMORY_GOAL_MB else "FAIL"
    lines.append(
        f"peak RSS: {mem['peak_rss_mb_pages']} MB after the pages, {mem['peak_rss_mb']} MB "
        f"with the imports (goal ≤ {MEMORY_GOAL_MB} MB: {verdict})"
    )
    lines += [f"note: {n}" for n in result["notes"]]
    return "\n".join(lines)


def _columns(rows: list[tuple]) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    out = []
    for n, row in enumerate(rows):
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]  # fmt: skip
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out
