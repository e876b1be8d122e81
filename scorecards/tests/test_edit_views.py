from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertRedirects

from core.testing import (
    World,
    make_goal,
    make_indicator,
    make_metric,
    make_perspectives,
    make_programme,
    make_scorecard,
    make_strategy,
    make_target,
)
from scorecards.models import (
    Comparator,
    Indicator,
    Metric,
    Scorecard,
    ScorecardStatus,
    Source,
    Strategy,
    Target,
)


class City(World):
    """The World with scorecards for 2026: the city's adopted, Miljöförvaltningen's a draft."""

    def __init__(self):
        super().__init__()
        self.programme = make_programme()
        self.perspectives = make_perspectives()
        self.city_card = make_scorecard(self.city)
        self.city_goal = make_goal(self.city_card, "Staden i framkant i klimatfrågor")
        self.card_a = make_scorecard(self.unit_a, status=ScorecardStatus.DRAFT)
        self.goal_a = make_goal(self.card_a, "Minskad energianvändning")


@pytest.fixture
def city(db):
    return City()


def as_(client, user):
    client.force_login(user)
    return client


def goal_url(goal):
    return reverse("scorecard_detail", args=[goal.scorecard_id]) + f"#mal-{goal.pk}"


def goal_data(city, **overrides):
    data = {"perspective": city.perspectives[0].pk, "title": "Nytt mål", "order": 1}
    data.update(overrides)
    return data


# Access, once for each kind of object ---------------------------------------------------------


@pytest.fixture
def edit_urls(city):
    metric = make_metric(city.goal_a)
    strategy = make_strategy(city.goal_a)
    return [
        reverse("scorecard_edit", args=[city.card_a.pk]),
        reverse("scorecard_adopt", args=[city.card_a.pk]),
        reverse("scorecard_copy", args=[city.card_a.pk]),
        reverse("goal_create", args=[city.card_a.pk]),
        reverse("goal_edit", args=[city.goal_a.pk]),
        reverse("goal_links", args=[city.goal_a.pk]),
        reverse("strategy_create", args=[city.goal_a.pk]),
        reverse("strategy_edit", args=[strategy.pk]),
        reverse("strategy_delete", args=[strategy.pk]),
        reverse("metric_create", args=[city.goal_a.pk]),
        reverse("metric_delete", args=[metric.pk]),
        reverse("target_edit", args=[metric.pk, 2026]),
    ]


def test_an_editor_opens_every_form_of_their_scorecard(client, city, edit_urls):
    as_(client, city.editor)
    assert [client.get(url).status_code for url in edit_urls] == [200] * len(edit_urls)


def test_a_reporter_sees_the_draft_but_may_not_change_it(client, city, edit_urls):
    as_(client, city.reporter)
    assert [client.get(url).status_code for url in edit_urls] == [403] * len(edit_urls)


def test_a_draft_in_another_unit_is_not_found(client, city, edit_urls):
    as_(client, city.reader)
    assert [client.get(url).status_code for url in edit_urls] == [404] * len(edit_urls)


