"""An occasion's progress per unit (values entered of due, goals assessed of all, late by icon and
text, sorting without JavaScript) and the button that reminds those who are late."""

from datetime import date

import pytest
from django.core import mail
from django.db.models import Q
from django.urls import reverse

from core.testing import make_goal, make_indicator, make_metric, make_scorecard, make_unit
from followup.models import Assessment, FollowUpOccasion, Measurement, ReminderSent
from followup.progress import occasion_cards, occasion_progress
from followup.reminders import due_counts, values_due
from scorecards.models import Frequency, ScorecardStatus, Source


def _scorecard(unit, year, *, months_entered, goals=2, assessed=0, occasion=None):
    card = make_scorecard(unit, year=year)
    indicator = make_indicator(f"Avfall {unit.name}", frequency=Frequency.MONTHLY)
    for n in range(goals):
        goal = make_goal(card, f"Mål {n} i {unit.name}")
        make_metric(goal, indicator)  # the same indicator on every goal is asked for once
        if n < assessed:
            Assessment.objects.create(goal=goal, occasion=occasion, status="met")
    for month in months_entered:
        Measurement.objects.create(indicator=indicator, unit=unit, year=year, month=month, value=1)
    return card


@pytest.fixture
def scene(world):
    """Tertial 1 of last year (deadline passed): Miljöförvaltningen has 2 of 4 values and 1 of 2
    goals assessed, Skolförvaltningen everything, Energienheten nothing."""
    year = date.today().year - 1
    for user in (world.editor, world.reporter, world.reader):
        user.email = f"{user.username}@example.se"
        user.save()
    t1 = FollowUpOccasion.objects.create(
        year=year, kind="tertial", name="Tertial 1", end_month=4, deadline=date(year, 5, 15)
    )
    a = _scorecard(world.unit_a, year, months_entered=[1, 2], assessed=1, occasion=t1)
    b = _scorecard(world.unit_b, year, months_entered=[1, 2, 3, 4], assessed=2, occasion=t1)
    a1 = _scorecard(world.unit_a1, year, months_entered=[], goals=3)
    return type("Scene", (), dict(world=world, t1=t1, a=a, b=b, a1=a1, year=year))


def _rows(scene, sort="namn", today=None):
    cards = occasion_cards(scene.t1, Q())
    rows = occasion_progress(scene.t1, cards, today=today or date.today(), sort=sort)
    return [
        (r.card.unit.name, r.values_entered, r.values_due, r.assessed, r.goals, r.overdue)
        for r in rows
    ]


def test_each_unit_counts_values_entered_of_due_and_goals_assessed(scene):
    assert _rows(scene) == [
        ("Energienheten", 0, 4, 0, 3, True),
        ("Miljöförvaltningen", 2, 4, 1, 2, True),
        ("Skolförvaltningen", 4, 4, 2, 2, False),
    ]


def test_nobody_is_late_before_the_deadline(scene):
    assert not any(row[-1] for row in _rows(scene, today=date(scene.year, 5, 1)))


def test_sorting_puts_what_is_missing_first(scene):
    assert [r[0] for r in _rows(scene, "utfall")] == [
        "Energienheten",
        "Miljöförvaltningen",
        "Skolförvaltningen",
    ]
    assert [r[0] for r in _rows(scene, "bedomning")][0] == "Energienheten"


def test_the_page_shows_progress_late_by_icon_and_text_and_sort_links(client, scene):
    client.force_login(scene.world.admin)
    text = client.get(reverse("occasion_detail", args=[scene.t1.pk]) + "?sort=utfall").content
    text = text.decode()
    assert "2 av 4" in text and "1 av 2" in text and "0 av 3" in text
    assert '<span aria-hidden="true">⚠</span> Försenat' in text
    assert '<span aria-hidden="true">✔</span> Klart' in text
    assert '<a href="?sort=utfall#styrkort-rubrik" aria-current="true">' in text
    assert text.index("Energienheten") < text.index("Skolförvaltningen")
    assert "Påminn alla som är sena" in text


def test_the_remind_button_is_only_for_the_municipalitys_administrators(client, scene):
    client.force_login(scene.world.editor)
    text = client.get(reverse("occasion_detail", args=[scene.t1.pk])).content.decode()
    assert "Påminn" not in text
    response = client.post(reverse("occasion_remind", args=[scene.t1.pk]), {"styrkort": "alla"})
    assert response.status_code == 403
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def _remind(client, scene, value):
    client.force_login(scene.world.admin)
    response = client.post(
        reverse("occasion_remind", args=[scene.t1.pk]), {"styrkort": value}, follow=True
    )
    return response, response.content.decode()


def test_reminding_everyone_late_sends_one_email_each_once(client, scene):
    response, text = _remind(client, scene, "alla")
    assert response.redirect_chain[-1][0] == reverse("occasion_detail", args=[scene.t1.pk])
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.se", "reporter@example.se"]
    assert "för 0 dagar sedan" not in mail.outbox[0].body
    assert "Påminnelser skickas till 2 personer för Energienheten, Miljöförvaltningen." in text
    _response, again = _remind(client, scene, "alla")
    assert len(mail.outbox) == 2  # nothing sent twice the same day
    assert "har redan fått en påminnelse i dag" in again


def test_the_reminder_says_how_long_ago_the_deadline_was(client, scene):
    _remind(client, scene, str(scene.a.pk))
    days = (date.today() - scene.t1.deadline).days
    assert f"för {days} dagar sedan" in mail.outbox[0].body


