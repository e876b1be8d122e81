"""The goal and metric lists, read as rows with cached statuses (``api.rows``), answer byte for
byte what the serializers answered over model objects (issue #16).

The previous views are kept here as the specification: model objects with their scorecards,
stored statuses and visible upward goals, the goals evaluated on every request, and the
metric's result built by a ``MetricResultSerializer`` of its own. Each request of the new list
is compared with the old view's answer to the same request, on a generated city (authors,
comments) with drafts in the chain, a goal without a stored status and a weight with decimals,
for an anonymous caller, a reporter who sees one draft and the administrator, then again after
writes that the cached statuses read.
"""

from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import translation
from rest_framework.test import APIRequestFactory

from api import serializers as s
from api.models import ApiToken
from api.views.base import ApiViewSet, _visible_goals
from api.views.reading import GoalViewSet, MetricViewSet
from bench.generate import ADMIN_USERNAME, SCALES, generate_city
from followup.evaluation import FollowUpPoint, statuses_at
from followup.models import GoalStatus, Measurement
from followup.status import Status
from organisation.models import RoleAssignment
from scorecards.models import Metric, Scorecard, ScorecardStatus, Target

# --- the specification: the views as they were ---------------------------------------------


def _by_year(pairs) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for pk, year in pairs:
        found.setdefault(year, []).append(pk)
    return found


class OldGoals(GoalViewSet):
    list = ApiViewSet.list

    def get_queryset(self):
        upward = Prefetch(
            "contributes_to",
            _visible_goals(self.user).only("pk").order_by("pk"),
            to_attr="visible_contributes_to",
        )
        queryset = ApiViewSet.get_queryset(self)
        return queryset.select_related("scorecard", "stored_status").prefetch_related(upward)

    def prepare(self, goals):
        month = self.status_month()
        if month is None:
            for goal in goals:
                stored = getattr(goal, "stored_status", None)
                goal.api_result = (Status(stored.status) if stored else Status.NO_VALUE, None)
            return
        for year, ids in _by_year((g.pk, g.scorecard.year) for g in goals).items():
            results = statuses_at(ids, FollowUpPoint(year, month))
            for goal in goals:
                if goal.pk in results:
                    goal.api_result = (results[goal.pk].suggested, month)


class OldMetricSerializer(s.MetricSerializer):
    def get_result(self, metric) -> dict:
        result, month = metric.api_result
        return s.MetricResultSerializer(
            {
                "month": month,
                "year": result.value_year or metric.goal.scorecard.year,
                "value": result.value,
                "status": result.status.value,
                "label": result.status.label,
                "target": result.target.pk if result.target else None,
                "covers": result.covers,
                "target_so_far": result.target_so_far,
            }
        ).data


class OldMetrics(MetricViewSet):
    serializer_class = OldMetricSerializer
    list = ApiViewSet.list

    def get_queryset(self):
        return ApiViewSet.get_queryset(self).select_related("goal__scorecard", "indicator")

    def prepare(self, metrics):
        month = self.status_month()
        results = {}
        pairs = {(m.goal_id, m.goal.scorecard.year) for m in metrics}
        for year, goal_ids in _by_year(pairs).items():
            evaluated = statuses_at(goal_ids, FollowUpPoint(year, month or 12))
            for goal_result in evaluated.values():
                results.update({r.metric.pk: r for r in goal_result.metrics})
        for metric in metrics:
            metric.api_result = (results[metric.pk], month)


OLD = {"goals": OldGoals, "metrics": OldMetrics}

# --- the city -------------------------------------------------------------------------------


@pytest.fixture
def city(db):
    generate_city(SCALES["tiny"], progress=lambda message: None)
    users = get_user_model().objects
    reporter = RoleAssignment.objects.exclude(user__username=ADMIN_USERNAME).first()
    # The reporter's own scorecard and its parent's are drafts: the reporter sees the first,
    # not the second (so its goals' upward links are cut there), an anonymous caller neither.
    for unit in (reporter.unit, reporter.unit.parent):
        for card in Scorecard.objects.filter(unit=unit):
            card.status = ScorecardStatus.DRAFT
            card.save()
    metric = Metric.objects.order_by("pk").first()
    metric.weight = Decimal("2.5")
    metric.save()
    GoalStatus.objects.filter(goal_id=metric.goal_id).delete()  # read as "Utfall saknas"
    metric.goal.description = 'Med "citat", <b>, & och å'
    metric.goal.save(update_fields=["description"])
    GoalStatus.objects.filter(goal_id=metric.goal_id).delete()
    return {
        None: None,
        "reporter": reporter.user,
        "admin": users.get(username=ADMIN_USERNAME),
    }


