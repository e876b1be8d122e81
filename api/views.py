"""The REST API, version 1: everything a caller may see, and the writes their roles allow.

Every endpoint asks ``organisation.access`` who may see and change what: hidden objects answer
404 exactly like missing ones, visible ones the caller may not change answer 403. Values are
written only through ``followup.entry.measurements_save`` and assessments only through
``followup.assessments.save_assessment``, so the API follows the same rules as the pages.
"""

from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followup.actions import overdue_q, with_overdue
from followup.assessments import save_assessment
from followup.entry import RowInput, due_indicators, measurements_save
from followup.evaluation import evaluate_goals
from followup.locking import is_locked
from followup.models import (
    Action,
    ActionState,
    Assessment,
    FollowUpOccasion,
    Measurement,
    OccasionKind,
)
from followup.status import Status
from organisation import access
from organisation.models import OrgUnit, UnitKind
from scorecards import adoption
from scorecards.models import (
    Frequency,
    Goal,
    GoalProgramme,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    ScorecardStatus,
    Source,
    Strategy,
    Target,
)

from . import filters as f
from . import serializers as s
from .exceptions import CONFLICT, PERIOD_LOCKED, VALIDATION, Problem
from .pagination import ValueCursorPagination
from .schema import AutoSchema

READ_ACTIONS = ("list", "retrieve")
STATUS_MONTH = f.Filter(
    "period",
    "",
    "int",
    "Räkna status för januari till och med den här månaden (1–12). Utan den: den senast kända "
    "statusen, som på styrkortssidan.",
    1,
    12,
)


