from decimal import Decimal

import pytest

from core.numbers import parse_decimal


@pytest.mark.parametrize(
    "text,expected",
    [
        ("160", "160"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,5", "1234.5"),
        ("−3,2", "-3.2"),
        ("-0,5", "-0.5"),
        ("12.75", "12.75"),
        (" 7 ", "7"),
    ],
)
def test_it_reads_numbers_as_swedes_write_them(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "1.234,5", "NaN", "Infinity", "12 %"])
def test_it_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_decimal(text)
