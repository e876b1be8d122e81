"""gunicorn settings for Styrkort: ``gunicorn -c gunicorn.conf.py config.wsgi`` (``make serve``).

Everything a city changes comes from the environment:

* ``BIND`` (default ``127.0.0.1:$PORT``, ``PORT`` default 8000) – behind the reverse proxy;
* ``WEB_CONCURRENCY`` – worker processes; default 2 × cores + 1, at most 8. Each worker keeps one
  database connection open, so servers × workers must stay below PostgreSQL's max_connections;
* ``GUNICORN_TIMEOUT`` (default 60 s) – a request running longer is stopped;
* ``FORWARDED_ALLOW_IPS`` (gunicorn's own, default 127.0.0.1) – proxies trusted for X-Forwarded-*.

Logs are JSON lines (core/logging.py) on stderr; there is no gunicorn access log, since Django
writes one line per request with its request id (core.middleware.RequestIdMiddleware).
"""

import os
import shutil
import tempfile

_cores = os.cpu_count() or 1

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * _cores + 1, 8))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so a slow leak cannot grow without bound.
max_requests = 2000
max_requests_jitter = 200
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
proc_name = "styrkort"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "core.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
    },
}

# Metrics of all workers of this server added up (core/metrics.py): prometheus-client keeps
# them in files in this folder, which must be empty when the server starts.
_own_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="styrkort-metrics-")

# Imported here, with the folder set, not inside child_exit: gunicorn calls that hook from its
# SIGCHLD handler, and a second worker exiting during the first import re-entered it and found
# the module half-imported (AttributeError at every shutdown of the load test).
from prometheus_client import multiprocess  # noqa: E402


def on_starting(server):
    folder = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        if name.endswith(".db"):
            os.remove(os.path.join(folder, name))


def child_exit(server, worker):
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
