"""An administrator of the whole municipality sets up what used to need /admin/, on the app's
pages only: a perspective, a goal programme, a monthly follow-up occasion, and a new person who
gets an invitation by e-mail and chooses a password with its link. Every page is checked with axe
and photographed at phone and desktop width."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from .browsing import assert_no_horizontal_scroll, check_axe, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _look(page: Page, name: str) -> None:
    """axe and screenshots at 1440 and 375 px, the page never scrolling sideways."""
    for width in (1440, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_no_horizontal_scroll(page)
        screenshot(page, f"admin-{name}-{width}")
    check_axe(page)
    page.set_viewport_size({"width": 1440, "height": 900})


def test_an_administrator_sets_up_without_django_admin(page: Page, demo):
    sign_in(page, demo, "admin")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.get_by_role("link", name="Administration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")
    _look(page, "hub")

    # A perspective with its own colour and icon.
    page.get_by_role("link", name="Perspektiv", exact=True).click()
    _look(page, "perspectives")
    page.get_by_role("link", name="Nytt perspektiv").click()
    page.get_by_label("Namn").fill("Medarbetare")
    page.get_by_label("Beskrivning").fill("En attraktiv arbetsgivare.")
    page.get_by_label("Färg").fill("#aa3300")
    page.get_by_label("Ikon").select_option(label="Människor")
    page.get_by_label("Ordning").fill("5")
    _look(page, "perspective-form")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Perspektivet Medarbetare har skapats.")
    expect(page.locator("main table")).to_contain_text("#AA3300")

    # A perspective in use cannot be deleted: the page says why.
    page.get_by_role("link", name="Redigera Ekonomi").click()
    page.get_by_role("link", name="Ta bort perspektivet").click()
    expect(page.get_by_role("alert")).to_contain_text("kan inte tas bort")
    _look(page, "perspective-in-use")

    # A goal programme, wrong first (the years backwards), then right.
    page.goto(demo("/malprogram/"))
    page.get_by_role("link", name="Nytt målprogram").click()
    page.get_by_label("Namn").fill("Vision 2040")
    page.get_by_label("Vision").fill("En kommun där alla kan växa")
    page.get_by_label("Första år").fill("2031")
    page.get_by_label("Sista år").fill("2028")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".field-error")).to_contain_text("Sista år kan inte vara före första år.")
    _look(page, "programme-error")
    page.get_by_label("Första år").fill("2027")
    page.get_by_label("Sista år").fill("2030")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vision 2040 2027–2030")

    # A monthly follow-up occasion.
    nav.get_by_role("link", name="Uppföljning").click()
    page.get_by_role("link", name="Nytt uppföljningstillfälle").click()
    page.get_by_label("År").fill("2026")
    page.get_by_label("Typ").select_option(label="Månadsrapport")
    page.get_by_label("Namn").fill("Månadsrapport mars")
    page.get_by_label("Från och med månad").select_option(label="mars")
    page.get_by_label("Till och med månad").select_option(label="mars")
    page.get_by_label("Sista dag för rapportering").fill("2026-04-10")
    _look(page, "occasion-form")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".messages")).to_contain_text("Månadsrapport mars 2026 har skapats.")
    expect(page.get_by_role("region", name="2026", exact=True)).to_contain_text("mars 2026")
    _look(page, "occasions")

    # A new person, invited by e-mail.
    nav.get_by_role("link", name="Personer").click()
    page.get_by_role("link", name="Ny person").click()
    page.get_by_label("Förnamn").fill("Ada")
    page.get_by_label("Efternamn").fill("Lind")
    page.get_by_label("E-post").fill("ada.lind@example.se")
    page.get_by_label("Användarnamn").fill("ada")
    page.get_by_label("Enhet för rollen").select_option(index=2)
    page.locator("#id_role").select_option(label="Rapportör")
    _look(page, "person-form")
    page.get_by_role("button", name="Skapa personen").click()
    expect(page.locator(".messages")).to_contain_text("En inbjudan har skickats till")
    expect(page.locator("main")).to_contain_text("Rapportör")
    _look(page, "person")

    # An API token for a system acting as the person: shown once, listed on the person's page.
    page.get_by_label("System som ska använda nyckeln").fill("Ekonomisystemet")
    page.get_by_role("button", name="Skapa API-nyckel").click()
    expect(page.get_by_label("Nyckel")).to_have_value(re.compile(r"^styr_"))
    _look(page, "token-created")
    page.get_by_role("link", name="Tillbaka till personen").click()
    expect(page.get_by_role("table", name="API-nycklar")).to_contain_text("Ekonomisystemet")
    _look(page, "person-with-token")

    (message,) = mail.outbox
    link = re.search(r"https?://\S+/konto/valj-losenord/\S+/", message.body).group(0)
    page.get_by_role("button", name="Logga ut").click()
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Välj lösenord")
    page.locator("#id_new_password1").fill("Ett-långt-lösenord-42")
    page.locator("#id_new_password2").fill("Ett-långt-lösenord-42")
    _look(page, "password-set")
    page.get_by_role("button", name="Spara lösenordet").click()
    expect(page.locator(".messages")).to_contain_text("Ditt lösenord är sparat.")
    page.get_by_label("Användarnamn").fill("ada")
    page.get_by_label("Lösenord").fill("Ett-långt-lösenord-42")
    page.locator("main").get_by_role("button", name="Logga in").click()
    expect(page.locator(".site-header")).to_contain_text("Ada Lind")
    # The link worked once.
    page.goto(link)
    expect(page.get_by_role("alert")).to_contain_text("Länken fungerar inte längre")
