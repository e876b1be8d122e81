"""English is complete: every string the code marks for translation has an English translation,
the compiled catalogue matches it, and pages read in English after the language switch.

The UI strings are Swedish in the code (they are the msgids); locale/en/LC_MESSAGES/django.po holds
the English. ``make messages`` updates and compiles it.
"""

import ast
import gettext
import os
import re
import shutil
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# Folders whose strings are never shown to users; the same list as `make messages`.
NOT_UI = set(".venv .git artifacts bench data docs e2e scripts static tests".split())
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
GETTEXT_TOOLS = ("xgettext", "msgmerge", "msguniq", "msgattrib")


@dataclass
class Entry:
    msgid: str = ""
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    where: list[str] = field(default_factory=list)

    def __str__(self):
        return f"{' '.join(self.where[:2]) or '?'}: {self.msgid!r}"


def read_po(path: Path) -> list[Entry]:
    """The live entries of a .po file (no header, no obsolete ``#~`` entries)."""
    entries, entry, key = [], Entry(), None

    def flush():
        nonlocal entry, key
        if entry.msgid:  # the header has an empty msgid
            entries.append(entry)
        entry, key = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            flush()
        elif line.startswith("#,"):
            entry.flags |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#:"):
            entry.where += line[2:].split()
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if key == "msgid":
                entry.msgid += text
            elif key == "msgid_plural":
                entry.plural += text
            elif isinstance(key, int):
                entry.msgstr[key] += text
        else:
            found = re.match(r'(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])? (".*")$', line)
            assert found, f"{path}: cannot read {line!r}"
            word, index, text = found.group(1), found.group(2), ast.literal_eval(found.group(3))
            if word == "msgid":
                key, entry.msgid = "msgid", text
            elif word == "msgid_plural":
                key, entry.plural = "msgid_plural", text
            elif word == "msgstr":
                key = int(index or 0)
                entry.msgstr[key] = text
            else:
                key = None
    flush()
    return entries


def problems(entries: list[Entry]) -> list[str]:
    """Untranslated and fuzzy entries, one line each."""
    found = []
    for e in entries:
        forms = 2 if e.plural is not None else 1
        if any(not e.msgstr.get(i) for i in range(forms)):
            found.append(f"untranslated  {e}")
        elif "fuzzy" in e.flags:
            found.append(f"fuzzy         {e}")
    return found


def not_compiled(entries: list[Entry]) -> list[str]:
    """Entries whose translation in the committed .mo differs from the .po."""
    with COMPILED.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    found = []
    for e in entries:
        if not e.msgstr.get(0):
            continue  # already reported as untranslated
        if e.plural is None:
            ok = mo.gettext(e.msgid) == e.msgstr.get(0)
        else:
            ok = [mo.ngettext(e.msgid, e.plural, n) for n in (1, 2)] == [
                e.msgstr.get(0),
                e.msgstr.get(1),
            ]
        if not ok:
            found.append(f"not in django.mo  {e}")
    return found


def test_the_committed_english_catalogue_is_complete_and_compiled():
    entries = read_po(CATALOGUE)
    assert len(entries) > 500
    missing = problems(entries) + not_compiled(entries)
    assert not missing, "Run `make messages` and translate:\n" + "\n".join(missing)


def copy_sources(target: Path) -> None:
    """The files makemessages reads, and the catalogues, without anything that is not UI."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [
            d
            for d in dirs
            if d not in NOT_UI and not d.startswith((".", "__")) and not d.endswith(".egg-info")
        ]
        relative = Path(folder).relative_to(ROOT)
        in_locale = relative.parts[:1] == ("locale",)
        for name in files:
            if in_locale or Path(name).suffix in SOURCE_SUFFIXES:
                (target / relative).mkdir(parents=True, exist_ok=True)
                shutil.copy2(Path(folder) / name, target / relative / name)


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS),
    reason="makemessages needs GNU gettext: apt-get install gettext",
)
def test_every_string_marked_in_the_code_has_an_english_translation(tmp_path, monkeypatch):
    """What `make messages` would extract today, merged with the committed English catalogue:
    a new or changed Swedish string without an English translation fails here."""
    copy = tmp_path / "src"
    copy_sources(copy)
    monkeypatch.chdir(copy)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [copy / "locale"])
    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=[*sorted(NOT_UI), "*/tests/*", "*.egg-info"],
        no_obsolete=True,
        verbosity=0,
    )
    entries = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    missing = problems(entries) + not_compiled(entries)
    assert not missing, (
        "Run `make messages`, translate these in locale/en/LC_MESSAGES/django.po "
        "(and remove their fuzzy flag), then run `make messages` again:\n" + "\n".join(missing)
    )


# --- Pages in English --------------------------------------------------------------------------

SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
# Elements that are the interface rather than the city's data: their text comes from templates.
CHROME = {"title", "h1", "th", "button", "label", "legend", "caption", "nav", "summary", "dt"}
# Text inside these is a name or a value, not prose (e.g. the open data's CSV column names).
LITERAL = {"code", "kbd", "samp"}
# Swedish that these pages still show in English, because the source does not mark it so that
# makemessages finds it. Each entry needs a change in the code; remove it once that is done (the
# test fails when an entry is no longer seen, so the list only shrinks).
KNOWN_GAPS: set[str] = set()


class ChromeText(HTMLParser):
    """The text inside CHROME elements, one string per element."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.texts: list[tuple[str, list[str]]] = []
        self.lang = None
        self.literal = 0

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if tag in CHROME:
            self.open.append(tag)
            self.texts.append((tag, []))
        elif tag in LITERAL:
            self.literal += 1

    def handle_endtag(self, tag):
        if tag in CHROME and tag in self.open:
            while self.open.pop() != tag:
                pass
        elif tag in LITERAL:
            self.literal = max(0, self.literal - 1)

    def handle_data(self, data):
        if self.open and not self.literal:
            for tag, parts in reversed(self.texts):
                if tag == self.open[-1]:
                    parts.append(data)
                    break


