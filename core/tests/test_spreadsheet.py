import pytest

from core.spreadsheet import neutralise_formula, safe_row


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
