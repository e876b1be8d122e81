"""From accounts and objects to income-statement rows and units: the kept, reusable mappings."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import AccountRule, ObjectMapping, StatementRow

# Kommun-Bas (SKR): class 3 verksamhetens intäkter, 4 personalkostnader, 5-7 övriga
# verksamhetskostnader with 78 avskrivningar and nedskrivningar, 8 finansiella poster (and, for
# the municipality as a whole, skatteintäkter and generella statsbidrag). Classes 1-2 are the
# balance sheet and no row of the income statement.
DEFAULT_ROWS = [
    (_("Verksamhetens intäkter"), ["3"]),
    (_("Personalkostnader"), ["4"]),
    (_("Övriga kostnader"), ["5", "6", "7"]),
    (_("Avskrivningar"), ["78"]),
    (_("Finansiella poster"), ["8"]),
]


def ensure_default_statement() -> list[StatementRow]:
    """The income statement's rows; the Kommun-Bas defaults are made the first time asked."""
    rows = list(StatementRow.objects.all())
    if rows:
        return rows
    with transaction.atomic():
        for order, (name, prefixes) in enumerate(DEFAULT_ROWS, start=1):
            row, _created = StatementRow.objects.get_or_create(
                name=str(name), defaults={"order": order}
            )
            for prefix in prefixes:
                AccountRule.objects.get_or_create(prefix=prefix, defaults={"row": row})
    return list(StatementRow.objects.all())


class AccountResolver:
    """Account number → statement row id (or None), by the longest matching prefix."""

    def __init__(self):
        self.rules = dict(AccountRule.objects.values_list("prefix", "row_id"))
        self.cache: dict[str, int | None] = {}

    def __call__(self, account: str) -> int | None:
        if account not in self.cache:
            row = None
            for length in range(len(account), 0, -1):
                row = self.rules.get(account[:length])
                if row is not None:
                    break
            self.cache[account] = row
        return self.cache[account]


def object_units(dimension: int | None) -> dict[str, int | None]:
    """{object code: unit id or None} for the dimension's known objects."""
    if dimension is None:
        return {}
    return dict(ObjectMapping.objects.filter(dimension=dimension).values_list("code", "unit_id"))


def remember_objects(dimension: int | None, names: dict[str, str]) -> int:
    """Keep the file's objects of the mapped dimension, so the unmapped ones wait on the mapping
    page; a known object's name follows the accounting system. Returns how many are new."""
    if dimension is None or not names:
        return 0
    known = set(ObjectMapping.objects.filter(dimension=dimension).values_list("code", flat=True))
    new = [
        ObjectMapping(dimension=dimension, code=code[:60], name=name[:200])
        for code, name in names.items()
        if code not in known
    ]
    ObjectMapping.objects.bulk_create(new, batch_size=1000)
    return len(new)
