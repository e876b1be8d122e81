"""Garbage-collector settings for a long-running web worker (``config/wsgi.py``).

One request for the city scorecard allocates a few hundred thousand short-lived objects. With
Python's default thresholds (700, 10, 10) that sets off a full collection every few requests, and a
full collection walks every object the worker holds — models, templates, URL patterns, caches —
adding 60–80 ms to whichever request it lands in: on the large benchmark city that was most of the
pages' p95. Freezing what exists after start-up takes those objects out of the collector's walks,
and a larger first threshold lets short-lived objects go by reference counting before the
collector runs at all. Memory stays flat: cycles are still collected, only less often.
"""

import gc

GC_THRESHOLDS = (10_000, 10, 10)


def tune_gc_for_serving() -> None:
    from django.urls import get_resolver

    # Load every app's URLs and views now, so that they are frozen too.
    get_resolver().url_patterns  # noqa: B018
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
