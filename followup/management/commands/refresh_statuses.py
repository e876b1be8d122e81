"""Recompute every stored goal status, or check that none is stale.

The statuses are refreshed on every change they depend on (followup/signals.py); this command is
for after a bulk load past the signals, after a restore, and as a daily check — a unit's
``active_until`` passing is a change no one saves. ``--check`` writes nothing, lists every stored
status that differs from a fresh computation and exits 1 if any does.
"""

import sys

from django.core.management.base import BaseCommand

from followup.models import GoalStatus
from followup.rollup import refresh_goal_statuses, stale_statuses
from scorecards.models import Goal


class Command(BaseCommand):
    help = (
        "Räknar om alla lagrade målstatusar. Med --check ändras inget: varje lagrad status som "
        "skiljer sig från en ny beräkning listas, och kommandot avslutas med 1 om någon gör det."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Jämför bara; skriv inget (slutkod 1 vid skillnad).",
        )

    def handle(self, *args, check: bool, **options):
        if not check:
            count = refresh_goal_statuses()
            self.stdout.write(f"Omräknade målstatusar: {count}")
            return
        stale = stale_statuses()
        titles = dict(
            Goal.objects.filter(pk__in=[pk for pk, _was, _now in stale]).values_list("pk", "title")
        )
        for pk, was, now in stale:
            self.stdout.write(f"Mål {pk} ({titles.get(pk, '')}): lagrad {was}, beräknad {now}")
        total = GoalStatus.objects.count()
        self.stdout.write(f"Inaktuella målstatusar: {len(stale)} (lagrade: {total})")
        if stale:
            sys.exit(1)
