"""Forecasts (prognos helår): reads and writes through ``followup.forecasts.forecasts_save``,
with the values' rules: the period's lock (409), the version guard (409 with what is stored)."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view

from followup.forecasts import forecasts_save
from followup.models import Forecast
from organisation import access
from organisation.models import OrgUnit
from scorecards.models import Indicator

from .. import serializers as s
from .values import ValueViewSet


@extend_schema_view(
    list=extend_schema(summary="Prognoser för helåret", tags=["uppföljning"]),
    retrieve=extend_schema(summary="En prognos för helåret", tags=["uppföljning"]),
    create=extend_schema(
        summary="Spara en prognos för helåret",
        description=(
            "Sparar prognos helår för ett mätetal i enhetens styrkort, given vid det "
            "uppföljningstillfälle vars sista månad är `month`. Samma regler som för utfall: "
            "låst period ger 409, en annan version än den sparade ger 409. Kräver "
            "rapportörsroll. 201 när prognosen är ny, annars 200."
        ),
        tags=["uppföljning"],
        request=s.ValueWriteSerializer,
        responses={200: s.ForecastSerializer, 201: s.ForecastSerializer},
    ),
    bulk=extend_schema(
        summary="Spara många prognoser för en enhet och ett tillfälle",
        description=(
            "Alla rader sparas, eller ingen. Ett värde null tar bort en sparad prognos. "
            "Kräver rapportörsroll."
        ),
        tags=["uppföljning"],
        request=s.BulkValuesSerializer,
        responses={200: s.BulkForecastsResultSerializer},
    ),
)
class ForecastViewSet(ValueViewSet):
    serializer_class = s.ForecastSerializer
    write_path = staticmethod(forecasts_save)

    def base_queryset(self):
        return (
            Forecast.objects.filter(access.visible_values_q(self.user))
            .prefetch_related(
                Prefetch("indicator", Indicator.objects.only("code")),
                Prefetch("unit", OrgUnit.objects.only("code")),
            )
            .order_by("pk")
        )
