"""The city's compiled year report at the large scale, exported cold: ``make bench`` rows.

``large_city_report`` builds the ``Document`` a completed city report of the large benchmark city
would store: every unit's goals with status in its nämnd's table (1,000 units × 3 goals), every
nämnd's quoted analysis, and 100 trend charts with forecasts. It is built by hand rather than
compiled from the generated city, so the figures measure the renderers alone — compiling is
``yearreports``' own work, measured with its pages. ``measure`` times ``to_docx`` and ``to_pdf``
with nothing cached (the PDF cache is bypassed), after one small export has loaded the libraries.
"""

import time

GOALS = (
    "Helsingborgs stad ska ligga i framkant i miljö- och klimatfrågor",
    "Fler invånare ska känna sig trygga i sin stadsdel",
    "Barn och unga ska lyckas i skolan",
)
# Units and charts of the report per benchmark scale; large is the city.
SIZES = {
    "tiny": {"units": 20, "charts": 2},
    "small": {"units": 100, "charts": 10},
    "medium": {"units": 300, "charts": 30},
    "large": {"units": 1000, "charts": 100},
}
STATUSES = ("✓ Uppfyllt", "◐ Delvis uppfyllt", "✗ Ej uppfyllt", "– Ej bedömt")
ANALYSIS = (
    "<p>{name} har under perioden arbetat vidare med stadens mål. <strong>Energianvändningen</strong> "
    "har minskat och andelen förnybar el ökat, medan sjukfrånvaron ligger kvar på förra årets "
    "nivå.</p><ul><li>Solceller på tre fastigheter</li><li>Ny rutin för uppföljning<ul>"
    '<li>månadsvis</li></ul></li></ul><p>Se <a href="https://helsingborg.se/">stadens '
    "webbplats</a>.</p>"
)


def large_city_report(units: int = 1000, charts: int = 100, nämnder: int = 20) -> dict:
    per_board = max(1, units // nämnder)
    charts_per_board = max(1, charts // nämnder)
    sections = [
        {
            "heading": "Inledning",
            "blocks": [{"type": "html", "html": "<p>Stadens delårsrapport efter augusti.</p>"}],
        }
    ]
    for board in range(nämnder):
        name = f"Nämnd {board + 1}"
        rows = [
            [f"Enhet {board + 1}.{unit + 1}", goal, f"{(unit * 7 + i) % 100} %",
             STATUSES[(unit + i) % len(STATUSES)]]
            for unit in range(per_board)
            for i, goal in enumerate(GOALS)
        ]  # fmt: skip
        blocks = [
            {"type": "html", "html": ANALYSIS.format(name=name), "source": name},
            {"type": "table", "caption": f"Mål och status, {name}",
             "columns": ["Enhet", "Mål", "Utfall", "Status"], "rows": rows,
             "numeric": [False, False, True, False]},
        ]  # fmt: skip
        for chart in range(charts_per_board):
            actual = [[str(year), 170 - chart - (year - 2020) * 2.5] for year in range(2020, 2027)]
            blocks.append(
                {
                    "type": "chart",
                    "title": f"Energianvändning {name}, mått {chart + 1}",
                    "alt": f"Energianvändning {name}: minskar från {actual[0][1]} till "
                    f"{actual[-1][1]} kWh/m² 2020–2026, prognosen för 2027 är lägre.",
                    "unit": "kWh/m²",
                    "series": [
                        {"label": "Utfall", "style": "solid", "points": actual},
                        {
                            "label": "Prognos",
                            "style": "dashed",
                            "points": [actual[-1], ["2027", actual[-1][1] - 3]],
                        },
                    ],  # fmt: skip
                    "target": 150,
                }
            )
        sections.append({"heading": name, "blocks": blocks})
    return {
        "schema": 1, "language": "sv", "title": "Delårsrapport 2026", "unit": "Helsingborgs stad",
        "municipality": "Helsingborgs stad", "occasion": "Delår augusti 2026", "state": "Fastställd",
        "decision": {"body": "Kommunfullmäktige", "date": "2026-10-28", "paragraph": "§ 123",
                     "diary_number": "KS 2026/123"},
        "frozen_at": "2026-09-30T14:12:00+02:00", "sections": sections,
    }  # fmt: skip


def measure(units: int = 1000, charts: int = 100) -> list[dict]:
    """One row per export: seconds and CPU seconds (cold), size in kB, the report's shape."""
    from yearreports.render import to_docx, to_pdf

    small = large_city_report(units=20, charts=1, nämnder=1)
    to_docx(small), to_pdf(small, cache=False)  # libraries and fonts loaded, not timed
    document = large_city_report(units=units, charts=charts)
    shape = f"{units:,} units, {charts} charts"
    rows = []
    for name, export in (
        (".docx", lambda: to_docx(document)),
        ("PDF", lambda: to_pdf(document, cache=False)),
    ):
        started, cpu = time.perf_counter(), time.process_time()
        try:
            data = export()
        except Exception as exc:  # a failing export is a finding, not the end of the run
            rows.append({"name": f"year report {name}", "error": f"{type(exc).__name__}: {exc}"})
            continue
        rows.append(
            {
                "name": f"year report {name} (cold)",
                "seconds": round(time.perf_counter() - started, 1),
                # CPU seconds of this process: what the export costs on a machine shared with
                # other work, where the wall-clock figure also counts waiting for a core.
                "cpu_seconds": round(time.process_time() - cpu, 1),
                "kb": round(len(data) / 1024),
                "shape": shape,
            }
        )
    return rows
