"""The section page's text box: a writer types text, the section stores the HTML subset.

Through the real page (form and autosave), as the unit's reporter: each construct is stored as
its HTML, the stored text comes back as text, saving unchanged text changes nothing, Förhandsgranska
shows without saving, and typed HTML or hostile links end as text.
"""

import pytest
from django.test import Client

from yearreports import workflow
from yearreports.forms import TEXT_MAX_LENGTH
from yearreports.testing import make_report


@pytest.fixture
def section(world):
    return make_report(world.unit_a).sections.order_by("order").first()


@pytest.fixture
def client(world):
    client = Client()
    client.force_login(world.reporter)
    return client


def _post(client, section, text, **extra):
    section.refresh_from_db()
    return client.post(
        section.get_absolute_url(), {"text": text, "version": section.version, **extra}
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("## Rubrik\n\nEtt stycke.", "<h2>Rubrik</h2>\n<p>Ett stycke.</p>"),
        ("- ett\n- två", "<ul>\n<li>ett</li>\n<li>två</li>\n</ul>"),
        ("1. ett", "<ol>\n<li>ett</li>\n</ol>"),
        ("**fet** och *kursiv*", "<p><strong>fet</strong> och <em>kursiv</em></p>"),
        (
            "[Läs](https://www.exempel.se)",
            '<p><a href="https://www.exempel.se" rel="noopener noreferrer">Läs</a></p>',
        ),
        ("> citat", "<blockquote>\n<p>citat</p>\n</blockquote>"),
        ("| A |\n| --- |\n| 1 |", "<table>\n<thead>\n<tr>\n<th>A</th>\n</tr>\n</thead>\n"
         "<tbody>\n<tr>\n<td>1</td>\n</tr>\n</tbody>\n</table>"),
    ],
)  # fmt: skip
def test_the_form_stores_the_html_of_what_was_typed(client, section, typed, stored):
    response = _post(client, section, typed)
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.text == stored


def test_the_stored_html_comes_back_as_text_in_the_box(client, section, world):
    workflow.write(section, world.reporter, text="<h2>Mål</h2><p><b>Nått</b></p>", version=None)
    page = client.get(section.get_absolute_url()).content.decode()
    assert "## Mål\n\n**Nått**</textarea>" in page


def test_saving_unchanged_text_keeps_the_stored_html(client, section, world):
    """HTML from the API holds what the box cannot say (a row header's scope): kept unless edited."""
    html = '<table><tbody><tr><th scope="row">Rad</th><td>1</td></tr></tbody></table>'
    section = workflow.write(section, world.reporter, text=html, version=None)
    before = (section.text, section.version)
    page = client.get(section.get_absolute_url())
    typed = page.context["form"]["text"].value()
    assert _post(client, section, typed).status_code == 302
    section.refresh_from_db()
    assert (section.text, section.version) == before


def test_pasted_html_is_kept_as_text(client, section):
    _post(client, section, '<p onclick="x()">Hej</p><script>alert("x")</script>')
    section.refresh_from_db()
    assert section.text == (
        '<p>&lt;p onclick="x()"&gt;Hej&lt;/p&gt;&lt;script&gt;alert("x")&lt;/script&gt;</p>'
    )
    page = client.get(section.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_a_javascript_link_is_stored_as_text(client, section):
    _post(client, section, "[klicka](javascript:alert(1))")
    section.refresh_from_db()
    assert section.text == "<p>[klicka](javascript:alert(1))</p>"


def test_the_preview_shows_the_text_and_saves_nothing(client, section):
    response = _post(client, section, "## Förslag\n\n**Viktigt**", preview="1")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Förhandsgranskning (inte sparad)" in body
    assert "<h2>Förslag</h2>" in body and "<strong>Viktigt</strong>" in body
    assert "## Förslag" in body  # the text box keeps what was typed
    section.refresh_from_db()
    assert section.text == "" and section.version == 1


def test_text_past_the_limit_is_refused_with_a_message(client, section):
    response = _post(client, section, "a" * (TEXT_MAX_LENGTH + 1))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    section.refresh_from_db()
    assert section.text == ""


def test_a_control_character_is_refused_with_a_message(client, section):
    response = _post(client, section, "före\x00efter")
    assert response.status_code == 200
    assert "U+0000" in response.content.decode()
    section.refresh_from_db()
    assert section.text == ""


def test_autosave_posts_the_same_text(client, section):
    section.refresh_from_db()
    response = client.post(
        section.get_absolute_url(),
        {"text": "- punkt", "version": section.version},
        headers={"X-Autosave": "1"},
    )
    assert response.status_code == 200
    section.refresh_from_db()
    assert section.text == "<ul>\n<li>punkt</li>\n</ul>"


def _nested_list(depth: int) -> str:
    return "".join("  " * i + f"- nivå {i}\n" for i in range(depth))


def test_deep_lists_are_stored_whole_with_what_follows(client, section):
    """The parser stops reading, silently, past its nesting limit: nothing typed may be lost."""
    _post(client, section, "Inledning\n\n" + _nested_list(12) + "\nSista stycket\n\n## Nästa")
    section.refresh_from_db()
    assert "nivå 11" in section.text and "Sista stycket" in section.text
    assert "<h2>Nästa</h2>" in section.text


@pytest.mark.parametrize("typed", [_nested_list(80) + "\nefter", "> " * 200 + "djupt\n\nefter"])
def test_text_nested_past_what_can_be_read_is_refused_not_cut(client, section, typed):
    response = _post(client, section, typed)
    assert response.status_code == 200
    assert "för många listor eller citat i varandra" in response.content.decode()
    section.refresh_from_db()
    assert section.text == "" and section.version == 1
