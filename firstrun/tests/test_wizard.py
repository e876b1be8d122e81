"""The first-run setup pages: each step with good and bad input, access, and the way in."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from core.models import SiteSettings
from core.site import site_settings
from followup.models import FollowUpOccasion
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind
from scorecards.models import GoalProgramme, Perspective

PW = "ett-långt-lösenord-2026"


@pytest.fixture
def empty(db):
    """An empty instance after ``create_admin``: one top unit and its administrator."""
    top = OrgUnit.objects.create(name="Tanums kommun", kind=UnitKind.MUNICIPALITY, code="tanum")
    admin = get_user_model().objects.create_user("anna", password=PW)
    RoleAssignment.objects.create(user=admin, unit=top, role=Role.ADMIN)
    return top, admin


@pytest.fixture
def admin_client(client, empty):
    client.force_login(empty[1])
    return client


def errors_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


# --- the way in -----------------------------------------------------------------------------


def test_an_administrator_signing_in_to_an_empty_instance_lands_in_the_setup(client, empty):
    response = client.post(reverse("login"), {"username": "anna", "password": PW})
    assert response.status_code == 302
    assert response["Location"] == reverse("setup_start")


def test_the_empty_home_page_sends_the_administrator_to_the_setup(admin_client):
    response = admin_client.get(reverse("home"))
    assert response["Location"] == reverse("setup_start")


def test_once_the_setup_is_done_signing_in_leads_to_the_landing(client, empty):
    SiteSettings.objects.create(pk=1, setup_completed_at="2026-01-01T00:00:00Z")
    response = client.post(reverse("login"), {"username": "anna", "password": PW})
    assert response["Location"] == reverse("todo")  # "Att göra", as for everyone with a role
    assert client.get(reverse("todo")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_a_person_without_the_administrator_role_is_not_led_to_the_setup(client, empty):
    get_user_model().objects.create_user("bo", password=PW)
    response = client.post(reverse("login"), {"username": "bo", "password": PW})
    assert client.get(response["Location"])["Location"] == reverse("home")  # no role: home
    client.get(reverse("home"))
    assert client.get(reverse("setup_start")).status_code == 403


def test_the_overview_lists_every_step_and_finishing_marks_it_done(admin_client):
    page = admin_client.get(reverse("setup_start")).content.decode()
    for name in ("setup_municipality", "setup_kinds", "setup_units", "setup_perspectives"):
        assert reverse(name) in page
    assert "inte gjort ännu" in page
    response = admin_client.post(reverse("setup_finish"))
    assert response["Location"] == reverse("home")
    assert site_settings().setup_done


# --- step 1: the municipality -------------------------------------------------------------


def test_the_municipality_step_stores_name_designation_and_kolada_id(admin_client):
    response = admin_client.post(
        reverse("setup_municipality"),
        {"name": "Tanums kommun", "designation": "kommun", "kolada_id": "1435"},
    )
    assert response["Location"] == reverse("setup_kinds")  # on to the next step
    site = site_settings()
    assert (site.name, site.designation, site.kolada_id) == ("Tanums kommun", "kommun", "1435")
    # Every page now names the municipality from the settings, not from the environment.
    assert "Tanums kommun" in admin_client.get(reverse("unit_tree")).content.decode()


def test_the_kolada_list_offers_municipalities_by_name(admin_client):
    page = admin_client.get(reverse("setup_municipality")).content.decode()
    assert '<option value="1283">Helsingborg (1283)</option>' in page
    # Guessed from the top unit's name "Tanums kommun" that create_admin made.
    assert '<option value="1435" selected>Tanum (1435)</option>' in page
    assert 'value="kommun" required id="id_designation_0" checked' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "designation": "kommun"}, "Detta fält måste fyllas i."),
        ({"name": "X", "designation": "land"}, "Välj ett giltigt alternativ"),
        ({"name": "X", "designation": "kommun", "kolada_id": "9999"}, "Välj en kommun i listan."),
    ],
)
def test_the_municipality_step_refuses_bad_input(admin_client, data, message):
    page = errors_of(admin_client.post(reverse("setup_municipality"), data))
    assert message in page
    assert not SiteSettings.objects.exists()


# --- step 2: unit kinds ---------------------------------------------------------------------


def test_the_kinds_step_limits_the_kinds_offered_for_units(admin_client):
    response = admin_client.post(
        reverse("setup_kinds"), {"kinds": ["kommun", "forvaltning", "enhet"]}
    )
    assert response["Location"] == reverse("setup_units")
    assert site_settings().unit_kinds == ("kommun", "forvaltning", "enhet")
    page = admin_client.get(reverse("setup_units")).content.decode()
    assert 'value="forvaltning"' in page
    assert 'value="namnd"' not in page
    assert 'value="namnd"' not in admin_client.get(reverse("unit_create")).content.decode()


def test_the_kinds_step_keeps_kinds_in_use_and_needs_one(admin_client):
    page = errors_of(admin_client.post(reverse("setup_kinds"), {"kinds": ["enhet"]}))
    assert "måste vara kvar: Kommun" in page
    page = errors_of(admin_client.post(reverse("setup_kinds"), {}))
    assert "Välj minst en enhetstyp." in page
    assert not SiteSettings.objects.exists()


# --- step 3: the first units ----------------------------------------------------------------


def test_the_units_step_adds_a_unit_under_the_top(admin_client, empty):
    top, _admin = empty
    response = admin_client.post(
        reverse("setup_units"),
        {"name": "Kommunstyrelsen", "kind": "styrelse", "parent": top.pk, "code": "ks"},
    )
    assert response["Location"] == reverse("setup_units")
    assert OrgUnit.objects.get(code="ks").parent == top
    assert "Kommunstyrelsen" in admin_client.get(reverse("setup_units")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "A", "kind": "enhet", "code": "a"}, "har redan en enhet högst upp"),
        ({"name": "A", "kind": "enhet", "code": "tanum", "parent": "P"}, "används redan"),
        ({"name": "A", "kind": "enhet", "code": "å ä", "parent": "P"}, "bara innehålla"),
        ({"name": "A", "kind": "enhet", "code": "ny", "parent": "P"}, "är reserverad"),
        ({"name": "", "kind": "enhet", "code": "a", "parent": "P"}, "måste fyllas i"),
        ({"name": "A", "kind": "land", "code": "a", "parent": "P"}, "Välj en av enhetstyperna."),
    ],
)
def test_the_units_step_refuses_bad_input(admin_client, empty, data, message):
    data = {k: (empty[0].pk if v == "P" else v) for k, v in data.items()}
    page = errors_of(admin_client.post(reverse("setup_units"), data))
    assert message in page
    assert OrgUnit.objects.count() == 1


# --- step 4: perspectives -------------------------------------------------------------------


def test_the_preset_makes_the_four_perspectives_with_descriptions(admin_client):
    response = admin_client.post(reverse("setup_perspectives"), {"preset": "1"})
    assert response["Location"] == reverse("setup_programme")
    assert list(Perspective.objects.values_list("name", flat=True)) == [
        "Medborgare",
        "Ekonomi",
        "Organisation",
        "Framtid",
    ]
    assert all(p.description for p in Perspective.objects.all())
    admin_client.post(reverse("setup_perspectives"), {"preset": "1"})  # again: nothing doubled
    assert Perspective.objects.count() == 4


def test_an_own_perspective_is_added(admin_client):
    data = {"own": "1", "name": "Hållbarhet", "colour": "#336699", "icon": "leaf"}
    response = admin_client.post(reverse("setup_perspectives"), data)
    assert response["Location"] == reverse("setup_perspectives")
    assert Perspective.objects.get().slug == "hallbarhet"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "colour": "#336699", "icon": "leaf"}, "måste fyllas i"),
        ({"name": "X", "colour": "blå", "icon": "leaf"}, "Ange färgen som #RRGGBB"),
        ({"name": "X", "colour": "#336699", "icon": "rocket"}, "Välj ett giltigt alternativ"),
    ],
)
def test_an_own_perspective_refuses_bad_input(admin_client, data, message):
    page = errors_of(admin_client.post(reverse("setup_perspectives"), {"own": "1", **data}))
    assert message in page
    assert not Perspective.objects.exists()


def test_a_perspective_name_is_not_used_twice(admin_client):
    admin_client.post(reverse("setup_perspectives"), {"preset": "1"})
    data = {"own": "1", "name": "ekonomi", "colour": "#336699", "icon": "leaf"}
    page = errors_of(admin_client.post(reverse("setup_perspectives"), data))
    assert "finns redan ett perspektiv med det namnet" in page
    assert Perspective.objects.count() == 4


# --- step 5: the goal programme -------------------------------------------------------------

PROGRAMME = {
    "name": "Vision Tanum 2030",
    "vision": "Tanum – en levande kustkommun",
    "start_year": "2027",
    "end_year": "2030",
    "decided_by": "Kommunfullmäktige",
    "decided_on": "2026-11-20",
    "paragraph": "§ 112",
}


def test_the_programme_step_creates_then_edits_the_programme(admin_client):
    response = admin_client.post(reverse("setup_programme"), PROGRAMME)
    assert response["Location"] == reverse("setup_calendar")
    programme = GoalProgramme.objects.get()
    assert programme.decision_text == "Kommunfullmäktige, 2026-11-20, § 112"
    admin_client.post(reverse("setup_programme"), {**PROGRAMME, "end_year": "2031"})
    assert GoalProgramme.objects.get().end_year == 2031  # revisited: the same programme


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_year": "2020"}, "Sista år kan inte vara före första år."),
        ({"start_year": "1899"}, "Ange ett år mellan 2000 och 2100."),
        ({"vision": ""}, "måste fyllas i"),
        ({"decided_on": "20 nov"}, "Fyll i ett giltigt datum."),
    ],
)
def test_the_programme_step_refuses_bad_input(admin_client, change, message):
    page = errors_of(admin_client.post(reverse("setup_programme"), {**PROGRAMME, **change}))
    assert message in page
    assert not GoalProgramme.objects.exists()


# --- step 6: the follow-up calendar ---------------------------------------------------------


def test_the_calendar_step_creates_the_chosen_occasions(admin_client):
    page = admin_client.get(reverse("setup_calendar") + "?ar=2027").content.decode()
    assert 'value="2027-05-08"' in page  # the usual deadlines are proposed
    data = {
        "year": "2027",
        "m4_on": "on",
        "m4_deadline": "2027-05-08",
        "m12_on": "on",
        "m12_deadline": "2028-02-06",
    }
    response = admin_client.post(reverse("setup_calendar"), data)
    assert response["Location"] == reverse("setup_start")  # the last step leads to the overview
    occasions = FollowUpOccasion.objects.order_by("end_month")
    assert [(o.end_month, o.kind, o.deadline) for o in occasions] == [
        (4, "tertial", date(2027, 5, 8)),
        (12, "annual", date(2028, 2, 6)),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2027"}, "Välj minst ett uppföljningstillfälle."),
        ({"year": "2027", "m4_on": "on", "m4_deadline": ""}, "Ange sista dag för rapportering."),
        (
            {"year": "2027", "m4_on": "on", "m4_deadline": "2027-04-15"},
            "Sista dag måste vara efter periodens slut (2027-04-30).",
        ),
        ({"year": "20x7", "m4_on": "on", "m4_deadline": "2027-05-08"}, "Ange året med fyra"),
        ({"year": "3000", "m4_on": "on", "m4_deadline": "3000-05-08"}, "mellan 2000 och 2100"),
    ],
)
def test_the_calendar_step_refuses_bad_input(admin_client, data, message):
    page = errors_of(admin_client.post(reverse("setup_calendar"), data))
    assert message in page
    assert not FollowUpOccasion.objects.exists()


def test_every_step_can_be_skipped_and_revisited(admin_client):
    for name, following in [
        ("setup_municipality", "setup_kinds"),
        ("setup_kinds", "setup_units"),
        ("setup_units", "setup_perspectives"),
        ("setup_perspectives", "setup_programme"),
        ("setup_programme", "setup_calendar"),
    ]:
        page = admin_client.get(reverse(name)).content.decode()
        assert f'href="{reverse(following)}">Hoppa över det här steget' in page
        assert 'aria-current="step"' in page


def test_a_city_administrator_of_a_populated_instance_is_not_redirected(client, world):
    from core.testing import make_scorecard

    make_scorecard(world.city)
    client.force_login(world.admin)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("setup_start")).status_code == 200  # still reachable


def test_choosing_no_kolada_municipality_overrides_the_environment(admin_client, settings):
    settings.MUNICIPALITY_KOLADA_ID = "1283"
    assert site_settings().kolada_id == "1283"  # nothing chosen yet: the environment's
    admin_client.post(
        reverse("setup_municipality"), {"name": "Tanums kommun", "designation": "kommun"}
    )
    assert site_settings().kolada_id == ""


JUNK = ["", " ", "x" * 5000, "\x00", "99999999999999999999", "-1", "<script>", "2027-13-45"]


@pytest.mark.parametrize(
    "name",
    [
        "setup_municipality",
        "setup_kinds",
        "setup_units",
        "setup_perspectives",
        "setup_programme",
        "setup_calendar",
    ],
)
def test_junk_in_every_field_gets_an_answer_never_a_500(admin_client, name):
    fields = [
        "name", "designation", "kolada_id", "kinds", "kind", "parent", "code", "description",
        "colour", "icon", "vision", "start_year", "end_year", "decided_on", "year",
        "m4_on", "m4_deadline", "m8_on", "m8_deadline", "m12_on", "m12_deadline",
    ]  # fmt: skip
    for junk in JUNK:
        data = dict.fromkeys(fields, junk) | {"own": "1"}
        response = admin_client.post(reverse(name), data)
        assert response.status_code in (200, 302), (junk, response.status_code)
    assert not GoalProgramme.objects.exists()
    assert not FollowUpOccasion.objects.exists()
