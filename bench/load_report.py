"""Summarise a locust run from its ``--csv`` files: throughput and latency percentiles per request
type, failures, and the gunicorn workers' peak memory; also as JSON next to the CSV files.

    python bench/load_report.py bench/results/load-large [worker peak RSS in kB …]
"""

import csv
import json
import sys
from pathlib import Path


def main(prefix: str, worker_kb: list[str]) -> int:
    rows = list(csv.DictReader(Path(f"{prefix}_stats.csv").open(encoding="utf-8")))
    columns = (
        "Request Count",
        "Failure Count",
        "Requests/s",
        "50%",
        "95%",
        "99%",
        "Max Response Time",
    )
    table = [("request", "count", "failed", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms")]
    result = {"requests": []}
    for row in rows:
        name = "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        values = [row[c] for c in columns]
        table.append((name, *[v if "." not in v else f"{float(v):.1f}" for v in values]))
        result["requests"].append({"name": name, **{c: _number(row[c]) for c in columns}})
    widths = [max(len(str(r[i])) for r in table) for i in range(len(table[0]))]
    for i, row in enumerate(table):
        print("  ".join(str(c).ljust(w) if j == 0 else str(c).rjust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True))))  # fmt: skip
        if i == 0:
            print("  ".join("-" * w for w in widths))
    total = result["requests"][-1]
    peaks = [round(int(kb) / 1024, 1) for kb in worker_kb if kb.isdigit()]
    result["worker_peak_rss_mb"] = peaks
    print(
        f"\nthroughput {total['Requests/s']:.1f} requests/s, {total['Failure Count']:.0f} failed; "
        f"worker peak RSS (MB): {', '.join(map(str, peaks)) or 'unknown'}"
    )
    groups = Path(f"{prefix}.groups.json")
    if groups.exists():  # written by bench/locustfile.py: readers and API writers apart
        result["groups"] = json.loads(groups.read_text(encoding="utf-8"))
        print("\nby group: requests, failed, req/s, p50 / p95 / p99 ms")
        for name, g in result["groups"].items():
            print(
                f"  {name}: {g['requests']}, {g['failures']} failed, {g['requests_per_s']}/s, "
                f"{g['p50_ms']} / {g['p95_ms']} / {g['p99_ms']}"
            )
    Path(f"{prefix}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return text


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
