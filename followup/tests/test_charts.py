"""The trend chart: one marker per value shaped by its status, target lines, words for screen
readers, escaped text; the same drawing for print without what only a screen uses, and its words
as alternative text; and the trend page that shows the chart beside the same data as a table."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from core.testing import make_target
from followup.charts import ChartPoint, ChartTarget, period_label, trend_alt, trend_svg
from followup.models import Measurement
from followup.status import Status
from scorecards.models import Comparator, Direction

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 – our own output, in a test


def points(root):
    return [g for g in root.iter(f"{SVG}g") if "point" in g.get("class", "").split()]


def target_lines(root):
    return [e for e in root.iter(f"{SVG}line") if e.get("class") == "target"]


def chart(values, targets=(), **kw):
    kw.setdefault("title", "Energianvändning")
    kw.setdefault("unit", "kWh/m²")
    pts = [ChartPoint(year, 12, Decimal(v), status) for year, v, status in values]
    return trend_svg(points=pts, targets=targets, **kw)


def chart_inputs(values, targets=()):
    return {
        "title": "Energianvändning <&>",
        "unit": "kWh/m²",
        "points": [ChartPoint(year, 12, Decimal(v), status) for year, v, status in values],
        "targets": targets,
        "direction": Direction.LOWER,
    }


def drawing(root):
    """What is drawn, in order: every element but groups and words, with its attributes."""
    skip = {f"{SVG}g", f"{SVG}title", f"{SVG}desc", f"{SVG}svg"}
    return [(e.tag, e.attrib, e.text) for e in root.iter() if e.tag not in skip]


FOUR = [
    (2023, 180, Status.NO_TARGET),
    (2024, 170, Status.NOT_MET),
    (2025, 163, Status.CLOSE),
    (2026, 150, Status.MET),
]
MAX_160 = ChartTarget(2026, (Decimal(160),), "max 160,0 kWh/m²")


def test_chart_has_one_point_per_value():
    assert len(points(parse(chart(FOUR)))) == 4


@pytest.mark.parametrize(
    ("status", "tag", "fill"),
    [
        (Status.MET, "circle", "#1e7b34"),
        (Status.CLOSE, "polygon", "#8a5a00"),
        (Status.NOT_MET, "path", "none"),
        (Status.NO_TARGET, "circle", "#fff"),
    ],
)
def test_marker_shape_follows_the_status(status, tag, fill):
    (point,) = points(parse(chart([(2026, 150, status)])))
    marker = next(e for e in point if e.tag != f"{SVG}title")
    assert (marker.tag, marker.get("fill")) == (f"{SVG}{tag}", fill)


def test_each_point_has_a_title_with_period_value_status_and_target():
    (point,) = points(parse(chart([(2026, 150, Status.MET)], [MAX_160])))
    title = point.find(f"{SVG}title").text
    assert title == "2026: 150,0\u00a0kWh/m² – Uppfyllt (målvärde max 160,0 kWh/m²)"


def test_target_line_is_drawn_at_the_height_of_the_target_value():
    root = parse(chart([(2025, 170, Status.NOT_MET), (2026, 160, Status.MET)], [MAX_160]))
    (line,) = target_lines(root)
    point_at_160 = points(root)[1].find(f"{SVG}circle")
    assert line.get("y1") == line.get("y2") == point_at_160.get("cy")
    assert line.get("data-year") == "2026"


def test_a_range_target_is_two_lines_and_a_band():
    target = ChartTarget(2026, (Decimal(140), Decimal(160)), "140,0–160,0 kWh/m²")
    root = parse(chart(FOUR, [target]))
    assert len(target_lines(root)) == 2
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "target-band"]) == 1


def test_chart_is_an_image_labelled_by_its_title_and_description():
    root = parse(chart(FOUR, [MAX_160], direction=Direction.LOWER, chart_id="trend-7"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "trend-7-title trend-7-desc"
    assert root.find(f"{SVG}title").get("id") == "trend-7-title"
    desc = root.find(f"{SVG}desc")
    assert desc.get("id") == "trend-7-desc"
    assert "4 utfall från 2023 till 2026" in desc.text
    assert "minskat med 30,0\u00a0kWh/m², en förbättring" in desc.text
    assert "1 av 3 utfall med målvärde når målet" in desc.text


def test_an_increase_is_a_worsening_when_lower_is_better():
    svg = chart([(2025, 150, Status.MET), (2026, 170, Status.NOT_MET)], direction=Direction.LOWER)
    assert "ökat med 20,0\u00a0kWh/m², en försämring" in parse(svg).find(f"{SVG}desc").text


def test_axes_are_labelled_with_the_unit_and_the_years():
    texts = [t.text for t in parse(chart(FOUR)).iter(f"{SVG}text")]
    assert "kWh/m²" in texts
    assert {"2023", "2024", "2025", "2026", "År"} <= set(texts)


def test_every_text_is_escaped():
    svg = chart(FOUR, title='<script>alert("x")</script>', unit="<b>&")
    root = parse(svg)
    assert root.find(f"{SVG}title").text == '<script>alert("x")</script>'
    assert not list(root.iter(f"{SVG}script"))
    assert "<b>" not in svg


def test_chart_without_values_says_so():
    root = parse(chart([], [MAX_160]))
    assert points(root) == []
    assert "Det finns inga utfall" in root.find(f"{SVG}desc").text


def test_monthly_points_are_placed_in_their_month():
    pts = [ChartPoint(2026, m, Decimal(m), Status.NO_TARGET) for m in (1, 2, 12)]
    root = parse(trend_svg(title="t", unit="", points=pts, period_months=1))
    xs = [float(p.find(f"{SVG}circle").get("cx")) for p in points(root)]
    assert xs[0] < xs[1] < xs[2]
    assert xs[1] - xs[0] == pytest.approx((xs[2] - xs[0]) / 11, abs=0.1)


@pytest.mark.parametrize(
    ("month", "length", "label"),
    [(12, 12, "2026"), (8, 4, "T2 2026"), (3, 1, "mars 2026"), (3, 12, "mars 2026")],
)
def test_period_labels(month, length, label):
    assert period_label(2026, month, length) == label


# --- For print ---------------------------------------------------------------------------------

RANGE = ChartTarget(2025, (Decimal(140), Decimal(165)), "140,0–165,0 kWh/m²")


@pytest.mark.parametrize(
    ("values", "targets"), [(FOUR, [MAX_160, RANGE]), (FOUR, []), ([], [MAX_160])]
)
def test_the_print_chart_leaves_out_what_only_a_screen_uses(values, targets):
    svg = trend_svg(**chart_inputs(values, targets), chart_id="trend-7", for_print=True)
    elements = list(parse(svg).iter())
    assert not [e for e in elements if e.tag in (f"{SVG}title", f"{SVG}desc")]
    attributes = {name for e in elements for name in e.attrib}
    assert not {"role", "style", "id"} & attributes
    assert not [name for name in attributes if name.startswith("aria-")]
    assert "trend-7" not in svg


@pytest.mark.parametrize(
    ("values", "targets"), [(FOUR, [MAX_160, RANGE]), (FOUR, []), ([], [MAX_160])]
)
def test_the_print_chart_draws_the_same_as_the_screen_chart(values, targets):
    screen = parse(trend_svg(**chart_inputs(values, targets)))
    paper = parse(trend_svg(**chart_inputs(values, targets), for_print=True))
    assert drawing(paper) == drawing(screen)  # axes, labels, lines, markers, legend
    screen_only = {"class", "role", "aria-labelledby", "style"}
    assert paper.attrib == {k: v for k, v in screen.attrib.items() if k not in screen_only}


def test_each_print_point_is_its_marker_alone():
    root = parse(trend_svg(**chart_inputs(FOUR, [MAX_160]), for_print=True))
    group = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "points")
    markers = [e.tag.removeprefix(SVG) for e in group]
    assert markers == ["circle", "path", "polygon", "circle"]  # no group, no tooltip
    assert [e.get("fill") for e in group] == ["#fff", "none", "#8a5a00", "#1e7b34"]


@pytest.mark.parametrize(("values", "targets"), [(FOUR, [MAX_160]), ([], [])])
def test_the_alt_text_is_the_screen_charts_title_and_description(values, targets):
    inputs = chart_inputs(values, targets)
    root = parse(trend_svg(**inputs))
    title, desc = root.find(f"{SVG}title").text, root.find(f"{SVG}desc").text
    assert trend_alt(**inputs) == f"{title}. {desc}"
    assert trend_alt(**inputs).startswith("Energianvändning <&>. ")  # plain text, not markup


def test_the_alt_text_is_the_description_when_there_is_no_title():
    inputs = chart_inputs(FOUR) | {"title": " "}
    assert trend_alt(**inputs) == parse(trend_svg(**inputs)).find(f"{SVG}desc").text


# --- The trend page -----------------------------------------------------------------------------


@pytest.fixture
def history(chain):
    """Yearly energy values 2021–2026 for the city, with targets for 2025 and 2026."""
    make_target(chain.metric, 165, year=2025, comparator=Comparator.LTE)
    for year, value in [(2021, 200), (2022, 190), (2023, 180), (2024, 170), (2025, 168)]:
        Measurement.objects.create(
            indicator=chain.energy, unit=chain.city.unit, year=year, month=12, value=value
        )
    return chain


def test_trend_page_shows_the_chart_and_a_table_of_the_last_five_years(client, history):
    response = client.get(reverse("metric_trend", args=[history.metric.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    start = text.index("<svg")
    root = parse(text[start : text.index("</svg>") + 6])
    assert len(points(root)) == 5  # 2022–2025 yearly and March 2026; 2021 is too old
    assert len(target_lines(root)) == 2
    assert '<th scope="row">mars 2026</th>' in text
    assert "max 160,0 kWh/m²" in text
    assert "✖</span> Ej uppfyllt" in text  # 168 against max 165 in 2025
    assert "2021" not in text[text.index("<table") :]


def test_trend_of_a_hidden_draft_metric_is_404(client, world, chain):
    from core.testing import make_metric

    metric = make_metric(chain.draft)
    client.force_login(world.editor)
    assert client.get(reverse("metric_trend", args=[metric.pk])).status_code == 404


def test_trend_of_a_draft_metric_is_shown_to_a_reader_of_its_unit(client, world, chain):
    from core.testing import make_metric

    metric = make_metric(chain.draft)
    client.force_login(world.reader)
    assert client.get(reverse("metric_trend", args=[metric.pk])).status_code == 200


def test_trend_offers_an_action_for_a_metric_not_met_to_those_who_may_report(client, world, chain):
    Measurement.objects.create(
        indicator=chain.energy, unit=chain.city.unit, year=2026, month=6, value=190
    )
    url = reverse("metric_trend", args=[chain.metric.pk])
    start = reverse("action_create", args=[chain.top.pk]) + f"?metric={chain.metric.pk}"
    assert start not in client.get(url).content.decode()
    client.force_login(world.admin)
    assert start in client.get(url).content.decode()


def test_trend_does_not_offer_an_action_for_a_metric_that_is_met(client, world, chain):
    client.force_login(world.admin)
    text = client.get(reverse("metric_trend", args=[chain.metric.pk])).content.decode()
    assert "Starta åtgärd" not in text
