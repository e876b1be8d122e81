"""The value-entry rows formed in Python (``followup.entry_html``) give the markup the template
gave: the trend cell is the shared ``_trend_arrows.html``, every field keeps its name, id, label
and ``aria-*`` attributes, and what a user typed is escaped."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_target
from followup.entry_html import trend_cell
from followup.evaluation import MetricResult
from followup.models import FollowUpOccasion, Measurement
from followup.status import Status
from followup.trend_arrows import TrendArrow
from scorecards.models import Comparator, Frequency


@pytest.fixture
def card(world):
    card = make_scorecard(world.unit_a)
    goal = make_goal(card, "Minskad energianvändning")
    energy = make_indicator("Energi <b>\"&'", frequency=Frequency.MONTHLY, plausible_max=500)
    make_target(make_metric(goal, energy), 160, comparator=Comparator.LTE)
    make_metric(goal, make_indicator("Utan mål", frequency=Frequency.MONTHLY))
    return card


def page(client, card, period="2026-03", **post) -> str:
    url = reverse("value_entry", args=[card.pk]) + f"?period={period}"
    response = client.post(url, post) if post else client.get(url)
    return response.content.decode()


ARROWS = [
    (None, None),
    (TrendArrow(1, "mot föregående period"), None),
    (None, TrendArrow(-1, "mot samma period förra året")),
    (TrendArrow(0, "mot föregående period"), TrendArrow(1, "mot samma period förra året")),
]


@pytest.mark.parametrize(("previous", "last_year"), ARROWS)
def test_the_trend_cell_is_the_shared_partial(db, previous, last_year):
    result = MetricResult(metric=None, target=None, value=None, status=Status.NO_VALUE)
    result.trend_previous, result.trend_last_year = previous, last_year
    partial = render_to_string("followup/_trend_arrows.html", {"r": result})
    assert trend_cell(result) + "\n" == partial


def test_the_trend_cell_of_a_row_without_a_result_is_a_dash(db):
    assert trend_cell(None) + "\n" == render_to_string("followup/_trend_arrows.html", {"r": None})


def test_every_field_keeps_its_name_id_and_label(client, world, card):
    client.force_login(world.reporter)
    html = page(client, card)
    for indicator in card.goals.get().metrics.values_list("indicator_id", flat=True):
        assert f'<label class="visually-hidden" for="v-{indicator}">' in html
        assert f'id="v-{indicator}" name="v-{indicator}" value=""' in html
        assert f'<input type="hidden" name="ver-{indicator}" value="0">' in html
        assert f'<input type="text" id="c-{indicator}" name="c-{indicator}" value=""' in html
        assert f'<span id="name-{indicator}">' in html
    assert '<span class="muted">inget</span>' in html  # the metric without a target
    assert '<td class="num" data-label="Tidigare värden">–</td>' in html  # nothing before


def test_names_and_typed_text_are_escaped(client, world, card):
    energy = card.goals.get().metrics.get(indicator__name__startswith="Energi").indicator
    client.force_login(world.reporter)
    html = page(client, card, **{f"v-{energy.pk}": '"><x>', f"c-{energy.pk}": "<script>'"})
    assert "<b>" not in html and "<x>" not in html and "<script>" not in html
    assert "Energi &lt;b&gt;&quot;&amp;&#x27;" in html
    assert 'value="&quot;&gt;&lt;x&gt;"' in html and 'value="&lt;script&gt;&#x27;"' in html
    # the refused row: marked, described by its message, which the summary links to
    assert f'aria-invalid="true" aria-describedby="e-{energy.pk}"' in html
    assert re.search(rf'<p class="errorlist" id="e-{energy.pk}">[^<]+</p>', html)
    assert f'<a href="#v-{energy.pk}">' in html


def test_a_locked_period_disables_every_field(client, world, card):
    FollowUpOccasion.objects.create(
        year=2026, kind="tertial", name="T1", end_month=4, deadline="2026-05-10",
        locked_at=timezone.now(),
    )  # fmt: skip
    client.force_login(world.reporter)
    html = page(client, card)
    assert html.count(" disabled>") == 4  # value and comment of both rows
    assert 'id="entry-save"' not in html


def test_a_stored_value_shows_with_its_source_author_and_earlier_values(client, world, card):
    energy = card.goals.get().metrics.get(indicator__name__startswith="Energi").indicator
    for month, value in ((1, 10), (2, 12), (3, 14)):
        Measurement.objects.create(
            indicator=energy, unit=card.unit, year=2026, month=month, value=value,
            entered_by=world.reporter, comment="Mild" if month == 3 else "",
        )  # fmt: skip
    client.force_login(world.reporter)
    html = page(client, card)
    name = world.reporter.get_full_name() or world.reporter.username
    assert f'<span class="kind">Manuell inmatning · {name}</span>' in html
    assert (
        '<span class="earlier">2026-01: 10,0</span><br><span class="earlier">2026-02: 12,0' in html
    )
    assert f'name="v-{energy.pk}" value="14,0"' in html and 'value="Mild"' in html
    assert f'name="ver-{energy.pk}" value="1"' in html
