"""Hostile files and form values on the economy pages: amounts past what is stored, a CSV field
past the csv module's limit, years 0 and 9999, line breaks that are not CR/LF, unit codes that
are no unit. A Swedish message naming the line, nothing written, never a 500."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from economy.csvfile import parse_csv
from economy.models import EconomyImport, ObjectMapping
from economy.sie import SieError, parse

from .files import SIE2, cp437
from .test_views import upload

HEADER = "enhet;konto;månad;belopp;typ\n"


def _errors(call) -> list[tuple[int, str]]:
    with pytest.raises(SieError) as caught:
        call()
    return caught.value.errors


def test_a_sie_amount_past_what_is_stored_names_its_line():
    text = SIE2.replace("-500.00", "9" * 40)
    [(line, message)] = _errors(lambda: parse(cp437(text)))
    assert line == 19 and "orimligt stort belopp" in message


def test_a_sie_transaction_past_what_is_stored_names_its_line():
    text = (
        '#FORMAT PC8\n#SIETYP 4\n#RAR 0 20250101 20251231\n#VER A 1 20250115 "x"\n{\n'
        f"#TRANS 4010 {{}} {'9' * 30}.00\n}}\n"
    )
    [(line, message)] = _errors(lambda: parse(cp437(text)))
    assert line == 6 and "orimligt stort belopp" in message


def test_only_cr_and_lf_end_a_sie_line():
    """U+2028 and \\x1c inside a quoted name stay in the line: the error names the right one."""
    text = SIE2.replace('"Exempelstads kommun"', '"Exempel\u2028stad\x1c"').replace("-500.00", "x")
    [(line, _message)] = _errors(lambda: parse(text.encode("utf-8")))
    assert line == 19


@pytest.mark.parametrize(
    ("row", "words"),
    [
        (f"soc;4010;2025-03;{'9' * 40};utfall", "orimligt stort belopp"),
        ("soc;4010;0000-03;1;utfall", "ingen månad"),
        ("soc;4010;9999-12;1;utfall", "ingen månad"),
    ],
)
def test_a_csv_row_out_of_range_is_named(row, words):
    [(line, message)] = _errors(lambda: parse_csv((HEADER + row + "\n").encode()))
    assert line == 2 and words in message


def test_a_csv_field_past_the_csv_limit_is_named():
    data = (HEADER + "soc;4010;2025-03;1;utfall\n" + '"' + "x" * 200_000 + "\n").encode()
    [(line, message)] = _errors(lambda: parse_csv(data))
    assert line == 3 and "kan inte läsas som CSV" in message


def test_the_upload_of_a_hostile_csv_answers_with_the_message(client, world):
    client.force_login(world.admin)
    data = (HEADER + f"soc;4010;2025-03;{'9' * 40};utfall\n").encode()
    response = upload(client, data, name="ekonomi.csv")
    assert response.status_code == 200
    assert "Rad 2:" in response.content.decode()
    assert not EconomyImport.objects.exists()


def test_mapping_an_object_to_no_unit_code_changes_nothing(client, world):
    client.force_login(world.admin)
    kept = ObjectMapping.objects.create(dimension=1, code="100", unit=world.unit_a)
    response = client.post(
        reverse("economy_mapping"), {"save_objects": "1", f"obj-{kept.pk}": "finns-inte"}
    )
    kept.refresh_from_db()
    assert kept.unit == world.unit_a
    assert any("Okänd enhet" in str(m) for m in get_messages(response.wsgi_request))


def test_deleting_a_rule_that_does_not_exist_says_so(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("economy_mapping"), {"delete_rule": "99999"})
    assert any("finns inte" in str(m) for m in get_messages(response.wsgi_request))


def test_the_unit_page_links_only_ancestors_whose_economy_the_user_reads(client, world):
    """The editor of unit A reads A and below, not the city: its crumb is text, not a 403 link;
    and no link leads to a year without economy."""
    client.force_login(world.editor)
    body = client.get(reverse("economy_unit", args=[world.unit_a.code, 2026])).content.decode()
    assert reverse("economy_unit", args=[world.city.code, 2026]) not in body
    assert world.city.name in body
    assert reverse("economy_unit", args=[world.unit_a.code, 2025]) not in body
    client.force_login(world.admin)
    body = client.get(reverse("economy_unit", args=[world.unit_a.code, 2026])).content.decode()
    assert reverse("economy_unit", args=[world.city.code, 2026]) in body
