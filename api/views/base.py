"""The base of every endpoint: query parameters checked, permissions, 422 problems, shared helpers."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import permissions, status, viewsets
from rest_framework.response import Response

from organisation import access
from scorecards.models import Goal

from .. import filters as f
from ..exceptions import VALIDATION, Problem
from ..schema import AutoSchema

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


def _visible_goals(user) -> QuerySet:
    return Goal.objects.filter(access.visible_scorecards_q(user, "scorecard__"))
