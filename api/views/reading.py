"""Read-only lists: units, programmes, perspectives, scorecards, goals, strategies, indicators,
metrics and follow-up occasions (``occasions``, with ``periods`` its deprecated alias)."""

from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view

from followup.models import (
    FollowUpOccasion,
    OccasionKind,
)
from followup.status import Status
from organisation import access
from organisation.models import OrgUnit, UnitKind
from scorecards.models import (
    Frequency,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Source,
    Strategy,
)

from .. import filters as f
from .. import rows
from .. import serializers as s
from .base import STATUS_MONTH, ApiViewSet, _visible_goals

# --- organisation and programmes -------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Organisationsenheter", tags=["organisation"]),
    retrieve=extend_schema(summary="En organisationsenhet", tags=["organisation"]),
)
class UnitViewSet(ApiViewSet):
    serializer_class = s.UnitSerializer
    filters = [
        f.Filter("parent", "parent", "unit", "Överordnad enhets kod eller id."),
        f.Filter("kind", "kind", "choice", "Typ av enhet.", choices=tuple(UnitKind.values)),
        f.Filter(
            "active",
            lambda active: (
                Q(pk__in=OrgUnit.objects.active().values("pk"))
                if active
                else ~Q(pk__in=OrgUnit.objects.active().values("pk"))
            ),
            "bool",
            "Bara aktiva (true) eller avvecklade (false) enheter.",
        ),
    ]

    def base_queryset(self):
        return OrgUnit.objects.order_by("order", "name", "pk")


@extend_schema_view(
    list=extend_schema(summary="Målprogram", tags=["styrkort"]),
    retrieve=extend_schema(summary="Ett målprogram", tags=["styrkort"]),
)
class ProgrammeViewSet(ApiViewSet):
    serializer_class = s.ProgrammeSerializer
    filters = [
        f.Filter(
            "year",
            lambda year: Q(start_year__lte=year, end_year__gte=year),
            "int",
            "Program som gäller året.",
            f.YEAR_MIN,
            f.YEAR_MAX,
        )
    ]

    def base_queryset(self):
        return GoalProgramme.objects.order_by("-start_year", "pk")


@extend_schema_view(
    list=extend_schema(summary="Perspektiv", tags=["styrkort"]),
    retrieve=extend_schema(summary="Ett perspektiv", tags=["styrkort"]),
)
class PerspectiveViewSet(ApiViewSet):
    serializer_class = s.PerspectiveSerializer
    filters = [f.Filter("active", "active", "bool", "Bara aktiva perspektiv.")]

    def base_queryset(self):
        return Perspective.objects.order_by("order", "name", "pk")


# --- scorecards, goals, strategies ----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Styrkort", tags=["styrkort"]),
    retrieve=extend_schema(summary="Ett styrkort", tags=["styrkort"]),
)
class ScorecardViewSet(ApiViewSet):
    serializer_class = s.ScorecardSerializer
    filters = [
        f.unit("unit"),
        f.year("year"),
        f.Filter("status", "status", "choice", "Status.", choices=tuple(ScorecardStatus.values)),
        f.ref("programme", "programme_id", "Målprogrammets id."),
    ]

    def base_queryset(self):
        return (
            Scorecard.objects.filter(access.visible_scorecards_q(self.user))
            .select_related("unit")
            .prefetch_related(Prefetch("perspectives", Perspective.objects.only("pk")))
            .order_by("-year", "unit__order", "unit__name", "pk")
        )


@extend_schema_view(
    list=extend_schema(summary="Mål", tags=["styrkort"]),
    retrieve=extend_schema(summary="Ett mål", tags=["styrkort"]),
)
class GoalViewSet(ApiViewSet):
    serializer_class = s.GoalSerializer
    filters = [
        f.unit("scorecard__unit"),
        f.year("scorecard__year"),
        f.ref("scorecard", "scorecard_id", "Styrkortets id."),
        f.ref("perspective", "perspective_id", "Perspektivets id."),
        f.Filter("prioritised", "prioritised", "bool", "Bara prioriterade mål."),
    ]
    read_parameters = [STATUS_MONTH]

    def base_queryset(self):
        # scorecard__unit_id, not scorecard_id: the order must name the scorecard's own columns
        # for the index scorecard_newest_year_first to serve it (scorecard_id would be read
        # from the goal, and each page would sort every visible goal).
        return _visible_goals(self.user).order_by(
            "-scorecard__year", "scorecard__unit_id", "perspective__order", "order", "pk"
        )

    def list(self, request, *args, **kwargs):
        """A page read as rows (``api.rows``): the same JSON as the serializer's."""
        page = self.paginate_queryset(self.get_queryset().values_list(*rows.GOAL_COLUMNS))
        return self.get_paginated_response(rows.goal_list(page, self.user, self.status_month()))

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset  # read as rows
        # One goal, as objects for the serializer: the upward goals with only those this caller
        # may see (the chain may lead to drafts).
        upward = Prefetch(
            "contributes_to",
            _visible_goals(self.user).only("pk").order_by("pk"),
            to_attr="visible_contributes_to",
        )
        return queryset.select_related("scorecard", "stored_status").prefetch_related(upward)

    def prepare(self, goals):
        month = self.status_month()
        if month is None:  # the stored status, kept up to date on every change
            for goal in goals:
                stored = getattr(goal, "stored_status", None)
                goal.api_result = (Status(stored.status) if stored else Status.NO_VALUE, None)
            return
        statuses = rows.goal_statuses(
            {(g.pk, g.scorecard.year, g.scorecard_id) for g in goals}, month
        )
        for goal in goals:
            goal.api_result = (statuses[goal.pk], month)