def test_one_unit_can_be_reminded_alone(client, scene):
    other = make_unit("Kulturen", parent=scene.world.city)
    _scorecard(other, scene.year, months_entered=[])
    _response, text = _remind(client, scene, str(scene.a.pk))
    assert "för Miljöförvaltningen." in text
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("value", ["", "abc", "999999", "\x00", "1; DROP TABLE"])
def test_wrong_input_gets_a_clear_message_and_sends_nothing(client, scene, value):
    _response, text = _remind(client, scene, value)
    assert "Ingen påminnelse skickades." in text
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_complete_unit_or_a_locked_occasion_sends_nothing(client, scene):
    _response, text = _remind(client, scene, str(scene.b.pk))
    assert "Inga utfall saknas. Ingen påminnelse behövs." in text
    scene.t1.locked_at = "2030-01-01T00:00:00Z"
    scene.t1.save()
    _response, text = _remind(client, scene, "alla")
    assert "är låst. Ingen påminnelse skickades." in text
    assert mail.outbox == []


def test_remind_needs_post_and_csrf(scene):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(scene.world.admin)
    url = reverse("occasion_remind", args=[scene.t1.pk])
    assert client.get(url).status_code == 405
    assert client.post(url, {"styrkort": "alla"}).status_code == 403
    assert mail.outbox == []


def test_the_occasion_page_query_count_does_not_grow_with_units(client, scene, count_queries):
    client.force_login(scene.world.admin)
    url = reverse("occasion_detail", args=[scene.t1.pk])
    before = count_queries(lambda: client.get(url))
    for n in range(4):
        _scorecard(
            make_unit(f"Enhet {n}", parent=scene.world.unit_b), scene.year, months_entered=[1]
        )
    assert count_queries(lambda: client.get(url)) == before


def test_counts_in_sql_agree_with_the_per_month_rule_at_every_month(scene):
    """``due_counts`` (grouped SQL, the progress table) must give what ``values_due`` (the rule
    reminders use) gives summed per scorecard: tertial and yearly indicators, values in months
    that are not due, another unit's values, an indicator on two goals, a draft and a Kolada
    indicator."""
    year, unit = scene.year, scene.world.unit_a
    card = scene.a
    tertial = make_indicator("Sjukfrånvaro", frequency=Frequency.TERTIAL)
    yearly = make_indicator("Nöjdhet", frequency=Frequency.YEARLY)
    kolada = make_indicator("Kolada-tal", frequency=Frequency.MONTHLY, source=Source.KOLADA)
    goal = make_goal(card, "Ett mål till")
    for indicator in (tertial, yearly, kolada):
        make_metric(goal, indicator)
    make_metric(make_goal(card, "Samma mätetal"), tertial)  # due once
    for indicator, month in ((tertial, 3), (tertial, 4), (tertial, 12), (yearly, 12), (kolada, 1)):
        Measurement.objects.create(indicator=indicator, unit=unit, year=year, month=month, value=1)
    Measurement.objects.create(
        indicator=tertial, unit=scene.world.unit_b, year=year, month=8, value=1
    )
    Measurement.objects.create(indicator=tertial, unit=unit, year=year - 1, month=8, value=1)
    draft = make_scorecard(make_unit("Utkastenheten"), year=year, status=ScorecardStatus.DRAFT)
    make_metric(make_goal(draft, "Utkast"), tertial)
    cards = [scene.a.pk, scene.b.pk, scene.a1.pk, draft.pk]
    for end_month in range(1, 13):
        expected: dict[int, tuple[int, int]] = {}
        for item in values_due(year=year, end_month=end_month, scorecards=cards):
            due, done = expected.get(item.scorecard_id, (0, 0))
            expected[item.scorecard_id] = (
                due + len(item.due),
                done + len(item.due) - len(item.missing),
            )
        counted = due_counts(year=year, end_month=end_month, scorecards=cards)
        assert {k: v for k, v in counted.items() if v != (0, 0)} == {
            k: v for k, v in expected.items() if v != (0, 0)
        }, end_month
    # The scene is not trivially empty: the tertial values in April and December count.
    assert due_counts(year=year, end_month=12, scorecards=cards)[card.pk] == (
        12 * 1 + 3 + 1,
        2 + 2 + 1,
    )


def test_a_long_table_comes_in_pages_still_sorted_by_what_is_missing(client, scene, monkeypatch):
    """A large city's thousand scorecards are not drawn at once; page 1 holds what is missing
    most, the links keep the sort, and "Påminn alla" still reminds every page's units."""
    import followup.progress_views

    monkeypatch.setattr(followup.progress_views, "PAGE_SIZE", 2)
    client.force_login(scene.world.admin)
    url = reverse("occasion_detail", args=[scene.t1.pk])
    first = client.get(url + "?sort=utfall").content.decode()
    table = first[first.index('<table class="progress stack">') : first.index("</table>")]
    assert "Energienheten" in table and "Miljöförvaltningen" in table
    assert "Skolförvaltningen" not in table
    assert "Styrkort 1–2 av 3" in first
    assert '<a href="?sort=utfall&amp;sida=2#styrkort-rubrik">Nästa</a>' in first
    second = client.get(url + "?sort=utfall&sida=2").content.decode()
    table = second[second.index('<table class="progress stack">') : second.index("</table>")]
    assert "Skolförvaltningen" in table and "Energienheten" not in table
    assert "Styrkort 3–3 av 3" in second and "Föregående" in second
    assert "Påminn alla som är sena" in second  # of every page, not only this one
    assert client.get(url + "?sort=utfall&sida=xyz").status_code == 200  # bad page: page 1


def test_a_short_table_has_no_page_links(client, scene):
    client.force_login(scene.world.admin)
    text = client.get(reverse("occasion_detail", args=[scene.t1.pk])).content.decode()
    assert "sida=" not in text and "Styrkort 1–" not in text
