"""Issue #17, done when: a municipality that is not Helsingborg — Exempelby kommun — starts from an
empty database and runs its first year through the app's pages only. The README's create_admin
command is the one step outside the browser; then setup, the organisation tree from a
spreadsheet, perspectives, a goal programme, the calendar, an adopted scorecard for the kommun with
a nämnd and a unit below it, one follow-up (a value, an assessment, the lock) and its report.

No URL the browser visits starts with /admin/, and no page the journey visits says "stad",
"staden" or "Stadens": the designation is "kommun" and nothing the user typed contains them."""

import io
import os
import re
from io import StringIO
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from followup.models import Assessment, FollowUpOccasion, Measurement
from scorecards.models import Goal, Scorecard, ScorecardStatus

from .browsing import Site, check_axe

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "exempelby-2026-lösen"  # noqa: S105 - a test account
NAME = "Exempelby kommun"
TOP = "exempelby-kommun"  # the top unit's code, made by create_admin from the name
BOARD, UNIT = "Socialnämnden", "Hemtjänsten Norr"
GOAL = "Invånarna ska vara nöjda med kommunens service"
OWN_GOAL = "Hemtjänsten Norr ska ha samma personal hos brukaren varje vecka"
INDICATOR = "Andel nöjda brukare i hemtjänsten"
YEAR = 2026
# Whole words only: "Stadsbyggnad" or "anstadd" are not the city's name.
CITY_WORDS = re.compile(r"\b(stad|staden|stadens)\b", re.IGNORECASE)


class Journey:
    """Every URL the browser lands on, and a check of each page it shows."""

    def __init__(self, page: Page, site: Site):
        self.page, self.site = page, site
        self.urls: list[str] = []
        self.checked: set[str] = set()
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.urls.append(frame.url)

    def __call__(self, path: str) -> str:
        return self.site(path)

    def seen(self, *, axe: bool = False, choice: str = "") -> None:
        """The page as it is now: no /admin/, no "stad" in its text or title. ``choice``: a line
        that is an option of a choice the user makes (the designation "stad" on the setup page)."""
        page = self.page
        page.wait_for_load_state()
        path = _path(page.url)
        assert not path.startswith("/admin/"), path
        lines = (page.title() + "\n" + page.locator("body").inner_text()).splitlines()
        text = "\n".join(line for line in lines if not (choice and line.strip() == choice))
        found = CITY_WORDS.findall(text)
        assert not found, f"{path} says {found}:\n{_around(text, CITY_WORDS)}"
        self.checked.add(path)
        if axe:
            check_axe(page)

    def every_page_was_checked(self) -> None:
        visited = {_path(u) for u in self.urls if u.startswith("http")}
        assert not [p for p in visited if p.startswith("/admin/")]
        assert visited <= self.checked, sorted(visited - self.checked)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _around(text: str, pattern: re.Pattern) -> str:
    return "\n".join(text[max(0, m.start() - 60) : m.end() + 60] for m in pattern.finditer(text))


@pytest.fixture
def empty(transactional_db, live_server, monkeypatch) -> Site:
    """The README's first-administrator command on an empty database, and nothing else."""
    monkeypatch.setitem(os.environ, "STYRKORT_ADMIN_PASSWORD", PASSWORD)
    call_command(
        "create_admin",
        no_input=True,
        username="eva",
        email="eva@exempelby.se",
        name="Eva Ek",
        municipality=NAME,
        designation="kommun",
        stdout=StringIO(),
    )
    return Site(live_server.url)