def swedish_left(html: str, data: list[str], msgids: set[str]) -> list[str]:
    parser = ChromeText()
    parser.feed(html)
    assert parser.lang == "en"
    left = []
    for tag, parts in parser.texts:
        text = " ".join(" ".join(parts).split())
        if text in KNOWN_GAPS:
            left.append(text)
            continue
        for name in data:  # the city's own names and titles stay Swedish, shortened or not
            text = text.replace(name, "")
            text = re.sub(re.escape(name[:20]) + r"[^…]*…", "", text)
        words = [w for w in re.split(r"[\s:·–()/,.]+", text) if SWEDISH_LETTERS.search(w)]
        if words or text.strip() in msgids:
            left.append(f"<{tag}> {text.strip()!r}")
    return left


@pytest.fixture
def english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    return client


def city_data() -> list[str]:
    from organisation.models import OrgUnit
    from scorecards.models import Goal, GoalProgramme, Indicator, Perspective, Strategy

    names = [
        *OrgUnit.objects.values_list("name", flat=True),
        *Goal.objects.values_list("title", flat=True),
        *Indicator.objects.values_list("name", flat=True),
        *Strategy.objects.values_list("text", flat=True),
        *Perspective.objects.values_list("name", flat=True),
        *GoalProgramme.objects.values_list("name", flat=True),
        *GoalProgramme.objects.values_list("vision", flat=True),
        "Kommunfullmäktige",
    ]
    return sorted(set(names), key=len, reverse=True)


def test_the_city_scorecard_reads_in_english_after_the_language_switch(english, chain):
    text = english.get("/").content.decode()
    assert '<html lang="en"' in text
    assert "The city&#x27;s scorecard 2026" in text
    assert "Status according to the metrics" in text and "Met" in text
    assert "Stadens styrkort" not in text and "Uppfyllt" not in text


def test_switching_back_to_swedish(english, chain):
    english.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert "Stadens styrkort 2026" in english.get("/").content.decode()


def test_key_pages_have_no_swedish_headings_labels_or_buttons_in_english(english, world, chain):
    msgids = {e.msgid for e in read_po(CATALOGUE) if e.msgstr.get(0) not in ("", e.msgid)}
    card = chain.city
    public = [
        "/",
        card.get_absolute_url(),
        chain.mid.scorecard.get_absolute_url(),
        reverse("goal_chain", args=[chain.top.pk]),
        reverse("unit_tree"),
        reverse("unit_detail", args=[world.unit_a.code]),
        reverse("programme_list"),
        reverse("indicator_list"),
        reverse("indicator_detail", args=[chain.energy.pk]),
        reverse("open_data"),
        reverse("login"),
    ]
    signed_in = [
        reverse("value_entry", args=[card.pk]),
        reverse("action_list", args=[card.pk]),
        reverse("occasion_list"),
        reverse("scorecard_edit", args=[card.pk]),
        reverse("goal_create", args=[card.pk]),
        reverse("goal_edit", args=[chain.top.pk]),
        reverse("import_start", args=[card.pk]),
        reverse("metric_trend", args=[chain.metric.pk]),
        reverse("role_list", args=[world.city.code]),
        reverse("person_list"),
        reverse("audit_log"),
        reverse("ops_status"),
        reverse("sync_status"),
    ]
    data = city_data()
    left, seen = [], set()
    for signed, urls in ((False, public), (True, signed_in)):
        if signed:
            english.force_login(world.admin)
        for url in urls:
            response = english.get(url)
            assert response.status_code == 200, url
            for item in swedish_left(response.content.decode(), data, msgids):
                if item in KNOWN_GAPS:
                    seen.add(item)
                else:
                    left.append(f"{url}: {item}")
    missing = english.get("/finns-inte/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
    assert not left, "Swedish left on English pages:\n" + "\n".join(left)
    assert seen == KNOWN_GAPS, f"No longer seen, remove from KNOWN_GAPS: {KNOWN_GAPS - seen}"
