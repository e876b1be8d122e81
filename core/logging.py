"""Structured logs: one JSON object per line, each carrying the id of the request it belongs to.

A log collector (journald, Loki, Elastic, Splunk…) reads one line per record, and the request id
ties together everything one request logged, also across the reverse proxy when it passes
``X-Request-ID`` on. The id lives in a ``ContextVar``: set by ``RequestIdMiddleware`` for the
duration of a request, empty outside one (the worker, management commands).
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str] = ContextVar("request_id", default="")

# An id from outside is logged, so it must be short and harmless: letters, digits, . _ -.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")

# Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged too.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def new_request_id(incoming: str | None = None) -> str:
    """The incoming id if it is safe to log, else a fresh one."""
    if incoming and _VALID_ID.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", …extra, "exc_info"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
