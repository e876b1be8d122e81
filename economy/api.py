"""/api/v1/economy/: the imported monthly amounts, read within the caller's rights
(organisation.access.economy_unit_ids: importers everything, others their role units and
below, anonymous callers nothing — economy is never public)."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api import filters as f
from api.views.base import ApiViewSet
from organisation import access

from .models import Amount, Version


class AmountSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    row_name = serializers.CharField(source="row.name", read_only=True)

    class Meta:
        model = Amount
        fields = [
            "id",
            "unit",
            "unit_code",
            "row",
            "row_name",
            "year",
            "month",
            "version",
            "amount",
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Ekonomi: belopp per enhet, resultaträkningsrad, månad och version",
        description="Utfall, budget och prognos (helårsprognos lämnad i månaden) i kronor med "
        "bokföringens tecken: intäkter negativa, kostnader positiva.",
        tags=["ekonomi"],
    ),
    retrieve=extend_schema(summary="Ett belopp", tags=["ekonomi"]),
)
class EconomyViewSet(ApiViewSet):
    serializer_class = AmountSerializer
    filters = [
        f.unit("unit"),
        f.year("year"),
        f.Filter("month", "month", "int", "Månad, 1–12.", 1, 12),
        f.Filter("version", "version", "choice", "Version.", choices=tuple(Version.values)),
    ]

    def base_queryset(self):
        amounts = Amount.objects.select_related("unit", "row").order_by("pk")
        if not self.user.is_authenticated:
            return amounts.none()
        ids = access.economy_unit_ids(self.user)
        return amounts if ids is None else amounts.filter(unit_id__in=ids)
