"""``evaluation.value_rows`` reads values on a plain cursor instead of the queryset's iterator
(issue #16): for any stored value it must give exactly what Django gives — the same tuples, and
Decimals equal in value and in their digits (``str``), since pages format them. Hypothesis
writes random values (whole numbers, which SQLite stores as integers, negatives, all four
decimals, the 15 digits SQLite keeps) and compares; on SQLite and PostgreSQL alike."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.testing import make_indicator, make_unit
from followup.evaluation import value_rows
from followup.models import Measurement

pytestmark = pytest.mark.django_db

VALUES = st.decimals(
    # SQLite keeps 15 significant digits: 11 before the decimals (Django's own reading of a
    # longer value fails the column's 18 digits, and so does this one).
    min_value=Decimal("-99999999999.9999"),
    max_value=Decimal("99999999999.9999"),
    places=4,
    allow_nan=False,
    allow_infinity=False,
) | st.integers(min_value=-(10**9), max_value=10**9).map(Decimal)


class Rollback(Exception):
    """Undoes one example's values."""


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(VALUES, min_size=1, max_size=12))
def test_value_rows_reads_what_the_queryset_reads(values):
    with pytest.raises(Rollback), transaction.atomic():
        indicator, unit = make_indicator(), make_unit("Enheten")
        Measurement.objects.bulk_create(
            Measurement(indicator=indicator, unit=unit, year=2026, month=m, value=v)
            for m, v in enumerate(values, start=1)
        )
        rows = Measurement.objects.filter(unit=unit).order_by("month")
        rows = rows.values_list("indicator_id", "unit_id", "month", "value")
        plain, django = value_rows(rows), list(rows)
        assert plain == django
        assert [str(r[-1]) for r in plain] == [str(r[-1]) for r in django]
        assert all(isinstance(r[-1], Decimal) for r in plain)
        raise Rollback


def test_no_rows_is_an_empty_list():
    assert value_rows(Measurement.objects.none().values_list("month", "value")) == []
    nowhere = Measurement.objects.filter(unit_id__in=[]).values_list("month", "value")
    assert value_rows(nowhere) == []
