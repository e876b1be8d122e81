"""The pages name the municipality as the settings say: a kommun never reads "staden".

Every page of the persona × URL table (core/tests/test_url_permissions.py) is rendered for a
municipality "Exempelby kommun" with designation "kommun", after the words are taken out of the
user-entered content (names, titles, visions): what is left of "stad", "staden" or "Stadens" can
only come from the code. The same in English for "city". A grep of the templates and the code
finds no hard-coded wording either.
"""

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from core.tests.test_url_permissions import (
    TABLE,
    clients,
    reverse_case,
    scene,  # noqa: F401 (a fixture used below)
    url_patterns,
)
from core.wording import municipality_words, period_label

SWEDISH = re.compile(r"\b(stad|staden|stadens)\b", re.IGNORECASE)
ENGLISH = re.compile(r"\bcit(y|y's|ies)\b", re.IGNORECASE)
PERSONAS = ("admin", "reader", "anon")  # everything there is, a refused reader, a citizen


@pytest.fixture
def kommun(settings):
    settings.MUNICIPALITY_NAME = "Exempelby kommun"
    settings.MUNICIPALITY_DESIGNATION = "kommun"


def _neutral_user_content() -> None:
    """Take the words out of every stored text, so that the pages' own wording is what is left."""
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for name in texts:
            for word, other in (("stad", "ort"), ("Stad", "Ort"), ("city", "town")):
                model._default_manager.filter(**{f"{name}__contains": word}).update(
                    **{name: Replace(F(name), Value(word), Value(other))}
                )


