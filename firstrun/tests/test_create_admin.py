"""``manage.py create_admin``: options or questions, a password never on the command line."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.site import site_settings
from organisation import access
from organisation.models import OrgUnit, Role, RoleAssignment, UnitKind

PASSWORD = "ett-långt-lösenord-2026"


def run(tmp_path, **options):
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    options.setdefault("password_file", str(secret))
    out = StringIO()
    call_command("create_admin", no_input=True, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db
def test_on_an_empty_instance_it_creates_the_top_unit_and_its_administrator(tmp_path):
    out = run(
        tmp_path,
        username="anna",
        email="anna@tanum.se",
        name="Anna Andersson",
        municipality="Tanums kommun",
        designation="kommun",
    )
    top = OrgUnit.objects.get()
    assert (top.name, top.kind, top.parent) == ("Tanums kommun", UnitKind.MUNICIPALITY, None)
    user = get_user_model().objects.get(username="anna")
    assert (user.first_name, user.last_name, user.email) == ("Anna", "Andersson", "anna@tanum.se")
    assert user.check_password(PASSWORD)
    assert RoleAssignment.objects.filter(user=user, unit=top, role=Role.ADMIN).exists()
    assert access.can_set_up(user)
    assert (site_settings().name, site_settings().designation) == ("Tanums kommun", "kommun")
    assert "administratör för Tanums kommun" in out


@pytest.mark.django_db
def test_with_a_top_unit_it_makes_the_person_administrator_there(world, tmp_path):
    run(tmp_path, username="bo", email="bo@example.se", name="Bo Ek")
    bo = get_user_model().objects.get(username="bo")
    assert RoleAssignment.objects.get(user=bo).unit == world.city
    assert OrgUnit.objects.count() == 4  # no new unit


@pytest.mark.django_db
def test_the_password_may_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("STYRKORT_ADMIN_PASSWORD", PASSWORD)
    call_command(
        "create_admin",
        username="cia",
        email="cia@example.se",
        name="Cia",
        municipality="Ale kommun",
        no_input=True,
        stdout=StringIO(),
    )
    assert get_user_model().objects.get(username="cia").check_password(PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"email": "a@b.se", "name": "A"}, "Användarnamn saknas: ange --username"),
        ({"username": "a", "name": "A"}, "E-postadress saknas"),
        ({"username": "a", "email": "inte-en-adress", "name": "A"}, "inte en giltig e-postadress"),
        ({"username": "a", "email": "a@b.se", "name": "A"}, "ange --municipality"),
    ],
)
def test_missing_or_bad_details_are_named_and_nothing_is_created(tmp_path, options, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, **options)
    assert not get_user_model().objects.exists()
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_nothing_is_created(tmp_path):
    weak = tmp_path / "weak"
    weak.write_text("123", encoding="utf-8")
    with pytest.raises(CommandError, match="Lösenordet duger inte"):
        run(
            tmp_path,
            username="a",
            email="a@b.se",
            name="A",
            municipality="Ale kommun",
            password_file=str(weak),
        )
    assert not get_user_model().objects.exists()
    assert not OrgUnit.objects.exists()


@pytest.mark.django_db
def test_without_a_password_it_says_where_to_give_one(tmp_path, monkeypatch):
    monkeypatch.delenv("STYRKORT_ADMIN_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="--password-file eller STYRKORT_ADMIN_PASSWORD"):
        call_command(
            "create_admin",
            username="a",
            email="a@b.se",
            name="A",
            municipality="Ale kommun",
            no_input=True,
        )


@pytest.mark.django_db
def test_an_existing_username_is_refused(world, tmp_path):
    with pytest.raises(CommandError, match="finns redan"):
        run(tmp_path, username="ADMIN", email="x@b.se", name="X")


@pytest.mark.django_db
def test_a_missing_password_file_is_one_line(tmp_path):
    with pytest.raises(CommandError, match="Lösenordsfilen kunde inte läsas"):
        run(
            tmp_path,
            username="a",
            email="a@b.se",
            name="A",
            municipality="Ale",
            password_file=str(tmp_path / "finns-inte"),
        )


@pytest.mark.django_db
def test_it_asks_for_what_is_missing_on_a_terminal(tmp_path, monkeypatch):
    answers = iter(["dora", "dora@example.se", "Dora Dahl", "Dals-Eds kommun"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    passwords = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(passwords))
    monkeypatch.delenv("STYRKORT_ADMIN_PASSWORD", raising=False)
    call_command("create_admin", stdout=StringIO())
    dora = get_user_model().objects.get(username="dora")
    assert dora.check_password(PASSWORD)
    assert RoleAssignment.objects.get(user=dora).unit.name == "Dals-Eds kommun"
