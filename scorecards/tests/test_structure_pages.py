"""Perspectives and goal programmes administered on the app's pages (no /admin/).

Who may open each page is in core/tests/test_url_permissions.py; here: what good input does,
and that wrong input gets a clear message and changes nothing.
"""

from django.urls import reverse

from core.testing import make_goal, make_perspectives, make_programme, make_scorecard
from scorecards.models import GoalProgramme, Perspective


def _page(response) -> str:
    return response.content.decode()


def test_an_administrator_creates_a_perspective(client, world):
    client.force_login(world.admin)
    data = {"name": "Medarbetare", "description": "Attraktiv arbetsgivare", "colour": "#aa3300"}
    data |= {"icon": "people", "order": "3", "active": "on"}
    response = client.post(reverse("perspective_create"), data, follow=True)
    perspective = Perspective.objects.get(name="Medarbetare")
    assert (perspective.colour, perspective.icon, perspective.order) == ("#AA3300", "people", 3)
    assert perspective.slug == "medarbetare"
    assert "Perspektivet Medarbetare har skapats." in _page(response)


def test_a_wrong_colour_and_a_taken_name_are_refused_with_a_message(client, world):
    make_perspectives()
    client.force_login(world.admin)
    before = Perspective.objects.count()
    response = client.post(
        reverse("perspective_create"),
        {"name": "ekonomi", "colour": "röd", "icon": "leaf", "order": "1"},
    )
    page = _page(response)
    assert response.status_code == 200
    assert "Det finns redan ett perspektiv som heter ekonomi." in page
    assert "Ange färgen som # och sex hexadecimala tecken" in page
    assert Perspective.objects.count() == before


def test_editing_keeps_the_address(client, world):
    perspective = make_perspectives()[0]
    slug = perspective.slug
    client.force_login(world.admin)
    data = {"name": "Invånare", "colour": "#005EA5", "icon": "people", "order": "9"}
    response = client.post(reverse("perspective_edit", args=[perspective.pk]), data)
    assert response.status_code == 302
    perspective.refresh_from_db()
    assert (perspective.name, perspective.order, perspective.slug) == ("Invånare", 9, slug)
    assert not perspective.active  # an unticked box makes it inactive


def test_a_perspective_in_use_is_not_deleted(client, world):
    card = make_scorecard(world.city)
    perspective = make_perspectives()[0]
    card.perspectives.add(perspective)
    make_goal(card, perspective=perspective)
    client.force_login(world.admin)
    url = reverse("perspective_delete", args=[perspective.pk])
    assert "kan inte tas bort" in _page(client.get(url))
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "används av 1 mål och 1 styrkort och kan inte tas bort" in _page(response)
    assert Perspective.objects.filter(pk=perspective.pk).exists()


def test_an_unused_perspective_is_deleted(client, world):
    perspective = Perspective.objects.create(name="Prov", slug="prov")
    client.force_login(world.admin)
    response = client.post(reverse("perspective_delete", args=[perspective.pk]), follow=True)
    assert "Perspektivet Prov har tagits bort." in _page(response)
    assert not Perspective.objects.filter(pk=perspective.pk).exists()


def test_the_list_shows_use_and_links_to_editing(client, world):
    make_perspectives()
    client.force_login(world.admin)
    page = _page(client.get(reverse("perspective_list")))
    assert "Medborgare" in page and reverse("perspective_create") in page
    assert reverse("perspective_edit", args=[Perspective.objects.first().pk]) in page


def test_an_administrator_creates_a_goal_programme(client, world):
    client.force_login(world.admin)
    data = {"name": "Vision 2035", "vision": "En kommun för alla", "start_year": "2027"}
    data |= {"end_year": "2030", "decided_by": "Kommunfullmäktige", "decided_on": "2026-11-30"}
    response = client.post(reverse("programme_create"), data, follow=True)
    programme = GoalProgramme.objects.get(name="Vision 2035")
    assert (programme.start_year, programme.end_year) == (2027, 2030)
    assert programme.decided_on.isoformat() == "2026-11-30"
    assert "Målprogrammet Vision 2035 2027–2030 har skapats." in _page(response)


def test_a_programme_ending_before_it_starts_is_refused(client, world):
    client.force_login(world.admin)
    data = {"name": "Baklänges", "vision": "–", "start_year": "2030", "end_year": "2027"}
    response = client.post(reverse("programme_create"), data)
    assert "Sista år kan inte vara före första år." in _page(response)
    assert not GoalProgramme.objects.filter(name="Baklänges").exists()


def test_a_programme_cannot_shrink_away_from_its_scorecards(client, world):
    programme = make_programme()
    make_scorecard(world.city, year=2026, programme=programme)
    client.force_login(world.admin)
    data = {"name": "Kortare", "vision": "–", "start_year": "2023", "end_year": "2025"}
    response = client.post(reverse("programme_edit", args=[programme.pk]), data)
    assert "Styrkort för 2026 hör till programmet" in _page(response)
    programme.refresh_from_db()
    assert (programme.name, programme.end_year) == ("Målprogram", 2026)


def test_a_programme_with_scorecards_is_not_deleted(client, world):
    programme = make_programme()
    make_scorecard(world.city, programme=programme)
    client.force_login(world.admin)
    response = client.post(reverse("programme_delete", args=[programme.pk]), follow=True)
    assert "har 1 styrkort och kan inte tas bort" in _page(response)
    assert GoalProgramme.objects.filter(pk=programme.pk).exists()


def test_an_unused_programme_is_deleted(client, world):
    programme = make_programme()
    client.force_login(world.admin)
    response = client.post(reverse("programme_delete", args=[programme.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("programme_list")
    assert not GoalProgramme.objects.filter(pk=programme.pk).exists()


def test_administrators_find_the_pages_from_the_header_and_the_lists(client, world):
    programme = make_programme()
    client.force_login(world.admin)
    home = _page(client.get(reverse("programme_list")))
    assert reverse("administration") in home and reverse("programme_create") in home
    admin = _page(client.get(reverse("administration")))
    for name in ("perspective_list", "person_list", "occasion_list", "assessment_scale"):
        assert reverse(name) in admin, name
    detail = _page(client.get(reverse("programme_detail", args=[programme.pk])))
    assert reverse("programme_edit", args=[programme.pk]) in detail


def test_others_see_no_administration_links(client, world):
    make_programme()
    client.force_login(world.editor)
    page = _page(client.get(reverse("programme_list")))
    assert reverse("administration") not in page and reverse("programme_create") not in page