class _Text(HTMLParser):
    """What a reader sees or hears: text, and the attributes that are read aloud or shown."""

    SPOKEN = {"title", "alt", "aria-label", "placeholder", "value", "content"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    # An <option> is a choice, not wording: the setup page's designation select must offer
    # "stad" (and "city" in English) to a kommun too.
    UNREAD = ("script", "style", "option")

    def handle_starttag(self, tag, attrs):
        if tag in self.UNREAD:
            self.skip += 1
            return
        spoken = self.SPOKEN
        if tag == "input" and dict(attrs).get("type") in ("radio", "checkbox"):
            spoken = spoken - {"value"}  # a choice's value is sent, never shown or read aloud
        self.parts += [value or "" for key, value in attrs if key in spoken]

    def handle_endtag(self, tag):
        if tag in self.UNREAD:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def shown_text(response) -> str:
    body = response.content.decode()
    if "html" not in response.get("Content-Type", ""):
        return body
    parser = _Text()
    parser.feed(body)
    return " ".join(parser.parts)


def _found(pattern, text: str) -> list[str]:
    return sorted({m.group(0) for m in pattern.finditer(text)})


def _text_responses(scene, personas, language="sv"):  # noqa: F811
    by_persona = clients(scene.world)
    for persona in personas:
        if language != "sv":
            by_persona[persona].cookies[settings.LANGUAGE_COOKIE_NAME] = language
    names = url_patterns()
    for key in sorted(TABLE):
        case = TABLE[key]
        if not case.path and key.split("#")[0] not in names:
            continue
        url = reverse_case(case, scene, scene.a)
        for persona in personas:
            response = by_persona[persona].get(url)
            kind = response.get("Content-Type", "")
            if response.streaming or not kind.startswith(("text/", "application/json")):
                continue
            yield f"{url} as {persona} ({response.status_code})", shown_text(response)


# The setup page offers the designations as radio buttons: "stad" (English "city") once, as a choice.
CHOICE_PAGES = {"/kom-igang/kommun/"}


def _without_choice(where: str, pattern, text: str) -> str:
    if where.split(" as ")[0] in CHOICE_PAGES:
        return pattern.sub("", text, count=1)
    return text


@pytest.mark.django_db
def test_no_page_says_stad_for_a_kommun(kommun, scene):  # noqa: F811
    _neutral_user_content()
    left = []
    for where, text in _text_responses(scene, PERSONAS):
        if found := _found(SWEDISH, _without_choice(where, SWEDISH, text)):
            left.append(f"{where}: {found}")
        # A view's own context must not hide the words from the navigation (it did on Kolada's
        # page, whose context had its own "municipality").
        if "Huvudmeny" in text and "Kommunens styrkort" not in text:
            left.append(f"{where}: the navigation lost 'Kommunens styrkort'")
    assert not left, "Hard-coded 'stad' wording:\n" + "\n".join(left)


@pytest.mark.django_db
def test_no_english_page_says_city_for_a_kommun(kommun, scene):  # noqa: F811
    _neutral_user_content()
    left = []
    for where, text in _text_responses(scene, ("admin", "anon"), language="en"):
        if found := _found(ENGLISH, _without_choice(where, ENGLISH, text)):
            left.append(f"{where}: {found}")
    assert not left, "Hard-coded 'city' wording in English:\n" + "\n".join(left)


def test_the_error_and_locked_out_pages_name_the_kommun(kommun, rf: RequestFactory):
    request = rf.get("/")
    request.user = AnonymousUser()
    for template in ("403.html", "404.html", "accounts/locked_out.html"):
        text = render_to_string(template, request=request)
        assert not _found(SWEDISH, text), template
    assert "Arbetar du i kommunen?" in render_to_string("404.html", request=request)
    assert "kommunens administratör" in render_to_string("403.html", request=request)


@pytest.mark.django_db
def test_the_home_page_heading_follows_the_designation(settings, chain):
    settings.MUNICIPALITY_DESIGNATION = "region"
    assert "Regionens styrkort 2026" in Client().get(reverse("home")).content.decode()
    settings.MUNICIPALITY_DESIGNATION = "kommun"
    assert "Kommunens styrkort 2026" in Client().get(reverse("home")).content.decode()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    heading = html.unescape(english.get(reverse("home")).content.decode())
    assert "The municipality's scorecard 2026" in heading


@pytest.mark.parametrize(
    ("name", "designation", "definite", "genitive"),
    [
        ("Exempelby kommun", "kommun", "kommunen", "kommunens"),
        ("Helsingborgs stad", "", "staden", "stadens"),  # no designation set: read from the name
        ("Region Skåne", "", "regionen", "regionens"),
        ("Lund", "", "kommunen", "kommunens"),
        ("Exempelby kommun", "", "kommunen", "kommunens"),
        ("Göteborgs stad", "KOMMUN", "kommunen", "kommunens"),  # the setting wins
    ],
)
def test_the_words_for_each_designation(settings, name, designation, definite, genitive):
    settings.MUNICIPALITY_NAME = name
    settings.MUNICIPALITY_DESIGNATION = designation
    words = municipality_words()
    assert (words.name, words.definite, words.genitive) == (name, definite, genitive)
    assert words.genitive_cap == genitive.capitalize()


# Files that may say "stad": the Helsingborg demo (every module of demo/) and the synthetic
# benchmark city are data, and
# the table of forms in core/wording.py is where "staden" is spelled once for a stad.
GREP_ALLOWED = {
    "core/wording.py",
    "demo/city.py",
    "demo/management/commands/load_demo.py",
    "config/settings.py",  # the default name, "Helsingborgs stad"
    "core/models.py",  # the designation's choices: kommun, stad, region
    "firstrun/municipalities.py",  # reads the designation from names such as "Malmö stad"
    "firstrun/management/commands/create_admin.py",  # --designation's help lists the choices
}
GREP_SKIPPED_DIRS = {".venv", ".git", "tests", "migrations", "bench", "e2e", "node_modules"}


def test_no_template_or_module_hard_codes_stad():
    root = Path(settings.BASE_DIR)
    left = []
    for path in [*root.rglob("*.html"), *root.rglob("*.py"), *root.rglob("*.txt")]:
        rel = path.relative_to(root)
        if GREP_SKIPPED_DIRS & set(rel.parts) or str(rel) in GREP_ALLOWED:
            continue
        if rel.parts[0] in ("conftest.py", "demo") or rel.name == "testing.py":
            continue  # test fixtures are user content
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _found(SWEDISH, line):
                left.append(f"{rel}:{number}: {line.strip()[:100]}")
    assert not left, "Hard-coded 'stad' wording:\n" + "\n".join(left)


@pytest.mark.parametrize(
    ("end", "year", "start", "swedish", "english"),
    [
        (4, 2026, 1, "januari–april 2026", "January–April 2026"),
        (12, None, 1, "januari–december", "January–December"),
        (1, 2026, 1, "januari 2026", "January 2026"),
        (8, 2026, 5, "maj–augusti 2026", "May–August 2026"),
    ],
)
def test_periods_read_as_months(end, year, start, swedish, english):
    assert period_label(end, year, start_month=start) == swedish
    with translation.override("en"):
        assert period_label(end, year, start_month=start) == english


@pytest.mark.django_db
def test_occasion_pages_name_the_months(scene):  # noqa: F811
    admin = clients(scene.world)["admin"]
    pages = [
        reverse("occasion_list"),
        reverse("occasion_detail", args=[scene.occasion.pk]),
        reverse("scorecard_followup", args=[scene.a.card.pk, scene.occasion.pk]),
    ]
    for url in pages:
        text = admin.get(url).content.decode()
        assert "månad 4" not in text, url
        assert re.search(r"[Jj]anuari–april( 2027)?", text), url
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "January–April 2027" in admin.get(pages[1]).content.decode()