def organisation_xlsx(tmp_path) -> str:
    """kommun → nämnd → enhet, as a municipality would keep it in Excel."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Organisation"
    for row in [
        ["Kod", "Namn", "Typ", "Överordnad kod"],
        ["son", BOARD, "Nämnd", TOP],
        ["hemtjanst-norr", UNIT, "Enhet", "son"],
    ]:
        ws.append(row)
    path = tmp_path / "organisation.xlsx"
    wb.save(path)
    return str(path)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def nav(page: Page):
    return page.get_by_role("navigation", name="Huvudmeny")


def set_up(page: Page, go: Journey, tmp_path) -> None:
    """Sign in and walk the setup steps."""
    page.goto(go("/konto/logga-in/"))
    go.seen()
    page.get_by_label("Användarnamn").fill("eva")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Logga in").click()
    expect(heading(page)).to_have_text("Kom igång")
    go.seen(axe=True)
    page.get_by_role("link", name="Börja med första steget").click()

    expect(page.get_by_label("Kommunens namn")).to_have_value(NAME)
    page.get_by_label("kommun", exact=True).check()
    page.get_by_label("Kommunen i Kolada").select_option("1435")
    expect(page.get_by_label("stad", exact=True)).not_to_be_checked()
    go.seen(choice="stad")
    page.get_by_role("button", name="Spara och fortsätt").click()

    expect(heading(page)).to_have_text("Enhetstyper")
    go.seen()
    page.get_by_role("button", name="Spara och fortsätt").click()

    expect(heading(page)).to_have_text("Organisationen")
    go.seen()
    page.get_by_label("Fil").set_input_files(organisation_xlsx(tmp_path))
    page.get_by_role("button", name="Läs in filen").click()
    expect(page.get_by_role("table", name="Nya och ändrade enheter")).to_contain_text(
        f"{UNIT} (Enhet) under son"
    )
    go.seen(axe=True)
    page.get_by_role("button", name="Spara 2 ändringar").click()
    expect(page.locator(".messages")).to_contain_text("2 nya och 0 ändrade enheter")
    go.seen()
    page.get_by_role("link", name="Fortsätt").click()

    expect(heading(page)).to_have_text("Perspektiv")
    go.seen()
    page.get_by_role("button", name="Använd de fyra perspektiven").click()

    expect(heading(page)).to_have_text("Målprogram")
    go.seen()
    page.locator("#id_name").fill("Exempelby 2030")
    page.get_by_label("Vision").fill("Exempelby – en trygg kommun att åldras i")
    page.get_by_label("Första år").fill(str(YEAR))
    page.get_by_label("Sista år").fill("2030")
    page.get_by_label("Beslutande organ").fill("Kommunfullmäktige")
    page.get_by_role("button", name="Spara och fortsätt").click()

    expect(heading(page)).to_have_text("Uppföljningskalender")
    # The page proposes next year's calendar in December; this kommun starts with this year's.
    page.locator("#id_year").fill(str(YEAR))
    for deadline in page.locator("input[type=date]").all():
        proposed = deadline.input_value()
        deadline.fill(f"{int(proposed[:4]) - 1}{proposed[4:]}")
    go.seen()
    page.get_by_role("button", name="Spara och fortsätt").click()

    expect(heading(page)).to_have_text("Kom igång")
    go.seen()
    page.get_by_role("button", name="Uppstarten är klar").click()
    expect(page.locator(".brand-city")).to_have_text(NAME)
    go.seen()


def create_scorecard(page: Page, go: Journey, unit: str, *, take_over: str | None = None):
    nav(page).get_by_role("link", name="Organisation").click()
    go.seen()
    page.locator("main").get_by_role("link", name=unit, exact=True).click()
    go.seen()
    page.get_by_role("link", name=f"Skapa styrkort för {YEAR}").click()
    expect(heading(page)).to_have_text(f"Nytt styrkort för {unit}")
    page.get_by_label("År").fill(str(YEAR))
    if take_over:
        page.get_by_role("button", name="Visa mål för valt år").click()
        page.get_by_label(take_over).check()
    go.seen()
    page.get_by_role("button", name="Skapa styrkort").click()
    expect(heading(page)).to_have_text(f"Styrkort {YEAR} – {unit}")
    go.seen()


def adopt(page: Page, go: Journey, decided_by: str) -> None:
    page.locator(".toolbar").get_by_role("link", name="Fastställ").click()
    page.get_by_label("Beslutande organ").fill(decided_by)
    page.get_by_label("Paragraf").fill("§ 7")
    go.seen()
    page.locator("main form").first.get_by_role("button", name="Fastställ").click()
    expect(page.locator(".badge").first).to_have_text("Fastställt")
    go.seen()


def build_scorecards(page: Page, go: Journey) -> None:
    # The kommun's own scorecard: a goal, a metric of its own making, a target; adopted.
    create_scorecard(page, go, NAME)
    page.get_by_role("link", name="Nytt mål").click()
    page.get_by_label("Perspektiv").select_option(label="Medborgare")
    page.get_by_label("Mål:", exact=True).fill(GOAL)
    go.seen()
    page.get_by_role("button", name="Spara").click()
    go.seen()
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=GOAL))
    goal.get_by_role("link", name="Lägg till mätetal").click()
    go.seen()
    page.get_by_role("link", name="Finns inte mätetalet? Skapa ett nytt.").click()
    expect(heading(page)).to_have_text("Nytt mätetal")
    page.locator("#id_name").fill(INDICATOR)
    page.locator("#id_code").fill("nojda-brukare")
    page.locator("#id_unit").fill("%")
    page.locator("#id_frequency").select_option(label="Tertial")
    go.seen(axe=True)
    page.get_by_role("button", name="Spara").click()
    go.seen()
    expect(heading(page)).to_have_text("Lägg till mätetal")
    choice = page.locator("#id_indicator option", has_text=INDICATOR).get_attribute("value")
    page.locator("#id_indicator").select_option(choice)
    target = page.get_by_role("group", name=f"Målvärde för {YEAR}")
    target.get_by_label("minst (≥)").check()
    target.get_by_label("Målvärde:", exact=True).fill("80")
    go.seen()
    page.get_by_role("button", name="Spara").click()
    expect(goal.get_by_role("row").filter(has_text=INDICATOR)).to_contain_text("minst 80")
    go.seen()
    adopt(page, go, "Kommunfullmäktige")

    # The nämnd's from the kommun's, the unit's from the nämnd's: goals taken over are linked.
    for unit, decided_by in ((BOARD, BOARD), (UNIT, "Enhetschefen")):
        create_scorecard(page, go, unit, take_over=GOAL)
        taken = page.locator("article.goal").filter(has=page.get_by_role("heading", name=GOAL))
        expect(taken.locator(".chain-links")).to_contain_text(f"Bidrar till: {GOAL}")
        go.seen(axe=unit == UNIT)
        if unit == UNIT:
            link_own_goal(page, go)
        adopt(page, go, decided_by)


def link_own_goal(page: Page, go: Journey) -> None:
    """A goal of the unit's own, linked by hand to the nämnd's goal."""
    page.get_by_role("link", name="Nytt mål").click()
    page.get_by_label("Perspektiv").select_option(label="Organisation")
    page.get_by_label("Mål:", exact=True).fill(OWN_GOAL)
    go.seen()
    page.get_by_role("button", name="Spara").click()
    go.seen()
    own = page.locator("article.goal").filter(has=page.get_by_role("heading", name=OWN_GOAL))
    own.get_by_role("link", name="Koppla i målkedjan").click()
    expect(heading(page)).to_contain_text("i målkedjan")
    go.seen(axe=True)
    page.get_by_role("group", name=BOARD).get_by_label(GOAL).check()
    page.get_by_role("button", name="Spara").click()
    expect(own.locator(".chain-links")).to_contain_text(f"Bidrar till: {GOAL}")
    go.seen()


def follow_up(page: Page, go: Journey, occasion: FollowUpOccasion) -> None:
    # The kommun's adopted scorecard is what the start page shows, under the kommun's name.
    nav(page).get_by_role("link", name="Kommunens styrkort").click()
    expect(heading(page)).to_have_text(f"Kommunens styrkort {YEAR}")
    expect(page.locator("main").get_by_role("heading", name=GOAL)).to_be_visible()
    go.seen(axe=True)
    nav(page).get_by_role("link", name="Organisation").click()
    page.locator("main").get_by_role("link", name=NAME, exact=True).click()
    go.seen()
    page.locator("main").get_by_role("link", name=f"Styrkort {YEAR}").first.click()
    expect(heading(page)).to_have_text(f"Styrkort {YEAR} – {NAME}")
    go.seen()
    page.get_by_role("link", name="Registrera utfall").click()
    go.seen()
    page.get_by_label("Period").select_option(f"{YEAR}-04")
    page.get_by_role("button", name="Visa").click()
    expect(heading(page)).to_have_text(f"Utfall april {YEAR} – {NAME}")
    go.seen()
    page.get_by_label(f"Utfall för {INDICATOR}").fill("85")
    page.get_by_role("button", name="Spara alla värden").click()
    expect(page.locator("#entry-result")).to_contain_text("1 värde sparat")
    go.seen()

    # Assess at T1 (the suggested status is preselected), then lock through the confirmation.
    page.get_by_role("navigation", name="Du är här").get_by_role(
        "link", name=f"Styrkort {YEAR}"
    ).click()
    expect(heading(page)).to_have_text(f"Styrkort {YEAR} – {NAME}")
    go.seen()
    page.get_by_role("navigation", name="Uppföljning").get_by_role(
        "link", name=occasion.name
    ).click()
    go.seen(axe=True)
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=GOAL))
    goal.get_by_label("Analys").fill("Nöjdheten ligger över målet efter första tertialet.")
    goal.get_by_role("button", name="Spara bedömningen").click()
    expect(goal.get_by_role("status")).to_have_text("✔ Bedömningen har sparats.")
    go.seen()

    nav(page).get_by_role("link", name="Uppföljning").click()
    go.seen()
    page.get_by_role("region", name=str(YEAR)).get_by_role("link", name=occasion.name).click()
    go.seen()
    page.get_by_role("link", name="Lås tillfället").click()
    expect(heading(page)).to_have_text(f"Lås {occasion}?")
    go.seen(axe=True)
    page.get_by_role("button", name="Lås tillfället").click()
    expect(page.locator(".messages")).to_contain_text(f"{occasion} är låst.")
    go.seen()


def download_reports(page: Page, go: Journey, occasion: FollowUpOccasion) -> None:
    # The whole occasion in one workbook, from the occasion's page.
    with page.expect_download() as info:
        page.get_by_role("link", name="Exportera alla styrkort (Excel)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    workbook = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes()))
    cells = [str(c) for ws in workbook for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(NAME in c for c in cells), cells[:40]
    assert any(UNIT in c for c in cells)
    assert not [c for c in cells if CITY_WORDS.search(c)]

    # The kommun's report as PDF, from its follow-up page.
    page.locator("main").get_by_role("link", name=NAME).click()
    expect(heading(page)).to_contain_text(NAME)
    go.seen()
    href = page.get_by_role("link", name="Rapport (PDF)").get_attribute("href")
    response = page.request.get(go(href))
    assert response.ok, response.status
    body = response.body()
    assert body.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    assert NAME in text, text[:500]
    assert not CITY_WORDS.search(text), _around(text, CITY_WORDS)


def test_a_new_kommun_runs_its_first_year_through_the_pages(page: Page, empty, tmp_path):
    go = Journey(page, empty)
    set_up(page, go, tmp_path)
    build_scorecards(page, go)
    occasion = FollowUpOccasion.objects.get(year=YEAR, end_month=4)
    follow_up(page, go, occasion)
    download_reports(page, go, occasion)
    # The administration hub and the error page speak of the kommun too.
    nav(page).get_by_role("link", name="Administration").click()
    go.seen()
    page.goto(go("/finns-inte/"))
    go.seen()
    go.every_page_was_checked()

    cards = Scorecard.objects.filter(year=YEAR)
    assert {c.unit.name for c in cards} == {NAME, BOARD, UNIT}
    assert all(c.status == ScorecardStatus.ADOPTED for c in cards)
    own = Goal.objects.get(title=OWN_GOAL)
    assert [g.scorecard.unit.name for g in own.contributes_to.all()] == [BOARD]
    assert Measurement.objects.get(indicator__code="nojda-brukare").value == 85
    assert Assessment.objects.filter(occasion=occasion).count() == 1
    occasion.refresh_from_db()
    assert occasion.is_locked
