import pytest

from core.spreadsheet import neutralise_formula, safe_csv_cell, safe_row


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '=HYPERLINK("http://evil.example","klicka")',
            '\'=HYPERLINK("http://evil.example","klicka")',
        ),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Minska energianvändningen", "Minska energianvändningen"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_it_neutralises_text_a_spreadsheet_would_run(text, expected):
    assert neutralise_formula(text) == expected


@pytest.mark.parametrize("value", [None, 12, -3.5, True])
def test_it_leaves_non_text_alone(value):
    assert neutralise_formula(value) is value


def test_a_row_is_neutralised_cell_by_cell():
    assert safe_row(["=1", 5, "o\x0bk"]) == ["'=1", 5, "o\nk"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+SUM(1+1)*cmd|' /C calc'!A0", "'+SUM(1+1)*cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("-3.5", "-3.5"),
        ("150", "150"),
        ("-٣", "'-٣"),
        ("Mål\x0bett", "Mål\nett"),
    ],
)
def test_a_csv_cell_is_formula_safe_but_numbers_stay_numbers(text, expected):
    assert safe_csv_cell(text) == expected
