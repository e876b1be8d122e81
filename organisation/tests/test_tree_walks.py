"""Ancestors and descendants walk the tree from the unit asked about (issue #16, item 4).

django-tree-queries numbers the whole tree for ``ancestors()`` and ``descendants()``; here the
recursive query starts at the unit, so neither the number of queries nor their SQL depends on how
many units the city has — checked by asking the same questions of a small city and one with many
more units around the same path.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import make_unit
from organisation import access
from organisation.models import OrgUnit, Role, RoleAssignment


def path_of_four():
    city = make_unit("Staden", kind="kommun")
    board = make_unit("Nämnden", parent=city, kind="namnd")
    office = make_unit("Förvaltningen", parent=board, kind="forvaltning")
    school = make_unit("Skolan", parent=office)
    return city, board, office, school


def crowd(around: list[OrgUnit], n: int) -> None:
    """``n`` more units beside and below the path: siblings of every level and a deep branch."""
    for i in range(n):
        parent = around[i % len(around)]
        branch = make_unit(f"Grannen {i}", parent=parent)
        if i % 5 == 0:
            make_unit(f"Grannens enhet {i}", parent=branch)


def questions(city, board, office, school, user) -> dict:
    fresh = OrgUnit.objects.get(pk=school.pk)  # a unit read plainly, as pages read card.unit
    return {
        "ancestors": [u.code for u in OrgUnit.objects.ancestors(fresh)],
        "ancestors with self": [u.code for u in fresh.ancestors(include_self=True)],
        "ancestor ids": OrgUnit.objects.ancestor_ids(school.pk),
        "below the office": sorted(
            OrgUnit.objects.descendants(office, include_self=True).values_list("code", flat=True)
        ),
        "level": access.level(user, OrgUnit.objects.get(pk=school.pk)),
    }


def shapes(queries) -> list[str]:
    """The SQL with its numbers taken out: what was asked, not of which ids."""
    return [re.sub(r"\b\d+\b", "N", q["sql"]) for q in queries]


@pytest.mark.django_db
def test_the_same_queries_answer_in_a_small_and_a_large_city():
    city, board, office, school = path_of_four()
    user = get_user_model().objects.create_user("rapp", password="x")
    RoleAssignment.objects.create(user=user, unit=board, role=Role.REPORTER)
    user = get_user_model().objects.get(pk=user.pk)
    access.level(user, city)  # the user's roles, read once and kept on the user

    with CaptureQueriesContext(connection) as small:
        answers_small = questions(city, board, office, school, user)
    crowd([city, board, office, school], 60)
    assert OrgUnit.objects.count() > 70
    with CaptureQueriesContext(connection) as large:
        answers_large = questions(city, board, office, school, user)

    assert shapes(small.captured_queries) == shapes(large.captured_queries)
    # get; path + rows; rows (the path is known now); path by id; descendants; get + path
    assert len(large.captured_queries) == 8
    assert (
        answers_small["ancestors"]
        == answers_large["ancestors"]
        == [
            city.code,
            board.code,
            office.code,
        ]
    )
    assert answers_large["ancestors with self"] == [city.code, board.code, office.code, school.code]
    assert answers_large["ancestor ids"] == [city.pk, board.pk, office.pk]
    assert answers_small["below the office"] == [office.code, school.code]
    assert len(answers_large["below the office"]) > len(answers_small["below the office"])
    assert answers_small["level"] == answers_large["level"] == access.REPORT


@pytest.mark.django_db
def test_walks_agree_with_the_whole_tree_numbered():
    """The anchored walks give what django-tree-queries' numbering of the whole tree gives."""
    city, board, office, school = path_of_four()
    crowd([city, board, office, school], 25)
    numbered = {u.pk: u for u in OrgUnit.objects.with_tree_fields()}
    for unit in OrgUnit.objects.all():
        assert OrgUnit.objects.ancestor_ids(unit, include_self=True) == numbered[unit.pk].tree_path
        assert [u.pk for u in unit.ancestors()] == numbered[unit.pk].tree_path[:-1]
        below = {pk for pk, u in numbered.items() if unit.pk in u.tree_path and pk != unit.pk}
        assert set(OrgUnit.objects.descendants(unit).values_list("pk", flat=True)) == below


@pytest.mark.django_db
def test_the_units_above_a_set_are_their_ancestors_read_in_one_walk(count_queries):
    """``ids_above`` (what a value write refreshes above its units) is the union of the units'
    ancestors, in one query whose SQL does not depend on the city's size."""
    city, board, office, school = path_of_four()
    crowd([city, board, office, school], 25)
    numbered = {u.pk: u.tree_path for u in OrgUnit.objects.with_tree_fields()}
    units = sorted(numbered)
    for chosen in ([school.pk], [school.pk, board.pk], units[::3], units, []):
        expected = {pk for unit in chosen for pk in numbered[unit][:-1]}
        assert OrgUnit.objects.ids_above(chosen) == expected
    with CaptureQueriesContext(connection) as small:
        OrgUnit.objects.ids_above([school.pk])
    crowd([city, board, office, school], 30)
    with CaptureQueriesContext(connection) as large:
        OrgUnit.objects.ids_above([school.pk])
    assert shapes(small.captured_queries) == shapes(large.captured_queries)
    assert len(large.captured_queries) == 1


@pytest.mark.django_db
def test_a_stored_cycle_ends_the_walk_from_many():
    city, board, office, school = path_of_four()
    OrgUnit.objects.filter(pk=city.pk).update(parent=school)
    assert OrgUnit.objects.ids_above([school.pk]) == {city.pk, board.pk, office.pk, school.pk}


@pytest.mark.django_db
def test_ancestors_carry_their_path_so_permission_checks_on_them_cost_nothing(count_queries):
    city, board, office, school = path_of_four()
    admin = get_user_model().objects.create_user("adm", password="x")
    RoleAssignment.objects.create(user=admin, unit=board, role=Role.ADMIN)
    admin = get_user_model().objects.get(pk=admin.pk)
    ancestors = list(OrgUnit.objects.ancestors(school))
    assert [u.tree_depth for u in ancestors] == [0, 1, 2]
    access.level(admin, city)  # roles read once

    def check():
        return [access.can_administer(admin, unit) for unit in ancestors]

    assert count_queries(check) == 0
    assert check() == [False, True, True]


@pytest.mark.django_db
def test_a_unit_asked_about_twice_walks_once_until_it_moves(count_queries):
    city, board, office, school = path_of_four()
    unit = OrgUnit.objects.get(pk=school.pk)
    assert count_queries(lambda: OrgUnit.objects.path_ids(unit)) == 1
    assert count_queries(lambda: OrgUnit.objects.path_ids(unit)) == 0
    unit.parent = board
    unit.save()
    assert OrgUnit.objects.path_ids(unit) == [city.pk, board.pk, school.pk]


@pytest.mark.django_db
def test_a_stored_cycle_ends_the_walk():
    """``clean`` refuses cycles; one written past it must not make a page loop for ever."""
    city, board, office, school = path_of_four()
    OrgUnit.objects.filter(pk=city.pk).update(parent=school)
    path = OrgUnit.objects.ancestor_ids(school.pk, include_self=True)
    assert len(path) <= 65 and path[-1] == school.pk
    assert set(OrgUnit.objects.descendants(city).values_list("pk", flat=True)) >= {school.pk}


@pytest.mark.django_db
def test_a_unit_cannot_be_moved_below_itself():
    city, board, office, school = path_of_four()
    board.parent = school
    with pytest.raises(Exception, match="descendant of itself"):
        board.clean()
