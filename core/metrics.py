"""Prometheus metrics: request latency, responses by status class, the job queue, the last sync.

With several gunicorn workers each worker counts its own requests. gunicorn.conf.py sets
``PROMETHEUS_MULTIPROC_DIR`` before the workers start, so prometheus-client keeps the counts in
files there and ``/metrics`` adds up all workers of this server. Prometheus scrapes every app
server on its own address; the queue and sync figures come from the database, so every server
reports the same ones.
"""

from __future__ import annotations

import os
import time

from django.db import DatabaseError
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

REQUEST_LATENCY = Histogram(
    "styrkort_http_request_duration_seconds",
    "Time from the request reaching Django to the response leaving it.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
RESPONSES = Counter(
    "styrkort_http_responses_total",
    "Responses by status class (2xx, 3xx, 4xx, 5xx).",
    ["method", "status_class"],
)
# The classic text format every Prometheus version reads (two registries are concatenated, which
# OpenMetrics, with its single "# EOF", would not allow).
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class MetricsMiddleware:
    """Times every request and counts its response; a view's URL name labels the latency.

    Labels stay few: the URL name (not the path, which holds ids), or "-" for requests no view
    answered (static files, 404s).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in METHODS else "other"
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "-") if match else "-"
        REQUEST_LATENCY.labels(method, view).observe(time.perf_counter() - started)
        RESPONSES.labels(method, f"{response.status_code // 100}xx").inc()
        return response


class DatabaseCollector(Collector):
    """Figures read from the database at scrape time: the job queue, the workers' heartbeats and
    job counts, and the last Kolada sync."""

    def collect(self):
        from core.jobs import queue_state, workers_alive, workers_seen
        from kolada.models import SyncRun

        up = GaugeMetricFamily("styrkort_database_up", "1 if the database answered the scrape.")
        try:
            state = queue_state()
            alive = workers_alive()
            workers = workers_seen() or []
            last_ok = SyncRun.objects.succeeded().order_by("-started_at").first()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        if state["ready"] is not None:
            depth = GaugeMetricFamily(
                "styrkort_task_queue_depth",
                "Jobs in the queue: ready to run, scheduled for later (a retry), running.",
                labels=["state"],
            )
            depth.add_metric(["ready"], state["ready"])
            depth.add_metric(["scheduled"], state["scheduled"])
            depth.add_metric(["running"], state["running"])
            yield depth
            yield GaugeMetricFamily(
                "styrkort_task_oldest_ready_age_seconds",
                "How long the oldest job that waits for a worker has waited (0 when none).",
                value=state["oldest_ready_seconds"] or 0,
            )
            yield GaugeMetricFamily(
                "styrkort_task_oldest_running_age_seconds",
                "How long the longest-running job has run (0 when none runs); a stuck job grows.",
                value=state["oldest_running_seconds"] or 0,
            )
        if alive is not None:
            yield GaugeMetricFamily(
                "styrkort_workers_up",
                "Workers whose heartbeat is younger than WORKER_STALE_AFTER seconds.",
                value=alive,
            )
        yield from worker_families(workers)
        if last_ok and last_ok.finished_at:
            yield GaugeMetricFamily(
                "styrkort_kolada_last_success_timestamp_seconds",
                "When the last successful Kolada sync finished (Unix time).",
                value=last_ok.finished_at.timestamp(),
            )


def worker_families(workers):
    """Per worker (``core.jobs.workers_seen``: not stopped on purpose, heard from within a day):
    its last heartbeat and its job counters. The counters live in the worker's row, so every app
    server reports the same."""
    seen = GaugeMetricFamily(
        "styrkort_worker_last_seen_timestamp_seconds",
        "When the worker last wrote its heartbeat (Unix time).",
        labels=["worker"],
    )
    counters = {
        field: CounterMetricFamily(f"styrkort_jobs_{name}", text, labels=["worker"])
        for field, name, text in [
            ("jobs_run", "run", "Jobs the worker finished (done or failed)."),
            ("jobs_failed", "failed", "Jobs the worker recorded as failed."),
            ("jobs_retried", "retried", "Jobs run again: a retry, or a job a dead worker left."),
        ]
    }
    for worker in workers:
        seen.add_metric([worker.worker_id], worker.last_seen.timestamp())
        for field, family in counters.items():
            family.add_metric([worker.worker_id], getattr(worker, field))
    yield seen
    yield from counters.values()


def exposition() -> bytes:
    """The text every scrape gets: this server's request metrics (all its workers) and the
    database figures."""
    database = CollectorRegistry()
    database.register(DatabaseCollector())
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    return generate_latest(requests) + generate_latest(database)
