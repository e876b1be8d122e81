"""A reporter enters a month's values for every metric of the unit with the keyboard alone, sees the
statuses change without a page reload, and writes an analysis at the follow-up occasion."""

import time

import pytest
from playwright.sync_api import Page, expect

from followup.models import Assessment, Measurement, SummaryAnalysis
from scorecards.models import Scorecard

from .browsing import ENERGY_GOAL, check_axe, focused, sign_in, tab_to

pytestmark = pytest.mark.django_db(transaction=True)
# December: every metric of Energienheten is due (monthly, tertial and yearly ones).
VALUES = {
    "Antal genomförda energironder": "45",
    "Resultat i förhållande till budget": "1,2",
    "Sjukfrånvaro": "5,2",
    "Energianvändning i kommunala lokaler": "145",
    "Minskad energianvändning jämfört med föregående år": "2,4",
}


def energy_card() -> Scorecard:
    return Scorecard.objects.get(unit__code="ff-energi", year=2026)


def row(page: Page, name: str):
    return page.locator("table.entry tbody tr").filter(has=page.get_by_role("rowheader", name=name))


def status_cell(page: Page, name: str):
    """The status and what it covers ("helår 2025", "utfall t.o.m. oktober 2026")."""
    return row(page, name).locator("td", has=page.locator(".status"))


