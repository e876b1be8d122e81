"""API writers for the load test (issue #16, item 6): systems that push values in bulk.

``manage.py benchmark --targets FILE --api-writers N`` issues an API token for N of the generated
reporters and writes, per writer, its token, unit, year, month and the indicators its scorecard
follows up (``bench/locustfile.py``'s ``ApiWriter`` posts them to ``/api/v1/values/bulk/``).

The writers' units are siblings under one parent when the city has that many, so their writes
refresh the same ancestors' roll-ups at the same moment: the case where concurrent writers could
deadlock or lose an update, which the load test must show does not happen.
"""

from collections import defaultdict
from datetime import date

from api.models import ApiToken
from followup.entry import scorecard_indicators
from organisation.models import Role, RoleAssignment
from scorecards.models import Scorecard


def issue_writers(n: int, year: int, *, today: date | None = None) -> list[dict]:
    """Tokens and work for ``n`` API writers (fewer if the city has fewer reporters)."""
    today = today or date.today()
    month = today.month - 1 if year == today.year else 12  # the last completed month
    if month < 1:
        return []
    by_parent = defaultdict(list)
    assignments = (
        RoleAssignment.objects.filter(role=Role.REPORTER, user__is_active=True)
        .select_related("user", "unit")
        .order_by("unit__parent_id", "unit__code")
    )
    for assignment in assignments:
        by_parent[assignment.unit.parent_id].append(assignment)
    # The last sibling group with room for all: the page reporters of the load test sign in as
    # the first reporters, and a writer on a page reporter's unit would make their saves collide
    # (a correct 409 or "changed meanwhile", but not what the load test measures).
    groups = [group for group in by_parent.values() if len(group) >= n]
    chosen = groups[-1][:n] if groups else list(assignments)[-n:]
    writers = []
    for assignment in chosen:
        card = Scorecard.objects.filter(unit=assignment.unit, year=year).first()
        if card is None:
            continue
        _token, secret = ApiToken.issue(user=assignment.user, name="load test writer")
        writers.append(
            {
                "token": secret,
                "username": assignment.user.username,
                "unit": assignment.unit.code,
                "year": year,
                "month": month,
                "indicators": sorted(scorecard_indicators(card)),
            }
        )
    return writers
