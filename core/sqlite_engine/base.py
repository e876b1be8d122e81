"""Django's SQLite backend, plus the statistics SQLite's query planner needs.

SQLite keeps no statistics unless asked; without them it guesses, and on a large city it guessed
wrong (the API's goal list sorted all 25,000 goals for every page instead of walking the
scorecards in index order). SQLite's advice for short-lived connections — ours live one request —
is to run ``PRAGMA optimize`` as each closes: it analyses only the tables that connection queried
and that lack statistics or have grown a lot, and is nearly free otherwise. ``analysis_limit``
bounds that analysis to a sample, so the first close on a table of millions of values stays quick.
"""

from django.db.backends.sqlite3 import base

ANALYSIS_ROWS = 1000  # rows sampled per index; SQLite's documentation suggests 100–1000


class DatabaseWrapper(base.DatabaseWrapper):
    def _close(self):
        try:
            if self.connection is not None:
                self.connection.execute(f"PRAGMA analysis_limit={ANALYSIS_ROWS}")
                self.connection.execute("PRAGMA optimize")
        except base.Database.Error:
            pass  # statistics are an optimisation: closing must not fail for them
        finally:
            super()._close()
