from decimal import Decimal

import pytest

from core.numbers import NumberTooLarge, check_size, parse_decimal


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


@pytest.mark.parametrize(
    "text",
    ["1e24", "-1e309", "1E+25", "9" * 27, "100000000000000", "-100000000000000,5", "9e999999999"],
)
def test_it_refuses_numbers_too_large_to_store_before_rounding(text):
    with pytest.raises(NumberTooLarge):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["Infinity", "-inf"])
def test_an_infinity_is_too_large(text):
    with pytest.raises(NumberTooLarge):
        parse_decimal(text)


@pytest.mark.parametrize("text", ["99999999999999,9999", "-99999999999999", "0e999999999", "1e-30"])
def test_it_keeps_every_number_a_column_holds(text):
    assert parse_decimal(text) == Decimal(text.replace(",", "."))


def test_a_narrower_column_has_its_own_limit():
    assert check_size(Decimal("9999.99"), whole_digits=4)
    with pytest.raises(NumberTooLarge):
        check_size(Decimal("10000"), whole_digits=4)