def test_an_adopted_scorecard_is_visible_but_forbidden_to_other_units(client, city):
    as_(client, city.reader)
    assert client.get(reverse("scorecard_edit", args=[city.city_card.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, city, edit_urls):
    responses = [client.post(url) for url in edit_urls]
    assert {r.status_code for r in responses} == {302}
    assert all(r.url.startswith(reverse("login")) for r in responses)
    assert Metric.objects.count() == 1 and Strategy.objects.count() == 1


# scorecard_create -------------------------------------------------------------------------------


def test_it_offers_the_parent_goals_to_take_over(client, city):
    response = as_(client, city.editor).get(reverse("scorecard_create", args=[city.unit_a1.code]))
    assertContains(response, "Ta över mål från Miljöförvaltningen")
    assertContains(response, "<legend>Medborgare</legend>", html=False)
    assertContains(response, "Minskad energianvändning")


def test_an_editor_creates_a_scorecard_from_the_parent(client, city):
    url = reverse("scorecard_create", args=[city.unit_a1.code])
    response = as_(client, city.editor).post(url, {"year": 2026, "take_over": [city.goal_a.pk]})
    card = Scorecard.objects.get(unit=city.unit_a1, year=2026)
    assertRedirects(response, card.get_absolute_url(), fetch_redirect_response=False)
    goal = card.goals.get()
    assert (goal.title, list(goal.contributes_to.all())) == (city.goal_a.title, [city.goal_a])
    assert card.is_draft


def test_it_refuses_a_goal_that_is_not_in_the_parent_scorecard(client, city):
    url = reverse("scorecard_create", args=[city.unit_a1.code])
    response = as_(client, city.editor).post(url, {"year": 2026, "take_over": [city.city_goal.pk]})
    assertContains(response, "Välj ett giltigt alternativ.")
    assert not Scorecard.objects.filter(unit=city.unit_a1).exists()


def test_it_shows_the_service_refusal_on_the_form(client, city):
    url = reverse("scorecard_create", args=[city.unit_a.code])
    response = as_(client, city.editor).post(url, {"year": 2026})
    assertContains(response, "Miljöförvaltningen har redan ett styrkort för 2026.")
    assert Scorecard.objects.filter(unit=city.unit_a).count() == 1


def test_showing_another_year_creates_nothing(client, city):
    url = reverse("scorecard_create", args=[city.unit_a1.code])
    response = as_(client, city.editor).post(url, {"year": 2025, "refresh": "1"})
    assert response.status_code == 200
    assert response.context["form"]["year"].value() == 2025
    assert not Scorecard.objects.filter(unit=city.unit_a1).exists()


def test_it_does_not_offer_goals_of_a_parent_draft_the_user_cannot_see(client, city):
    hidden = make_scorecard(city.city, year=2025, status=ScorecardStatus.DRAFT)
    make_goal(hidden, "Hemligt utkast")
    url = reverse("scorecard_create", args=[city.unit_a.code]) + "?year=2025"
    response = as_(client, city.editor).get(url)
    assert "Hemligt utkast" not in response.content.decode()
    assert "take_over" not in response.context["form"].fields


def test_a_reporter_may_not_create_a_scorecard(client, city):
    url = reverse("scorecard_create", args=[city.unit_a1.code])
    assert as_(client, city.reporter).post(url, {"year": 2026}).status_code == 403
    assert not Scorecard.objects.filter(unit=city.unit_a1).exists()


# scorecard_edit, adopt, archive, copy -----------------------------------------------------------


def test_an_editor_changes_the_introduction_and_perspectives(client, city):
    url = reverse("scorecard_edit", args=[city.card_a.pk])
    data = {
        "introduction": "Vi minskar energin.",
        "perspectives": [city.perspectives[0].pk, city.perspectives[1].pk],
        "programme": city.programme.pk,
    }
    response = as_(client, city.editor).post(url, data)
    assertRedirects(response, city.card_a.get_absolute_url(), fetch_redirect_response=False)
    city.card_a.refresh_from_db()
    assert city.card_a.introduction == "Vi minskar energin."
    assert city.card_a.perspectives.count() == 2


def test_it_refuses_to_remove_a_perspective_that_has_goals(client, city):
    url = reverse("scorecard_edit", args=[city.card_a.pk])
    data = {"perspectives": [city.perspectives[1].pk], "programme": city.programme.pk}
    response = as_(client, city.editor).post(url, data)
    assertContains(response, "Styrkortet har mål i Medborgare")
    assert city.card_a.perspectives.count() == 4


def test_it_refuses_a_programme_for_other_years(client, city):
    later = make_programme(name="Nästa program", start_year=2027, end_year=2030)
    url = reverse("scorecard_edit", args=[city.card_a.pk])
    data = {"perspectives": [p.pk for p in city.perspectives], "programme": later.pk}
    response = as_(client, city.editor).post(url, data)
    assertContains(response, "gäller inte 2026")
    city.card_a.refresh_from_db()
    assert city.card_a.programme == city.programme


def test_an_editor_adopts_a_draft_with_its_decision(client, city):
    url = reverse("scorecard_adopt", args=[city.card_a.pk])
    data = {"decided_by": "Miljönämnden", "decided_on": "2026-01-20", "paragraph": "12"}
    as_(client, city.editor).post(url, data)
    city.card_a.refresh_from_db()
    assert city.card_a.status == ScorecardStatus.ADOPTED
    assert city.card_a.decision_text == "Miljönämnden, 2026-01-20, § 12"


def test_the_adoption_form_suggests_todays_date_for_a_draft(client, city):
    response = as_(client, city.editor).get(reverse("scorecard_adopt", args=[city.card_a.pk]))
    assertContains(response, f'name="decided_on" value="{date.today():%Y-%m-%d}"')


def test_adopting_requires_the_deciding_body(client, city):
    url = reverse("scorecard_adopt", args=[city.card_a.pk])
    response = as_(client, city.editor).post(url, {"decided_on": "2026-01-20"})
    assertContains(response, "Detta fält måste fyllas i.")
    city.card_a.refresh_from_db()
    assert city.card_a.is_draft


def test_an_adopted_scorecard_is_archived(client, city):
    city.card_a.status = ScorecardStatus.ADOPTED
    city.card_a.save()
    as_(client, city.editor).post(reverse("scorecard_archive", args=[city.card_a.pk]))
    city.card_a.refresh_from_db()
    assert city.card_a.status == ScorecardStatus.ARCHIVED


def test_archiving_asks_first(client, city):
    response = as_(client, city.admin).get(reverse("scorecard_archive", args=[city.city_card.pk]))
    assertContains(response, "<h1>Arkivera styrkortet 2026 för Staden</h1>", html=False)
    city.city_card.refresh_from_db()
    assert city.city_card.status == ScorecardStatus.ADOPTED


def test_an_archived_scorecard_is_not_adopted_again(client, city):
    Scorecard.objects.filter(pk=city.card_a.pk).update(status=ScorecardStatus.ARCHIVED)
    url = reverse("scorecard_adopt", args=[city.card_a.pk])
    as_(client, city.editor).post(url, {"decided_by": "KF", "decided_on": "2026-01-20"})
    city.card_a.refresh_from_db()
    assert city.card_a.status == ScorecardStatus.ARCHIVED


def test_archiving_a_draft_is_refused_because_it_would_publish_it(client, city):
    as_(client, city.editor).post(reverse("scorecard_archive", args=[city.card_a.pk]))
    city.card_a.refresh_from_db()
    assert city.card_a.is_draft


def test_a_reporter_may_not_archive(client, city):
    url = reverse("scorecard_archive", args=[city.city_card.pk])
    assert as_(client, city.reporter).post(url).status_code == 403


def test_an_editor_copies_a_scorecard_to_next_year(client, city):
    url = reverse("scorecard_copy", args=[city.card_a.pk])
    response = as_(client, city.editor).post(url, {"year": 2027})
    copy = Scorecard.objects.get(unit=city.unit_a, year=2027)
    assertRedirects(response, copy.get_absolute_url(), fetch_redirect_response=False)
    assert copy.goals.get().title == "Minskad energianvändning"


def test_copying_to_an_earlier_year_is_refused(client, city):
    url = reverse("scorecard_copy", args=[city.card_a.pk])
    response = as_(client, city.editor).post(url, {"year": 2025})
    assertContains(response, "Ett styrkort kan bara kopieras till ett senare år.")
    assert not Scorecard.objects.filter(unit=city.unit_a, year=2025).exists()


# Goals and the goal chain -----------------------------------------------------------------------


def test_an_editor_adds_a_goal(client, city):
    url = reverse("goal_create", args=[city.card_a.pk])
    response = as_(client, city.editor).post(url, goal_data(city, title="Fler laddplatser"))
    goal = city.card_a.goals.get(title="Fler laddplatser")
    assertRedirects(response, goal_url(goal), fetch_redirect_response=False)


def test_a_goal_must_use_one_of_the_scorecards_perspectives(client, city):
    city.card_a.perspectives.set(city.perspectives[:2])
    url = reverse("goal_create", args=[city.card_a.pk])
    data = goal_data(city, perspective=city.perspectives[3].pk)
    response = as_(client, city.editor).post(url, data)
    assertContains(response, "Välj ett giltigt alternativ.")
    assert city.card_a.goals.count() == 1


def test_an_editor_edits_a_goal_of_an_adopted_scorecard(client, city):
    Scorecard.objects.filter(pk=city.card_a.pk).update(status=ScorecardStatus.ADOPTED)
    url = reverse("goal_edit", args=[city.goal_a.pk])
    data = goal_data(city, title="Ny titel", prioritised="on", change_reason="Nämndens beslut.")
    as_(client, city.editor).post(url, data)
    city.goal_a.refresh_from_db()
    assert (city.goal_a.title, city.goal_a.prioritised) == ("Ny titel", True)


def test_a_goal_without_title_is_refused(client, city):
    url = reverse("goal_edit", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, goal_data(city, title=""))
    assertContains(response, "Detta fält måste fyllas i.")
    city.goal_a.refresh_from_db()
    assert city.goal_a.title == "Minskad energianvändning"


def test_an_editor_links_a_goal_to_the_city_goal(client, city):
    url = reverse("goal_links", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, {"contributes_to": [city.city_goal.pk]})
    assertRedirects(response, goal_url(city.goal_a), fetch_redirect_response=False)
    assert list(city.goal_a.contributes_to.all()) == [city.city_goal]


def test_unchecking_a_goal_removes_the_link(client, city):
    city.goal_a.contributes_to.add(city.city_goal)
    as_(client, city.editor).post(reverse("goal_links", args=[city.goal_a.pk]), {})
    assert not city.goal_a.contributes_to.exists()


def test_it_offers_only_goals_of_ancestor_units(client, city):
    sibling = make_goal(make_scorecard(city.unit_b), "Skolans mål")
    response = as_(client, city.editor).get(reverse("goal_links", args=[city.goal_a.pk]))
    offered = response.context["candidates"]
    assert offered == [city.city_goal]
    assert sibling not in offered


def test_it_refuses_a_link_to_a_sibling_unit(client, city):
    sibling = make_goal(make_scorecard(city.unit_b), "Skolans mål")
    url = reverse("goal_links", args=[city.goal_a.pk])
    data = {"contributes_to": [city.city_goal.pk, sibling.pk]}
    response = as_(client, city.editor).post(url, data)
    assertContains(response, "Skolförvaltningen är inte överordnad Miljöförvaltningen")
    assert not city.goal_a.contributes_to.exists()


def test_it_refuses_a_link_to_a_goal_of_another_year(client, city):
    old = make_goal(make_scorecard(city.city, year=2025), "Förra årets mål")
    url = reverse("goal_links", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, {"contributes_to": [old.pk]})
    assertContains(response, "ett mål kan bara bidra till mål samma år")
    assert not city.goal_a.contributes_to.exists()


def test_it_does_not_reveal_goals_the_user_cannot_see(client, city):
    hidden = make_goal(make_scorecard(city.unit_b, status=ScorecardStatus.DRAFT), "Utkast")
    url = reverse("goal_links", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, {"contributes_to": [hidden.pk]})
    assertContains(response, "Det valda målet finns inte.")
    assert "Skolförvaltningen" not in response.content.decode()


def test_it_keeps_links_it_does_not_offer(client, city):
    city.city_card.status = ScorecardStatus.DRAFT
    city.city_card.save()
    city.goal_a.contributes_to.add(city.city_goal)
    as_(client, city.editor).post(reverse("goal_links", args=[city.goal_a.pk]), {})
    assert list(city.goal_a.contributes_to.all()) == [city.city_goal]


# Strategies -------------------------------------------------------------------------------------


def test_an_editor_adds_a_strategy(client, city):
    url = reverse("strategy_create", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, {"text": "Byt till LED", "order": 1})
    assertRedirects(response, goal_url(city.goal_a), fetch_redirect_response=False)
    assert city.goal_a.strategies.get().text == "Byt till LED"


def test_a_strategy_without_text_is_refused(client, city):
    url = reverse("strategy_create", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, {"text": "", "order": 1})
    assertContains(response, "Detta fält måste fyllas i.")
    assert not city.goal_a.strategies.exists()


def test_an_editor_edits_a_strategy(client, city):
    strategy = make_strategy(city.goal_a, "Gammal")
    url = reverse("strategy_edit", args=[strategy.pk])
    as_(client, city.editor).post(url, {"text": "Ny", "order": 2})
    strategy.refresh_from_db()
    assert (strategy.text, strategy.order) == ("Ny", 2)


def test_a_strategy_is_removed_only_by_post(client, city):
    strategy = make_strategy(city.goal_a)
    url = reverse("strategy_delete", args=[strategy.pk])
    as_(client, city.editor).get(url)
    assert Strategy.objects.filter(pk=strategy.pk).exists()
    client.post(url)
    assert not Strategy.objects.filter(pk=strategy.pk).exists()


# Indicators -------------------------------------------------------------------------------------


def indicator_data(**overrides):
    data = {
        "name": "Energianvändning i kommunala lokaler",
        "code": "energi-lokaler",
        "unit": "kWh/m²",
        "direction": "lower",
        "decimals": 0,
        "frequency": "yearly",
        "source": Source.MANUAL,
        "aggregation": "none",
        "year_value": "last",
    }
    data.update(overrides)
    return data


def test_an_editor_defines_an_indicator(client, city):
    response = as_(client, city.editor).post(reverse("indicator_create"), indicator_data())
    indicator = Indicator.objects.get(code="energi-lokaler")
    assertRedirects(response, indicator.get_absolute_url(), fetch_redirect_response=False)


def test_a_new_indicator_returns_to_the_metric_form(client, city):
    back = reverse("metric_create", args=[city.goal_a.pk])
    url = reverse("indicator_create") + f"?next={back}"
    response = as_(client, city.editor).post(url, indicator_data())
    assertRedirects(response, back, fetch_redirect_response=False)


def test_it_ignores_a_next_address_on_another_site(client, city):
    url = reverse("indicator_create") + "?next=https://example.com/"
    response = as_(client, city.editor).post(url, indicator_data())
    assert response.url == Indicator.objects.get().get_absolute_url()


def test_a_kolada_indicator_needs_a_kpi_id(client, city):
    data = indicator_data(source=Source.KOLADA)
    response = as_(client, city.editor).post(reverse("indicator_create"), data)
    assertContains(response, "Ange Kolada-KPI när källan är Kolada.")
    assert not Indicator.objects.exists()


def test_only_editors_define_indicators(client, city):
    indicator = make_indicator()
    for user in (city.reporter, city.reader):
        as_(client, user)
        assert client.get(reverse("indicator_create")).status_code == 403
        assert client.get(reverse("indicator_edit", args=[indicator.pk])).status_code == 403


def test_an_administrator_edits_an_indicator(client, city):
    indicator = make_indicator("Gammalt namn")
    url = reverse("indicator_edit", args=[indicator.pk])
    as_(client, city.admin).post(url, indicator_data(name="Nytt namn", code=indicator.code))
    indicator.refresh_from_db()
    assert indicator.name == "Nytt namn"


def test_defining_indicators_needs_sign_in(client, city):
    assert client.get(reverse("indicator_create")).status_code == 302


# Metrics and targets ----------------------------------------------------------------------------


def metric_data(indicator, **target):
    data = {"indicator": indicator.pk, "weight": "1", "order": 1, "target-comparator": ""}
    data.update({f"target-{name}": value for name, value in target.items()})
    return data


def test_an_editor_adds_a_metric_with_its_target(client, city):
    indicator = make_indicator()
    url = reverse("metric_create", args=[city.goal_a.pk])
    data = metric_data(indicator, comparator=Comparator.LTE, value="160", tolerance="5")
    response = as_(client, city.editor).post(url, data)
    assertRedirects(response, goal_url(city.goal_a), fetch_redirect_response=False)
    target = Target.objects.get(metric__goal=city.goal_a)
    assert (target.year, target.comparator, target.value) == (2026, "lte", Decimal(160))


def test_a_metric_may_have_no_target(client, city):
    url = reverse("metric_create", args=[city.goal_a.pk])
    as_(client, city.editor).post(url, metric_data(make_indicator(), value="oläsligt"))
    assert city.goal_a.metrics.count() == 1
    assert not Target.objects.exists()


def test_an_indicator_is_used_once_per_goal(client, city):
    metric = make_metric(city.goal_a)
    url = reverse("metric_create", args=[city.goal_a.pk])
    response = as_(client, city.editor).post(url, metric_data(metric.indicator))
    assertContains(response, "Mätetalet finns redan på målet.")
    assert city.goal_a.metrics.count() == 1


def test_a_bad_target_keeps_the_metric_from_being_added(client, city):
    url = reverse("metric_create", args=[city.goal_a.pk])
    data = metric_data(make_indicator(), comparator=Comparator.RANGE, value="10")
    response = as_(client, city.editor).post(url, data)
    assertContains(response, "Ett intervall behöver en övre gräns.")
    assert not city.goal_a.metrics.exists()


def test_a_metric_is_removed_from_the_goal(client, city):
    metric = make_metric(city.goal_a)
    make_target(metric, 50)
    as_(client, city.editor).post(reverse("metric_delete", args=[metric.pk]))
    assert not Metric.objects.filter(pk=metric.pk).exists()
    assert Indicator.objects.filter(pk=metric.indicator_id).exists()


def test_an_editor_sets_a_target_for_a_later_year(client, city):
    metric = make_metric(city.goal_a)
    url = reverse("target_edit", args=[metric.pk, 2028])
    data = {"comparator": Comparator.GTE, "value": "80", "tolerance": "0", "decided_by": "KF"}
    as_(client, city.editor).post(url, data)
    target = metric.targets.get(year=2028)
    assert (target.value, target.decided_by) == (Decimal(80), "KF")


def test_an_editor_changes_a_target(client, city):
    target = make_target(make_metric(city.goal_a), 50)
    url = reverse("target_edit", args=[target.metric_id, 2026])
    as_(client, city.editor).post(url, {"comparator": Comparator.EQ, "value": "55"})
    target.refresh_from_db()
    assert (target.comparator, target.value) == ("eq", Decimal(55))


def test_no_target_removes_the_target(client, city):
    target = make_target(make_metric(city.goal_a), 50)
    url = reverse("target_edit", args=[target.metric_id, 2026])
    response = as_(client, city.editor).post(url, {"comparator": ""})
    assertRedirects(response, goal_url(city.goal_a), fetch_redirect_response=False)
    assert not Target.objects.filter(pk=target.pk).exists()


def test_a_range_with_a_lower_upper_bound_is_refused(client, city):
    target = make_target(make_metric(city.goal_a), 50)
    url = reverse("target_edit", args=[target.metric_id, 2026])
    data = {"comparator": Comparator.RANGE, "value": "50", "value_high": "40"}
    response = as_(client, city.editor).post(url, data)
    assertContains(response, "Övre gränsen kan inte vara lägre än den undre.")
    target.refresh_from_db()
    assert (target.comparator, target.value_high) == ("gte", None)


def test_a_target_needs_a_value(client, city):
    metric = make_metric(city.goal_a)
    url = reverse("target_edit", args=[metric.pk, 2026])
    response = as_(client, city.editor).post(url, {"comparator": Comparator.GTE})
    assertContains(response, "Ange ett målvärde.")
    assert not metric.targets.exists()
