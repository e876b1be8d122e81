"""Issue 20, item 6 in a real browser: the follow-up page is one form saved at once, a draft is
kept in the browser while writing, leaving with unsaved text warns, and "Motivering av
avvikelse" appears only when the assessment departs from the suggestion."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from followup.models import Assessment, FollowUpOccasion

from .browsing import ENERGY_GOAL, NARROW, WIDE, check_axe, screenshot, sign_in
from .test_reporter import energy_card

pytestmark = pytest.mark.django_db(transaction=True)
DRAFT = "Utkast som ska finnas kvar efter omladdning."


def test_one_save_a_kept_draft_a_warning_and_the_deviation_only_when_needed(page: Page, demo):
    card = energy_card()
    occasion = FollowUpOccasion.objects.get(year=2026, end_month=12)
    sign_in(page, demo, "rapportor")
    page.goto(demo(reverse("scorecard_followup", args=[card.pk, occasion.pk])))
    page.set_viewport_size({"width": WIDE, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.accept()))
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=ENERGY_GOAL))
    deviation = goal.locator(".deviation-field")
    expect(deviation).to_be_hidden()  # the suggestion is chosen: nothing to explain
    goal.get_by_role("group", name="Bedömning").locator("label").filter(
        has_not_text="förslaget"
    ).first.click()
    expect(deviation).to_be_visible()
    goal.locator("label", has_text="(förslaget)").click()
    expect(deviation).to_be_hidden()
    check_axe(page)
    screenshot(page, f"assessment-form-{WIDE}", full_page=False)

    goal.get_by_label("Analys").fill(DRAFT)
    page.reload()  # leaving with unsaved text asks first …
    assert "beforeunload" in dialogs
    goal = page.locator("article.goal").filter(has=page.get_by_role("heading", name=ENERGY_GOAL))
    expect(goal.get_by_label("Analys")).to_have_value(DRAFT)  # … and the draft came back
    notice = page.locator(".draft-notice")
    expect(notice).to_contain_text("har återställts")
    page.set_viewport_size({"width": NARROW, "height": 800})
    check_axe(page)
    screenshot(page, f"assessment-form-{NARROW}", full_page=False)

    page.get_by_role("button", name="Spara alla bedömningar").click()
    expect(page.locator(".messages")).to_contain_text("Bedömningen av målet har sparats.")
    assert Assessment.objects.get(goal__title=ENERGY_GOAL, occasion=occasion).analysis == DRAFT
    drafts = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('styrkort-utkast'))"
    )
    assert drafts == []
    dialogs.clear()
    page.goto(demo("/"))  # nothing unsaved: no question
    assert dialogs == []