def _headers(user) -> dict:
    headers = {}
    if user is not None:
        _token, secret = ApiToken.issue(user=user, name="spec")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return headers


def _old_answer(endpoint: str, path: str, headers: dict, language: str) -> tuple[int, bytes]:
    view = OLD[endpoint].as_view({"get": "list"})
    with translation.override(language):
        response = view(APIRequestFactory().get(path, **headers))
        response.render()
    return response.status_code, response.content


def assert_same(client, endpoint: str, query: str, headers: dict, language: str = "sv") -> int:
    """Every page of the list answers as the old view did; returns the rows seen."""
    path, rows = f"/api/v1/{endpoint}/{query}", 0
    while path:
        response = client.get(path, **headers)
        assert (response.status_code, response.content) == _old_answer(
            endpoint, path, headers, language
        ), path
        body = response.json()
        rows += len(body["results"])
        path = body["next"]
    return rows


QUERIES = ["?page_size=7", "?page_size=7&period=4", "?page_size=500&period=12", "?year=2026"]


@pytest.mark.parametrize("endpoint", ["goals", "metrics"])
@pytest.mark.parametrize("who", [None, "reporter", "admin"])
def test_the_lists_answer_as_the_serializers_did(client, city, endpoint, who):
    headers = _headers(city[who])
    for query in QUERIES:
        assert assert_same(client, endpoint, query, headers) > 7  # more than one page
    swedish = client.get(f"/api/v1/{endpoint}/?period=4", **headers).content
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the site's language switch
    assert client.get(f"/api/v1/{endpoint}/?period=4", **headers).content != swedish
    for query in ("?page_size=7&period=4", "?page_size=7"):
        assert_same(client, endpoint, query, headers, "en")


def test_the_reporter_and_anonymous_see_different_upward_links(client, city):
    """The city has what the comparison above needs: links cut by visibility."""

    def links(who):
        rows = client.get("/api/v1/goals/?page_size=500", **_headers(city[who])).json()
        return {row["id"]: row["contributes_to"] for row in rows["results"]}

    anonymous, reporter, admin = links(None), links("reporter"), links("admin")
    shared = anonymous.keys() & reporter.keys()
    assert any(anonymous[pk] != admin[pk] for pk in anonymous)
    assert any(reporter[pk] != admin[pk] for pk in reporter)
    assert len(reporter) > len(shared)


@pytest.mark.parametrize("endpoint", ["goals", "metrics"])
def test_cached_statuses_follow_every_write_they_read(client, city, endpoint):
    """Warm the cache, then change a value, a target, and remove a unit's values: each next
    page answers as a fresh evaluation does, and the last one shows "Utfall saknas"."""
    headers = _headers(city["admin"])
    leaf = (
        Metric.objects.filter(goal__scorecard__unit__children__isnull=True)
        .select_related("goal__scorecard__unit")
        .order_by("-goal__scorecard__year", "pk")
        .first()
    )
    card = leaf.goal.scorecard
    query = f"?scorecard={card.pk}&period=12" if endpoint == "goals" else f"?scorecard={card.pk}"

    def answer() -> dict:
        assert_same(client, endpoint, query, headers)  # also fills the cache
        rows = client.get(f"/api/v1/{endpoint}/{query}", **headers).json()["results"]
        return {row["id"]: row["result"] for row in rows}

    first = answer()
    value = Measurement.objects.filter(indicator=leaf.indicator, unit=card.unit, year=card.year)
    value = value.latest("month")
    value.value = value.value * 1000 + 7
    value.save()
    answer()
    target = Target.objects.get(metric=leaf, year=card.year)
    target.value = -target.value - 1
    target.save()
    answer()
    indicators = Metric.objects.filter(goal__scorecard=card).values("indicator")
    for gone in Measurement.objects.filter(unit=card.unit, indicator__in=indicators):
        gone.delete()
    last = answer()
    if endpoint == "goals":
        assert first[leaf.goal_id]["status"] != "no_value"
        assert last[leaf.goal_id]["status"] == "no_value"
    else:
        assert first[leaf.pk]["value"] is not None and last[leaf.pk]["value"] is None


def test_a_warm_metric_page_evaluates_nothing(client, city, django_assert_max_num_queries):
    """The second request of the same page reads its rows and the statuses' version only."""
    headers = _headers(city[None])
    client.get("/api/v1/metrics/", **headers)
    with django_assert_max_num_queries(2):
        client.get("/api/v1/metrics/", **headers)
