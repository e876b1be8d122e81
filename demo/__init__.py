"""The demo city (Helsingborg with real Kolada figures) and ``manage.py load_demo``.

An app of its own so that ``core`` depends on no domain app: the demo builds units, scorecards,
goals and values, so it sits above all of them.
"""