@extend_schema_view(
    list=extend_schema(summary="Strategier", tags=["styrkort"]),
    retrieve=extend_schema(summary="En strategi", tags=["styrkort"]),
)
class StrategyViewSet(ApiViewSet):
    serializer_class = s.StrategySerializer
    filters = [
        f.unit("goal__scorecard__unit"),
        f.year("goal__scorecard__year"),
        f.ref("goal", "goal_id", "Målets id."),
        f.ref("scorecard", "goal__scorecard_id", "Styrkortets id."),
    ]

    def base_queryset(self):
        return Strategy.objects.filter(
            access.visible_scorecards_q(self.user, "goal__scorecard__")
        ).order_by("goal_id", "order", "pk")


# --- indicators, metrics, targets -----------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Mätetal (definitioner)", tags=["mätetal"]),
    retrieve=extend_schema(summary="Ett mätetal", tags=["mätetal"]),
)
class IndicatorViewSet(ApiViewSet):
    serializer_class = s.IndicatorSerializer
    filters = [
        f.Filter("source", "source", "choice", "Källa.", choices=tuple(Source.values)),
        f.Filter("frequency", "frequency", "choice", "Frekvens.", choices=tuple(Frequency.values)),
    ]

    def base_queryset(self):
        return Indicator.objects.order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(summary="Mätetal på mål, med status", tags=["mätetal"]),
    retrieve=extend_schema(summary="Ett mätetal på ett mål, med status", tags=["mätetal"]),
)
class MetricViewSet(ApiViewSet):
    serializer_class = s.MetricSerializer
    filters = [
        f.unit("goal__scorecard__unit"),
        f.year("goal__scorecard__year"),
        f.ref("goal", "goal_id", "Målets id."),
        f.ref("scorecard", "goal__scorecard_id", "Styrkortets id."),
        f.ref("indicator", "indicator_id", "Mätetalsdefinitionens id."),
    ]
    read_parameters = [STATUS_MONTH]

    def base_queryset(self):
        return Metric.objects.filter(
            access.visible_scorecards_q(self.user, "goal__scorecard__")
        ).order_by("goal_id", "order", "pk")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset  # read as rows
        return queryset.select_related("goal__scorecard", "indicator")

    def list(self, request, *args, **kwargs):
        """A page read as rows (``api.rows``): the same JSON as the serializer's."""
        page = self.paginate_queryset(self.get_queryset().values_list(*rows.METRIC_COLUMNS))
        return self.get_paginated_response(rows.metric_list(page, self.status_month()))

    def prepare(self, metrics):
        results = rows.metric_results(
            {(m.goal_id, m.goal.scorecard.year, m.goal.scorecard_id) for m in metrics},
            self.status_month(),
        )
        for metric in metrics:
            metric.api_result = results[metric.pk]


# --- follow-up occasions ---------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Uppföljningstillfällen", tags=["uppföljning"]),
    retrieve=extend_schema(summary="Ett uppföljningstillfälle", tags=["uppföljning"]),
)
class OccasionViewSet(ApiViewSet):
    serializer_class = s.OccasionSerializer
    filters = [
        f.year("year"),
        f.Filter("kind", "kind", "choice", "Typ.", choices=tuple(OccasionKind.values)),
        f.Filter(
            "locked",
            lambda locked: Q(locked_at__isnull=not locked),
            "bool",
            "Låsta (true) eller öppna (false) tillfällen.",
        ),
    ]

    def base_queryset(self):
        return FollowUpOccasion.objects.order_by("year", "end_month", "pk")


PERIODS_DEPRECATED = "Föråldrat namn på /occasions/, som svarar likadant. Använd /occasions/."


@extend_schema_view(
    list=extend_schema(
        summary="Uppföljningstillfällen (föråldrat namn)",
        description=PERIODS_DEPRECATED,
        deprecated=True,
        tags=["uppföljning"],
    ),
    retrieve=extend_schema(
        summary="Ett uppföljningstillfälle (föråldrat namn)",
        description=PERIODS_DEPRECATED,
        deprecated=True,
        tags=["uppföljning"],
    ),
)
class PeriodViewSet(OccasionViewSet):
    """``/periods/``: the first name of ``/occasions/``, kept so existing callers keep working.

    The occasion has one name everywhere else; every answer here says so in a ``Deprecation``
    header (RFC 9745) with a ``Link`` to the successor.
    """

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Deprecation"] = "true"
        response["Link"] = '</api/v1/occasions/>; rel="successor-version"'
        return response
