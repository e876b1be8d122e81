"""The year report benchmark builds a valid compiled report and times both exports."""

from bench import yearreport
from yearreports.document import problems


def test_the_large_report_is_a_valid_document_of_the_asked_size():
    document = yearreport.large_city_report(units=1000, charts=100)
    assert problems(document) == []
    tables = [b for s in document["sections"] for b in s["blocks"] if b["type"] == "table"]
    charts = [b for s in document["sections"] for b in s["blocks"] if b["type"] == "chart"]
    assert sum(len(t["rows"]) for t in tables) == 1000 * len(yearreport.GOALS)
    assert len(charts) == 100


def test_both_exports_are_timed():
    rows = yearreport.measure(units=20, charts=2)
    assert [r["name"] for r in rows] == ["year report .docx (cold)", "year report PDF (cold)"]
    assert all(r["seconds"] >= 0 and r["cpu_seconds"] > 0 and r["kb"] > 0 for r in rows)
