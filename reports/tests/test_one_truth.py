"""One truth (issue #14): the same goals at the same point of follow-up show the same status and
the same period on every page, in the API, in open data and in the spreadsheets."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
from django.urls import reverse

from core.testing import make_indicator, make_metric, make_target
from followup.models import FollowUpOccasion, Measurement
from scorecards.models import Comparator, Frequency, YearValue

PERIOD = "utfall t.o.m. april 2026"


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _sheet(response, name) -> list[list]:
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in wb[name].iter_rows()]


def test_every_route_shows_the_same_status_and_period(client, world, chain):
    # 163 against "max 160, tolerance 5": close, on every route.
    Measurement.objects.create(
        indicator=chain.energy, unit=world.city, year=2026, month=4, value=163
    )
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    card, metric = chain.city, chain.metric

    page = _body(client.get(card.get_absolute_url()))
    assert f"Status avser {PERIOD}." in page
    row = page[page.index("Energianvändning i kommunala lokaler</a>") :].split("</tr>")[0]
    assert "Delvis uppfyllt" in row and PERIOD in row
    assert "1 delvis uppfyllt" in page

    followup = _body(client.get(reverse("scorecard_followup", args=[card.pk, occasion.pk])))
    assert f"Status avser {PERIOD}." in followup
    row = followup[followup.index("<td>Energianvändning i kommunala lokaler") :].split("</tr>")[0]
    assert "Delvis uppfyllt" in row

    api = client.get(f"/api/v1/metrics/{metric.pk}/?period=4").json()["result"]
    assert (api["status"], api["covers"]) == ("close", PERIOD)

    data = json.loads(_body(client.get(reverse("open_data_json"))))
    [open_metric] = [
        m for c in data["styrkort"] for g in c["mal"] for m in g["matetal"] if m["id"] == metric.pk
    ]
    assert (open_metric["status"], open_metric["avser"]) == ("close", PERIOD)
    rows = list(csv.DictReader(io.StringIO(_body(client.get(reverse("open_data_csv"))))))
    [open_row] = [r for r in rows if r["matetal_id"] == str(metric.pk)]
    assert (open_row["status"], open_row["avser"]) == ("close", PERIOD)

    xlsx = client.get(reverse("scorecard_export", args=[card.pk]))
    assert dict(_sheet(xlsx, "Styrkort"))["Status avser"] == PERIOD
    head, line = _sheet(xlsx, "Mätetal")
    assert dict(zip(head, line, strict=True))["Status"] == "◆ Delvis uppfyllt"
    at_occasion = client.get(reverse("followup_export", args=[card.pk, occasion.pk]))
    assert dict(_sheet(at_occasion, "Uppföljning"))["Status avser"] == PERIOD
    head, line = _sheet(at_occasion, "Mätetal")
    assert dict(zip(head, line, strict=True))["Status"] == "◆ Delvis uppfyllt"


def test_a_yearly_metric_without_this_years_value_says_it_is_last_years_everywhere(
    client, world, chain
):
    survey = make_indicator("Nöjdhet", frequency=Frequency.YEARLY)
    metric = make_metric(chain.top, survey)
    make_target(metric, 80, year=2025)
    Measurement.objects.create(indicator=survey, unit=world.city, year=2025, month=12, value=70)
    occasion = FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline=date(2026, 5, 15)
    )
    page = _body(client.get(chain.city.get_absolute_url()))
    followup = _body(client.get(reverse("scorecard_followup", args=[chain.city.pk, occasion.pk])))
    for html in (page, followup):
        assert "helår 2025" in html  # judged on last year's 70 against last year's 80
    api = client.get(f"/api/v1/metrics/{metric.pk}/?period=4").json()["result"]
    assert (api["status"], api["covers"], api["year"]) == ("not_met", "helår 2025", 2025)


# ── Targets over the year (#14.4) ────────────────────────────────────────────────────────────


def _cumulative(chain, world, **kw):
    energy = make_indicator(
        "Energi hittills", unit="kWh/m²", frequency=Frequency.MONTHLY, year_value=YearValue.SUM,
        **kw,
    )  # fmt: skip
    metric = make_metric(chain.low, energy)
    make_target(metric, 150, comparator=Comparator.LTE)
    return energy, metric


def test_a_cumulative_metric_is_judged_against_its_share_of_the_year(client, world, chain):
    from followup.evaluation import FollowUpPoint, statuses_at

    energy, metric = _cumulative(chain, world)
    for month, value in ((1, 20), (2, 18), (3, 16), (4, 15)):  # 69 after four months
        Measurement.objects.create(
            indicator=energy, unit=world.unit_a1, year=2026, month=month, value=value
        )
    [result] = statuses_at([chain.low.pk], FollowUpPoint(2026, 4))[chain.low.pk].metrics
    assert result.value == 69 and result.target_share == Decimal(4) / 12
    assert result.status == "not_met"  # 69 > 50, the share of 150 due by April
    assert result.target_so_far == "målvärde t.o.m. april: max 50,0 kWh/m²"
    page = _body(client.get(chain.low.scorecard.get_absolute_url()))
    assert "målvärde t.o.m. april: max 50,0 kWh/m²" in page


def test_a_seasonal_profile_follows_last_years_monthly_shape(world, chain):
    from followup.evaluation import FollowUpPoint, statuses_at
    from scorecards.models import TargetProfile

    energy, metric = _cumulative(chain, world, target_profile=TargetProfile.LAST_YEAR)
    for month in range(1, 13):  # last winter: a third of the year's energy in four months
        value = 20 if month <= 4 else 10
        Measurement.objects.create(
            indicator=energy, unit=world.unit_a1, year=2025, month=month, value=value
        )
    for month in range(1, 5):
        Measurement.objects.create(
            indicator=energy, unit=world.unit_a1, year=2026, month=month, value=17
        )
    [result] = statuses_at([chain.low.pk], FollowUpPoint(2026, 4))[chain.low.pk].metrics
    assert result.target_share == Decimal(80) / 160  # half of last year's total by April
    assert result.status == "met"  # 68 ≤ 75
    from followup.models import GoalStatus

    assert GoalStatus.objects.get(goal=chain.low).status == "met"  # the refresh agrees


def test_the_trend_page_judges_each_month_against_the_share_due_then(client, world, chain):
    energy, metric = _cumulative(chain, world)
    for month, value in ((1, 20), (2, 18), (3, 16), (4, 15)):
        Measurement.objects.create(
            indicator=energy, unit=world.unit_a1, year=2026, month=month, value=value
        )
    html = _body(client.get(reverse("metric_trend", args=[metric.pk])))
    table = html[html.index("<tbody") : html.index("</tbody>")]
    assert table.count("status-not_met") == 4 and "status-met" not in table  # 20 > 12.5, …