def release(page: Page, held: list) -> None:
    """Let the held-back request go on, once the browser has sent it. Waits up to 30 s: under
    CI, two test workers share two cores with their browsers, and 5 s was once too short."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if held:
            held.pop().continue_()
            return
        page.wait_for_timeout(20)  # lets Playwright deliver the route callback
    raise AssertionError("the form sent no request")


def test_a_reporter_enters_a_month_with_the_keyboard_alone(page: Page, demo):
    card = energy_card()
    entry = f"/styrkort/{card.pk}/utfall/?period=2026-12"

    # Sign in: the user name field has focus already (autofocus).
    page.goto(demo(f"/konto/logga-in/?next={entry}"))
    assert focused(page)["id"] == "id_username"
    page.keyboard.type("rapportor")
    page.keyboard.press("Tab")
    page.keyboard.type("styrkort-demo")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Utfall december 2026 – Energienheten"
    )

    # The skip link comes first, shows when focused and takes focus to the main content.
    page.keyboard.press("Tab")
    skip = focused(page)
    assert skip["text"] == "Hoppa till innehållet" and skip["ring"]
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"

    rows = page.locator("table.entry tbody tr")
    expect(rows).to_have_count(len(VALUES))
    assert [r.get_by_role("rowheader").inner_text().split("\n")[0] for r in rows.all()] == list(
        VALUES
    )
    before = {name: status_cell(page, name).inner_text() for name in VALUES}
    # A yearly metric without this year's value shows last year's, and says so (one rule for
    # every page, issue #14); once December's value is in, the cell says so instead.
    assert "helår 2025" in before["Antal genomförda energironder"]
    page.evaluate("window.notReloaded = true")

    # Keyboard only: Tab to the first value, then value, Tab, (comment), Tab … for every row.
    tab_to(page, "table.entry input[name^=v-]")
    assert focused(page)["ring"], "the focused field shows a focus ring"
    for i, (name, value) in enumerate(VALUES.items()):
        assert focused(page)["id"].startswith("v-")
        page.keyboard.type("tolv" if name == "Sjukfrånvaro" else value)
        page.keyboard.press("Tab")
        if i == 0:
            page.keyboard.type("Fler ronder efter sommaren")
        if i < len(VALUES) - 1:
            page.keyboard.press("Tab")

    # Enter saves through HTMX; "Sparar …" shows while the server works (held back here).
    held = []
    page.route(
        lambda url: "/utfall/" in url,
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    page.keyboard.press("Enter")
    saving = page.locator("#entry-saving")
    expect(saving).to_be_visible()
    expect(saving).to_have_text("Sparar …")
    expect(page.get_by_role("button", name="Spara alla värden")).to_be_disabled()
    release(page, held)

    # A bad number: nothing is saved, focus goes to the summary, whose link leads to the field.
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Inget sparades. 1 rad behöver rättas.")
    field = row(page, "Sjukfrånvaro").locator("input[name^=v-]")
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_contain_text("”tolv” är inte ett tal.")
    assert not Measurement.objects.filter(unit=card.unit, year=2026, month=12).exists()
    check_axe(page)

    page.keyboard.press("Tab")
    assert focused(page)["text"].startswith("Sjukfrånvaro:")
    page.keyboard.press("Enter")
    expect(field).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(VALUES["Sjukfrånvaro"])
    page.keyboard.press("Enter")
    release(page, held)

    result = page.locator("#entry-result")
    expect(result).to_have_text("✔ 5 värden sparade.")
    expect(result).to_have_attribute("role", "status")
    assert page.evaluate("window.notReloaded === true"), "saved without reloading the page"
    expect(field).to_be_focused()  # the keyboard stays where it was
    after = {name: status_cell(page, name).inner_text() for name in VALUES}
    for name in (
        "Antal genomförda energironder",
        "Resultat i förhållande till budget",
        "Energianvändning i kommunala lokaler",
        "Minskad energianvändning jämfört med föregående år",
    ):
        assert "Uppfyllt" in after[name] and after[name] != before[name], (name, after[name])
    saved = Measurement.objects.filter(unit=card.unit, year=2026, month=12)
    assert saved.count() == 5
    assert saved.get(indicator__code="energironder").comment == "Fler ronder efter sommaren"
    check_axe(page)


def test_a_reporter_writes_an_analysis_at_the_follow_up_occasion(page: Page, demo):
    card = energy_card()
    sign_in(page, demo, "rapportor", next=f"/styrkort/{card.pk}/")
    page.get_by_role("navigation", name="Uppföljning").get_by_role(
        "link", name="Årsredovisning"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Årsredovisning 2026 – Energienheten")
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=ENERGY_GOAL))
    choices = goal.get_by_role("group", name="Bedömning")
    # Departing from the suggestion without saying why: the error is tied to its field.
    choices.locator("label").filter(has_not_text="förslaget").first.click()
    goal.get_by_label("Analys").fill("Energianvändningen minskar efter bytet till LED.")
    goal.get_by_role("button", name="Spara bedömningen").click()
    comment = goal.get_by_label("Motivering av avvikelse från förslaget")
    expect(comment).to_have_attribute("aria-invalid", "true")
    described = comment.get_attribute("aria-describedby").split()
    errors = " ".join(page.locator(f"#{i}").inner_text() for i in described)
    assert "motiver" in errors.lower() or "krävs" in errors.lower(), errors
    check_axe(page)

    comment.fill("Besparingen syns först i december.")
    saving = goal.locator(".saving")  # shown by htmx while the request runs
    expect(saving).to_have_text("Sparar …")
    expect(saving).to_be_hidden()
    goal.get_by_role("button", name="Spara bedömningen").click()
    notice = goal.get_by_role("status")
    expect(notice).to_have_text("✔ Bedömningen har sparats.")
    expect(notice).to_be_focused()

    summary = page.get_by_role("region", name="Sammanfattande analys")
    summary.get_by_label("Sammanfattande analys").fill("Året präglas av energiarbetet.")
    summary.get_by_role("button", name="Spara analysen").click()
    expect(summary.get_by_role("status")).to_contain_text("har sparats")
    check_axe(page)

    assessment = Assessment.objects.get(goal__title=ENERGY_GOAL, goal__scorecard=card)
    assert assessment.analysis == "Energianvändningen minskar efter bytet till LED."
    assert SummaryAnalysis.objects.get(scorecard=card).text == "Året präglas av energiarbetet."
    page.reload()
    expect(goal.get_by_label("Analys")).to_have_value(
        "Energianvändningen minskar efter bytet till LED."
    )
