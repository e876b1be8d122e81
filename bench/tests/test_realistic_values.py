"""The generated city's values carry what a real user's do — an author and now and then a
comment — and the value-entry page reads them in the same number of queries whether the month
shown has no values yet or one by a different person on every row (issue #16.4: 11 → 41
queries once values had an author)."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from bench.measure import MODEL_BACKEND, find_targets
from followup.models import Measurement
from scorecards.models import Scorecard


def test_generated_values_have_authors_and_some_comments(tiny_city):
    assert not Measurement.objects.filter(entered_by__isnull=True).exists()
    with_comment = Measurement.objects.exclude(comment="").count()
    assert 0 < with_comment < Measurement.objects.count() / 10


def test_value_entry_queries_do_not_grow_with_authored_rows(tiny_city, client, count_queries):
    targets = find_targets()
    User = get_user_model()
    client.force_login(User.objects.get(username=targets["entry_user"]), backend=MODEL_BACKEND)
    card = Scorecard.objects.get(pk=targets["entry_card"])
    values = Measurement.objects.filter(unit=card.unit, year=card.year)
    latest = values.order_by("-month").first().month
    shown = list(values.filter(month=latest))
    assert len(shown) > 3
    for n, value in enumerate(shown):  # every row by someone else
        value.entered_by = User.objects.create_user(f"forfattare-{n}", first_name=f"Författare{n}")
        value.save(update_fields=["entered_by"])
    page = reverse("value_entry", args=[card.pk])
    empty = f"{page}?period={card.year}-{latest + 1}"  # no values yet
    full = f"{page}?period={card.year}-{latest}"
    assert Measurement.objects.filter(unit=card.unit, year=card.year, month=latest + 1).count() == 0
    assert "Författare0" in client.get(full).content.decode()
    client.get(empty)  # each month's statuses are cached: compare warm pages
    assert count_queries(lambda: client.get(full)) == count_queries(lambda: client.get(empty))


def test_value_entry_queries_do_not_grow_with_rows_without_author(tiny_city, client, count_queries):
    """Values imported before authors were kept (or by a removed user) name nobody: the page
    still reads them in its constant queries and shows their source alone (#16)."""
    targets = find_targets()
    User = get_user_model()
    client.force_login(User.objects.get(username=targets["entry_user"]), backend=MODEL_BACKEND)
    card = Scorecard.objects.get(pk=targets["entry_card"])
    values = Measurement.objects.filter(unit=card.unit, year=card.year)
    latest = values.order_by("-month").first().month
    assert values.filter(month=latest).update(entered_by=None) > 3
    page = reverse("value_entry", args=[card.pk])
    empty = f"{page}?period={card.year}-{latest + 1}"
    full = f"{page}?period={card.year}-{latest}"
    assert client.get(full).status_code == 200
    client.get(empty)  # each month's statuses are cached: compare warm pages
    assert count_queries(lambda: client.get(full)) == count_queries(lambda: client.get(empty))
