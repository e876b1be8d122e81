"""Files that take long to make (PDF, Word) are made by the worker, never in a request.

A download asks for a file by its *content key*: a hash of everything the file is made of (the
report's HTML or document, the renderer's version, the Word template). The worker stores the file
in Django's default cache (the database: every app server and the worker share it) under that key.
So a download either hands out the stored file, or queues the job and answers with a page that
says the file is being made ("PDF:en tas fram …"), which refreshes itself (an HTTP ``Refresh``
header: no JavaScript needed) and links to the file once it is there. A report changed after its
file was made has a new key: the old file is never handed out for it, a new one is made.

Beside the file, the key's *state* tells the page what became of the job: queued, running,
failed (with the reason) or done. A job writes its state itself, so the page knows without
asking the queue; the immediate backend (tests, a demo without a worker) has made the file by
the time ``enqueue`` returns, and the download then hands it out at once.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.jobs import workers_alive

logger = logging.getLogger(__name__)

CACHE_SECONDS = 7 * 24 * 3600  # as reports.pdf: the key is the content, this only bounds space
# A job queued or running this long belonged to a worker that died without recovery, or to a
# queue nobody serves: the next download queues it again.
STUCK = timedelta(minutes=30)
WAIT = "vanta"  # the query parameter of the waiting page (the download itself has none)
REFRESH_SECONDS = 3

QUEUED, RUNNING, FAILED, DONE = "queued", "running", "failed", "done"


def content_key(namespace: str, *parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return f"{namespace}:{digest.hexdigest()}"


def fetch(key: str) -> bytes | None:
    try:
        return cache.get(key)
    except Exception:  # a cache that fails costs time, not the download
        logger.warning("File cache unavailable for %s", key, exc_info=True)
        return None


def store(key: str, data: bytes) -> None:
    try:
        cache.set(key, data, CACHE_SECONDS)
    except Exception:
        logger.warning("File cache unavailable; %s not stored", key, exc_info=True)


def state(key: str) -> dict | None:
    try:
        return cache.get(f"{key}:job")
    except Exception:
        return None


def set_state(key: str, status: str, *, error: str = "") -> dict | None:
    """The state stored; ``None`` when the cache cannot store it."""
    value = {"status": status, "error": error, "at": timezone.now()}
    try:
        cache.set(f"{key}:job", value, CACHE_SECONDS)
    except Exception:
        logger.warning("File cache unavailable; state of %s not stored", key, exc_info=True)
        return None
    return value


def tracked(func: Callable) -> Callable:
    """For a job that makes a file: it takes ``key`` (the key the download waits on; empty when
    the job was queued for another reason, e.g. completing a report) and its state under that key
    follows the job. Put it under ``@retrying``: a retry marks the key running again.

    ``language``: the language of the request that queued it. The file is made in it, so it is
    the file the key was computed for: made in the site's language instead, an English reader's
    file went under another key and the page waiting for it queued the job again and again."""

    @functools.wraps(func)
    def run(*args, key: str = "", language: str = "", **kwargs):
        if key:
            set_state(key, RUNNING)
        try:
            with translation.override(language or None):
                result = func(*args, **kwargs)
        except Exception as error:
            if key:
                set_state(key, FAILED, error=f"{type(error).__name__}: {error}"[:300])
            raise
        if key:
            # Done, even when the content changed while the job waited and so the file went
            # under another key: the download then finds no file and queues a new job.
            set_state(key, DONE)
        return result

    return run


@dataclass
class Download:
    """One file a page offers: how to find it and how to have it made."""

    key: str
    filename: str
    content_type: str
    # Queues the job that makes the file, passing on ``key=`` and ``language=`` (see tracked).
    queue: Callable[..., object]
    what: str  # "PDF:en", "Word-filen"
    back_url: str
    inline: bool = False
    # Called when the file itself is handed out (not for the waiting page, which refreshes every
    # few seconds): e.g. the audit log's record of an export.
    on_serve: Callable[[], None] | None = None


def respond(request: HttpRequest, download: Download) -> HttpResponse:
    """The stored file, or the page that waits for it (queuing the job when none is on the way).

    ``?vanta=1`` is the waiting page itself: it never queues a job again after one failed (that
    takes the visitor's "Försök igen", the plain download link)."""
    waiting = bool(request.GET.get(WAIT))
    data = fetch(download.key)
    if data is None:
        current = state(download.key)
        if _should_queue(current, waiting):
            current = _queue(download)
            data = fetch(download.key)  # an immediate backend has made it already
        if data is None:
            return _page(request, download, current)
    if waiting:
        return _page(request, download, {"status": DONE})
    if download.on_serve:
        download.on_serve()
    response = HttpResponse(data, content_type=download.content_type)
    disposition = "inline" if download.inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{download.filename}"'
    return response


def _should_queue(current: dict | None, waiting: bool) -> bool:
    if current is None or current["status"] == DONE:
        return True
    if current["status"] == FAILED:
        return not waiting
    return timezone.now() - current["at"] > STUCK


def _queue(download: Download) -> dict:
    """Queue the job; the state the page shows next."""
    if set_state(download.key, QUEUED) is None:
        # Where the state cannot be kept, the file could not be either: the page would wait
        # for ever. It says so instead, and nothing is queued.
        return {"status": FAILED, "error": _("Filförrådet (cachetabellen) går inte att nå.")}
    try:
        download.queue(key=download.key, language=translation.get_language() or "")
    except Exception as error:  # no queue: the page says so rather than waiting for ever
        logger.exception("Could not queue the job for %s", download.key)
        set_state(download.key, FAILED, error=f"{type(error).__name__}: {error}"[:300])
    return state(download.key) or {"status": QUEUED}


def _page(request: HttpRequest, download: Download, current: dict | None) -> HttpResponse:
    status = (current or {}).get("status", QUEUED)
    context = {
        "download": download,
        "status": status,
        "error": (current or {}).get("error", ""),
        "file_url": request.path,
        "wait_url": f"{request.path}?{WAIT}=1",
        "title": {
            DONE: _("%(what)s är klar") % {"what": download.what},
            FAILED: _("%(what)s kunde inte tas fram") % {"what": download.what},
        }.get(status, _("%(what)s tas fram …") % {"what": download.what}),
    }
    pending = status in (QUEUED, RUNNING)
    # A queue nobody works through would leave the page waiting for ever without a word.
    context["no_worker"] = pending and workers_alive() == 0
    response = render(request, "reports/preparing.html", context, status=202 if pending else 200)
    if pending:
        response["Refresh"] = f"{REFRESH_SECONDS}; url={context['wait_url']}"
    response["Cache-Control"] = "no-store"
    return response