class ApiViewSet(viewsets.GenericViewSet):
    """Reads for everyone (filtered by what the caller may see); writes need a signed-in caller."""

    filters: list[f.Filter] = []
    read_parameters: list[f.Filter] = []
    lookup_value_regex = "[0-9]{1,19}"
    schema = AutoSchema()

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is not None:
            self.check_query_parameters()

    def check_query_parameters(self) -> None:
        """A parameter this endpoint does not know answers 400: ``?month=9`` on a list that filters
        by ``period`` would otherwise quietly return every month."""
        allowed = self.query_parameter_names()
        unknown = [name for name in self.request.query_params if name not in allowed]
        if unknown:
            raise f.unknown_parameters(unknown, allowed)

    def query_parameter_names(self) -> list[str]:
        names = []
        if self.action == "list":
            names += [p.name for p in self.filters]
            names += f.pagination_parameters(self.paginator)
        if self.request.method == "GET":
            names += [p.name for p in self.read_parameters]
        return names

    def get_queryset(self) -> QuerySet:
        queryset = self.base_queryset()
        if self.action == "list":
            queryset = queryset.filter(f.apply(self.filters, self.request.query_params))
        return queryset

    def get_permissions(self):
        # No action: a method the endpoint lacks, answered 405 whoever asks.
        if self.action in READ_ACTIONS or self.action is None:
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def get_object(self):
        if int(self.kwargs["pk"]) > f.ID_MAX:
            raise Http404
        return super().get_object()

    def list(self, request, *args, **kwargs):
        objects = list(self.paginate_queryset(self.get_queryset()))
        self.prepare(objects)
        return self.get_paginated_response(self.get_serializer(objects, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.prepare([obj])
        return Response(self.get_serializer(obj).data)

    def prepare(self, objects: list) -> None:
        """Compute what the serializer shows for a page of objects, in a fixed number of queries."""

    @property
    def user(self):
        return self.request.user

    def status_month(self) -> int | None:
        raw = self.request.query_params.get(STATUS_MONTH.name)
        if raw is None:
            return None
        return f.parse_int(raw, STATUS_MONTH.name, 1, 12)


def _problem(errors: list[dict], detail: str | None = None) -> Problem:
    """A well-formed request that breaks a rule of the stored data: 422 (see api.exceptions)."""
    return Problem(
        detail or _("Uppgifterna innehåller fel. Inget har sparats."),
        status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        type=VALIDATION,
        errors=errors,
    )


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


def _visible_goals(user) -> QuerySet:
    return Goal.objects.filter(access.visible_scorecards_q(user, "scorecard__"))


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
        upward = Prefetch(
            "contributes_to",
            _visible_goals(self.user).only("pk").order_by("pk"),
            to_attr="visible_contributes_to",
        )
        return (
            _visible_goals(self.user)
            .select_related("scorecard", "stored_status")
            .prefetch_related(upward)
            # scorecard__unit_id, not scorecard_id: the order must name the scorecard's own columns
            # for the index scorecard_newest_year_first to serve it (scorecard_id would be read
            # from the goal, and each page would sort every visible goal).
            .order_by("-scorecard__year", "scorecard__unit_id", "perspective__order", "order", "pk")
        )

    def prepare(self, goals):
        month = self.status_month()
        if month is None:  # the stored status, kept up to date on every change
            for goal in goals:
                stored = getattr(goal, "stored_status", None)
                goal.api_result = (Status(stored.status) if stored else Status.NO_VALUE, None)
            return
        for year, ids in _by_year((g.pk, g.scorecard.year) for g in goals).items():
            results = evaluate_goals(ids, year=year, month=month)
            for goal in goals:
                if goal.pk in results:
                    goal.api_result = (results[goal.pk].suggested, month)


def _by_year(pairs) -> dict[int, list[int]]:
    found = defaultdict(list)
    for pk, year in pairs:
        found[year].append(pk)
    return found


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
        return (
            Metric.objects.filter(access.visible_scorecards_q(self.user, "goal__scorecard__"))
            .select_related("goal__scorecard", "indicator")
            .order_by("goal_id", "order", "pk")
        )

    def prepare(self, metrics):
        month = self.status_month()
        results = {}
        for year, goal_ids in _by_year(
            {(m.goal_id, m.goal.scorecard.year) for m in metrics}
        ).items():
            evaluated = evaluate_goals(
                goal_ids, year=year, month=month or 12, latest_known=month is None
            )
            for goal_result in evaluated.values():
                results.update({r.metric.pk: r for r in goal_result.metrics})
        for metric in metrics:
            metric.api_result = (results[metric.pk], month)


@extend_schema_view(
    list=extend_schema(summary="Målvärden", tags=["mätetal"]),
    retrieve=extend_schema(summary="Ett målvärde", tags=["mätetal"]),
    create=extend_schema(
        summary="Nytt målvärde",
        description="Kräver ägar-/redaktörsroll för styrkortets enhet.",
        tags=["mätetal"],
        request=s.TargetCreateSerializer,
        responses={201: s.TargetSerializer},
    ),
    update=extend_schema(
        summary="Ändra ett målvärde",
        tags=["mätetal"],
        request=s.TargetUpdateSerializer,
        responses={200: s.TargetSerializer},
    ),
    partial_update=extend_schema(
        summary="Ändra delar av ett målvärde",
        tags=["mätetal"],
        request=s.TargetUpdateSerializer,
        responses={200: s.TargetSerializer},
    ),
)
class TargetViewSet(ApiViewSet):
    serializer_class = s.TargetSerializer
    filters = [
        f.unit("metric__goal__scorecard__unit"),
        f.year("year"),
        f.ref("metric", "metric_id", "Id för mätetalet på målet."),
        f.ref("goal", "metric__goal_id", "Målets id."),
        f.ref("indicator", "metric__indicator_id", "Mätetalsdefinitionens id."),
    ]

    def base_queryset(self):
        return (
            Target.objects.filter(
                access.visible_scorecards_q(self.user, "metric__goal__scorecard__")
            )
            .select_related("metric__indicator", "metric__goal__scorecard__unit")
            .order_by("metric_id", "year", "pk")
        )

    def create(self, request, *args, **kwargs):
        data = s.TargetCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        metric = data.validated_data["metric"]
        self._require_edit(metric)
        reason = s.require_reason(data, metric.goal.scorecard)
        target = Target(**data.validated_data)
        return self._save(target, status.HTTP_201_CREATED, reason)

    def update(self, request, *args, partial=False, **kwargs):
        target = self.get_object()
        self._require_edit(target.metric)
        data = s.TargetUpdateSerializer(
            target, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        reason = s.require_reason(data, target.metric.goal.scorecard)
        before = target.label
        for name, value in data.validated_data.items():
            setattr(target, name, value)
        return self._save(target, status.HTTP_200_OK, reason, before=before)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _require_edit(self, metric: Metric) -> None:
        if not access.can_edit(self.user, metric.goal.scorecard.unit):
            raise PermissionDenied(_("Du får inte ändra målvärden i det här styrkortet."))

    def _save(self, target: Target, code: int, reason: str, *, before: str = "") -> Response:
        """Saves; on an adopted scorecard marks the change as the target page does."""
        target._history_user = self.user
        with transaction.atomic():
            adoption.with_history_reason(target, reason).save()
            metric = target.metric
            what = _("Målvärde %(year)s för %(name)s: %(label)s") % {
                "year": target.year,
                "name": metric.indicator.name,
                "label": f"{before} → {target.label}" if before else target.label,
            }
            adoption.record_change(
                metric.goal.scorecard, self.user, reason, kind="target", obj=target,
                goal=metric.goal, what=what,
            )  # fmt: skip
        target = self.base_queryset().get(pk=target.pk)
        return Response(s.TargetSerializer(target).data, status=code)


# --- follow-up: periods, values, assessments, actions -----------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Uppföljningstillfällen", tags=["uppföljning"]),
    retrieve=extend_schema(summary="Ett uppföljningstillfälle", tags=["uppföljning"]),
)
class PeriodViewSet(ApiViewSet):
    serializer_class = s.PeriodSerializer
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


def visible_values_q(user) -> Q:
    """Values on the caller's own units, and values shown by a scorecard the caller may see."""
    units = access.visible_unit_ids(user)
    if units is None:
        return Q()
    on_scorecard = Metric.objects.filter(
        access.visible_scorecards_q(user, "goal__scorecard__"),
        goal__scorecard__unit_id=OuterRef("unit_id"),
        indicator_id=OuterRef("indicator_id"),
    )
    return Q(Exists(on_scorecard)) | Q(unit_id__in=units)


@extend_schema_view(
    list=extend_schema(summary="Utfall", tags=["uppföljning"]),
    retrieve=extend_schema(summary="Ett utfall", tags=["uppföljning"]),
    create=extend_schema(
        summary="Spara ett utfall",
        description=(
            "Sparar ett värde för ett mätetal i enhetens styrkort för året, med källan API. "
            "Kräver rapportörsroll för enheten. 201 när värdet är nytt, annars 200."
        ),
        tags=["uppföljning"],
        request=s.ValueWriteSerializer,
        responses={200: s.ValueSerializer, 201: s.ValueSerializer},
    ),
    bulk=extend_schema(
        summary="Spara många utfall för en enhet och period",
        description=(
            "Alla rader sparas, eller ingen: vid minsta fel svarar API:et 400 med radernas fel "
            "i `errors`. Ett värde null tar bort ett sparat värde. Kräver rapportörsroll."
        ),
        tags=["uppföljning"],
        request=s.BulkValuesSerializer,
        responses={200: s.BulkValuesResultSerializer},
    ),
)
class ValueViewSet(ApiViewSet):
    serializer_class = s.ValueSerializer
    pagination_class = ValueCursorPagination
    filters = [
        f.unit("unit"),
        f.year("year"),
        f.month("month"),
        f.ref("indicator", "indicator_id", "Mätetalsdefinitionens id."),
        f.Filter("source", "source", "choice", "Källa.", choices=tuple(Source.values)),
    ]

    def base_queryset(self):
        return (
            Measurement.objects.filter(visible_values_q(self.user))
            # Fetched apart, not joined: a join tempted SQLite's planner, once it had statistics,
            # to start from the units and sort millions of values for each page.
            .prefetch_related(
                Prefetch("indicator", Indicator.objects.only("code")),
                Prefetch("unit", OrgUnit.objects.only("code")),
            )
            .order_by("pk")  # the order ValueCursorPagination pages by
        )

    def create(self, request, *args, **kwargs):
        data = s.ValueWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = data.validated_data
        result = self._save(row["unit"], row["year"], row["month"], [row])
        if not result.ok:
            error = self._errors(result, row["unit"], row["year"], row["month"], [row])[0]
            raise self._single_problem(error, row)
        saved = self.base_queryset().get(
            unit=row["unit"], year=row["year"], month=row["month"], indicator_id=row["indicator"]
        )
        code = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return Response(s.ValueSerializer(saved).data, status=code)

    @action(detail=False, methods=["post"])
    def bulk(self, request, *args, **kwargs):
        data = s.BulkValuesSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit, year, month, rows = (
            data.validated_data[k] for k in ("unit", "year", "month", "rows")
        )
        result = self._save(unit, year, month, rows)
        if not result.ok:
            errors = self._errors(result, unit, year, month, rows)
            detail = ngettext(
                "%(n)d rad har fel. Inget har sparats.",
                "%(n)d rader har fel. Inget har sparats.",
                len(errors),
            ) % {"n": len(errors)}
            if any(e["code"] == "locked" for e in errors):
                raise Problem(
                    f"{_locked_text(year, month)} {detail}",
                    status_code=status.HTTP_409_CONFLICT,
                    type=PERIOD_LOCKED,
                    title=_("Perioden är låst"),
                    errors=errors,
                )
            if all(e["code"] == "conflict" for e in errors):
                # Someone else saved in between: the caller must read again, as for one value.
                raise Problem(
                    detail, status_code=status.HTTP_409_CONFLICT, type=CONFLICT, errors=errors
                )
            raise _problem(errors, detail)
        values = self.base_queryset().filter(
            unit=unit, year=year, month=month, indicator_id__in=[r["indicator"] for r in rows]
        )
        body = {
            "created": result.created,
            "updated": result.updated,
            "deleted": result.deleted,
            "values": s.ValueSerializer(values, many=True).data,
        }
        return Response(body)

    def _save(self, unit: OrgUnit, year: int, month: int, rows: list[dict]):
        if not access.can_report(self.user, unit):
            raise PermissionDenied(_("Du får inte lämna utfall för %(unit)s.") % {"unit": unit})
        card = Scorecard.objects.filter(unit=unit, year=year).first()
        if card is None:
            raise _problem(
                [
                    {
                        "pointer": "#/year",
                        "detail": _(
                            "%(unit)s har inget styrkort för %(year)s; utfall lämnas för "
                            "mätetalen i enhetens styrkort."
                        )
                        % {"unit": unit, "year": year},
                    }
                ]
            )
        indicators, _goals, _targets = due_indicators(card, month)
        self.allowed = {i.pk: i for i in indicators}
        inputs = [
            RowInput(
                indicator_id=row["indicator"],
                value="" if row["value"] is None else str(row["value"]),
                comment=row.get("comment") or "",
                version=row.get("version"),
            )
            for row in rows
        ]
        return measurements_save(
            unit=unit,
            year=year,
            month=month,
            inputs=inputs,
            user=self.user,
            source=Source.API,
            allowed=self.allowed,
        )

    def _errors(self, result, unit, year, month, rows) -> list[dict]:
        """Row errors with a code saying why: unknown_indicator, implausible, locked, conflict."""
        versions = dict(
            Measurement.objects.filter(
                unit=unit, year=year, month=month, indicator_id__in=list(result.errors)
            ).values_list("indicator_id", "version")
        )
        locked = is_locked(year, month, unit)
        errors = []
        for index, row in enumerate(rows):
            message = result.errors.get(row["indicator"])
            if message is None:
                continue
            indicator = self.allowed.get(row["indicator"])
            value = row["value"]
            if indicator is None:
                code = "unknown_indicator"
            elif value is not None and (
                (indicator.plausible_min is not None and value < indicator.plausible_min)
                or (indicator.plausible_max is not None and value > indicator.plausible_max)
            ):
                code = "implausible"
            elif locked:
                code = "locked"
            elif row.get("version") is not None and row["version"] != versions.get(
                row["indicator"], 0
            ):
                code = "conflict"
            else:
                code = "invalid"
            errors.append(
                {
                    "pointer": f"#/rows/{index}/{'indicator' if indicator is None else 'value'}",
                    "row": index,
                    "indicator": row["indicator"],
                    "detail": message,
                    "code": code,
                }
            )
        return errors

    def _single_problem(self, error: dict, row: dict) -> Problem:
        error = {**error, "pointer": error["pointer"].replace("/rows/0", "")}
        del error["row"]
        if error["code"] == "locked":
            return Problem(
                _locked_text(row["year"], row["month"]),
                status_code=status.HTTP_409_CONFLICT,
                type=PERIOD_LOCKED,
                title=_("Perioden är låst"),
                errors=[error],
            )
        if error["code"] == "conflict":
            current = self.base_queryset().filter(
                unit=row["unit"],
                year=row["year"],
                month=row["month"],
                indicator_id=row["indicator"],
            )
            current = current.first()
            return Problem(
                error["detail"],
                status_code=status.HTTP_409_CONFLICT,
                type=CONFLICT,
                errors=[error],
                extra={"current": s.ValueSerializer(current).data if current else None},
            )
        return _problem([error])


def _locked_text(year: int, month: int) -> str:
    return _("Perioden %(year)s-%(month)02d är låst eftersom rapporten är fastställd.") % {
        "year": year,
        "month": month,
    }


@extend_schema_view(
    list=extend_schema(summary="Bedömningar", tags=["uppföljning"]),
    retrieve=extend_schema(summary="En bedömning", tags=["uppföljning"]),
    create=extend_schema(
        summary="Ny bedömning av ett mål vid ett uppföljningstillfälle",
        description=(
            "Kräver rapportörsroll för styrkortets enhet. En bedömning som avviker från den "
            "föreslagna behöver `deviation_comment`. Finns redan en bedömning: 409."
        ),
        tags=["uppföljning"],
        request=s.AssessmentCreateSerializer,
        responses={201: s.AssessmentSerializer},
    ),
    update=extend_schema(
        summary="Ändra en bedömning",
        description="`version` ska vara den lästa; har någon annan sparat under tiden: 409.",
        tags=["uppföljning"],
        request=s.AssessmentUpdateSerializer,
        responses={200: s.AssessmentSerializer},
    ),
    partial_update=extend_schema(
        summary="Ändra delar av en bedömning",
        description="`version` krävs även här.",
        tags=["uppföljning"],
        request=s.AssessmentUpdateSerializer,
        responses={200: s.AssessmentSerializer},
    ),
)
class AssessmentViewSet(ApiViewSet):
    serializer_class = s.AssessmentSerializer
    filters = [
        f.unit("goal__scorecard__unit"),
        f.year("occasion__year"),
        f.month("occasion__end_month"),
        f.ref("goal", "goal_id", "Målets id."),
        f.ref("scorecard", "goal__scorecard_id", "Styrkortets id."),
        f.ref("occasion", "occasion_id", "Uppföljningstillfällets id."),
    ]

    def base_queryset(self):
        return (
            Assessment.objects.filter(access.visible_scorecards_q(self.user, "goal__scorecard__"))
            .select_related("occasion", "goal__scorecard__unit")
            .order_by("occasion__year", "occasion__end_month", "goal_id", "pk")
        )

    def represent_current(self, assessment: Assessment) -> dict:
        return s.AssessmentSerializer(assessment).data

    def create(self, request, *args, **kwargs):
        data = s.AssessmentCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        goal = (
            _visible_goals(self.user)
            .select_related("scorecard__unit")
            .filter(pk=values["goal"])
            .first()
        )
        if goal is None:
            raise _problem([{"pointer": "#/goal", "detail": _("Målet finns inte.")}])
        occasion = FollowUpOccasion.objects.filter(pk=values["occasion"]).first()
        if occasion is None:
            raise _problem(
                [{"pointer": "#/occasion", "detail": _("Uppföljningstillfället finns inte.")}]
            )
        return self._save(goal, occasion, values, version=0, code=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        assessment = self.get_object()
        self._require_report(assessment.goal)
        data = s.AssessmentUpdateSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "version" not in values:
            raise _problem([{"pointer": "#/version", "detail": _("Ange versionen du har läst.")}])
        current = {
            "status": assessment.status,
            "analysis": assessment.analysis,
            "forecast": assessment.forecast,
            "deviation_comment": assessment.deviation_comment,
        }
        return self._save(
            assessment.goal,
            assessment.occasion,
            {**current, **values},
            version=values["version"],
            code=status.HTTP_200_OK,
        )

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _require_report(self, goal: Goal) -> None:
        if not access.can_report(self.user, goal.scorecard.unit):
            raise PermissionDenied(_("Du får inte bedöma mål i det här styrkortet."))

    def _save(self, goal: Goal, occasion: FollowUpOccasion, values, *, version, code):
        self._require_report(goal)
        saved = save_assessment(
            goal=goal, occasion=occasion, user=self.user, data=values, version=version
        )
        saved = self.base_queryset().get(pk=saved.pk)
        return Response(s.AssessmentSerializer(saved).data, status=code)


@extend_schema_view(
    list=extend_schema(summary="Aktiviteter", tags=["uppföljning"]),
    retrieve=extend_schema(summary="En aktivitet", tags=["uppföljning"]),
    create=extend_schema(
        summary="Ny aktivitet",
        description="Kräver rapportörsroll för styrkortets enhet.",
        tags=["uppföljning"],
        request=s.ActionCreateSerializer,
        responses={201: s.ActionSerializer},
    ),
    update=extend_schema(
        summary="Ändra en aktivitet",
        tags=["uppföljning"],
        request=s.ActionUpdateSerializer,
        responses={200: s.ActionSerializer},
    ),
    partial_update=extend_schema(
        summary="Ändra delar av en aktivitet",
        tags=["uppföljning"],
        request=s.ActionUpdateSerializer,
        responses={200: s.ActionSerializer},
    ),
)
class ActionViewSet(ApiViewSet):
    serializer_class = s.ActionSerializer
    filters = [
        f.unit("goal__scorecard__unit"),
        f.year("goal__scorecard__year"),
        f.ref("goal", "goal_id", "Målets id."),
        f.ref("scorecard", "goal__scorecard_id", "Styrkortets id."),
        f.Filter("state", "state", "choice", "Status.", choices=tuple(ActionState.values)),
        f.Filter(
            "overdue",
            lambda overdue: overdue_q() if overdue else ~overdue_q(),
            "bool",
            "Försenade aktiviteter: passerat slutdatum och fortfarande planerade eller pågående.",
        ),
    ]

    def base_queryset(self):
        visible = Action.objects.filter(access.visible_scorecards_q(self.user, "goal__scorecard__"))
        return with_overdue(visible).order_by("goal_id", "due_date", "pk")

    def create(self, request, *args, **kwargs):
        data = s.ActionCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        action = Action(**data.validated_data)
        return self._save(action, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        action = self.get_object()
        self._require_report(action.goal_id)
        data = s.ActionUpdateSerializer(
            action, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        for name, value in data.validated_data.items():
            setattr(action, name, value)
        return self._save(action, status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def _require_report(self, goal_id: int) -> None:
        unit = OrgUnit.objects.get(scorecards__goals=goal_id)
        if not access.can_report(self.user, unit):
            raise PermissionDenied(_("Du får inte ändra aktiviteter i det här styrkortet."))

    def _save(self, action: Action, code: int) -> Response:
        self._require_report(action.goal_id)
        action._history_user = self.user
        action.save()
        saved = self.base_queryset().get(pk=action.pk)
        return Response(s.ActionSerializer(saved).data, status=code)
