"""Values (measurements): reads, single writes and bulk writes through ``followup.entry``."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from followup.entry import RowInput, measurements_save, scorecard_indicators
from followup.models import Measurement
from organisation import access
from organisation.models import OrgUnit
from scorecards.models import (
    Indicator,
    Scorecard,
    Source,
)

from .. import filters as f
from .. import serializers as s
from ..exceptions import CONFLICT, PERIOD_LOCKED, Problem
from ..pagination import ValueCursorPagination
from .base import ApiViewSet, _problem


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
    write_path = staticmethod(measurements_save)  # the forecasts' subclass writes through its own
    filters = [
        f.unit("unit"),
        f.year("year"),
        f.month("month"),
        f.ref("indicator", "indicator_id", "Mätetalsdefinitionens id."),
        f.Filter("source", "source", "choice", "Källa.", choices=tuple(Source.values)),
    ]

    def base_queryset(self):
        return (
            Measurement.objects.filter(access.visible_values_q(self.user))
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
        return Response(self.serializer_class(saved).data, status=code)

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
            "values": self.serializer_class(values, many=True).data,
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
        self.allowed = scorecard_indicators(card)
        inputs = [
            RowInput(
                indicator_id=row["indicator"],
                value="" if row["value"] is None else str(row["value"]),
                comment=row.get("comment") or "",
                version=row.get("version"),
            )
            for row in rows
        ]
        return self.write_path(
            unit=unit,
            year=year,
            month=month,
            inputs=inputs,
            user=self.user,
            source=Source.API,
            allowed=self.allowed,
        )

    def _errors(self, result, unit, year, month, rows) -> list[dict]:
        """Row errors with the write path's code and message (followup.entry's codes)."""
        errors = []
        for index, row in enumerate(rows):
            message = result.errors.get(row["indicator"])
            if message is None:
                continue
            code = result.codes[row["indicator"]]
            indicator = self.allowed.get(row["indicator"])
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
                extra={"current": self.serializer_class(current).data if current else None},
            )
        return _problem([error])


def _locked_text(year: int, month: int) -> str:
    return _("Perioden %(year)s-%(month)02d är låst eftersom rapporten är fastställd.") % {
        "year": year,
        "month": month,
    }
