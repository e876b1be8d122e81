import base64
import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from organisation import access

from . import jobs

log = logging.getLogger(__name__)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, except that a page that failed because the database did not answer (a
    restart, a failover) gets 503 with ``Retry-After``: it will work again, and a proxy or a
    browser may try again. (The API answers the same as problem details, api/exceptions.py.)"""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # No request context: its processors would ask the database again.
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request)


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. It asks nothing of the database, so an outage there does
    not make a supervisor restart app servers that are fine; ``/readyz`` asks the database."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: the database answers and the job queue can be read. 200 or 503.

    A load balancer sends requests only to servers that answer 200 here. The body also says
    whether a worker is alive (``worker``: ``ok`` or ``down``, by its heartbeat), but a dead
    worker does not take the app servers out of the balancer: they can still serve every page.
    ``/readyz/worker`` answers 503 for that, for a monitor to call.
    """
    body: dict = {"status": "ok", "database": "ok", "queue": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready", never a 500 page
        body.update(status="error", database=exc.__class__.__name__, queue="unknown")
        return JsonResponse(body, status=503)
    try:
        state = jobs.queue_state()
    except Exception as exc:
        body.update(status="error", queue=exc.__class__.__name__)
        return JsonResponse(body, status=503)
    body["queue_backend"] = state["backend"]
    if state["ready"] is not None:
        body["queue_depth"] = state["ready"]
    try:
        workers = jobs.workers_alive()
    except Exception:  # noqa: BLE001 - reported, but no reason to take this server out
        log.exception("Could not read the workers' heartbeats")
        body["worker"] = "unknown"
    else:
        if workers is not None:
            body["worker"] = "ok" if workers else "down"
    return JsonResponse(body)


@require_safe
@never_cache
def readyz_worker(request: HttpRequest) -> JsonResponse:
    """200 while at least one worker's heartbeat is fresh, else 503 (also when the database does
    not answer, since then no heartbeat can be read)."""
    try:
        workers = jobs.workers_alive()
    except Exception as exc:  # noqa: BLE001 - the database is down: no worker can be seen
        return JsonResponse({"worker": "unknown", "database": exc.__class__.__name__}, status=503)
    if workers is None:
        return JsonResponse({"worker": "not used"})
    return JsonResponse({"worker": "ok" if workers else "down", "workers_up": workers},
                        status=200 if workers else 503)  # fmt: skip


@require_safe
@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for a scraper that sends ``Authorization: Bearer METRICS_TOKEN``
    or connects from an address in ``METRICS_ALLOWED_IPS``; without either setting, nobody."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    by_token = bool(token) and constant_time_compare(sent, f"Bearer {token}")
    by_address = request.META.get("REMOTE_ADDR") in settings.METRICS_ALLOWED_IPS
    if not (by_token or by_address):
        if not token:
            raise Http404
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    from .metrics import CONTENT_TYPE, exposition

    return HttpResponse(exposition(), content_type=CONTENT_TYPE)


@login_required
@never_cache
def ops_status(request: HttpRequest) -> HttpResponse:
    """Drift: the queue, recent jobs and the last Kolada sync; administrators queue jobs here."""
    access.require(access.can_operate(request.user))
    if request.method == "POST":
        name = request.POST.get("job", "")
        if name in jobs.JOBS:
            result = jobs.enqueue_job(name)
            messages.success(
                request,
                _("%(job)s är köat. Arbetaren kör det strax.") % {"job": _(jobs.JOBS[name][1])},
            )
            log.info("Job %s queued from the operations page", name, extra={"job_id": result.id})
        return redirect("ops_status")
    from kolada.models import SyncRun
    from kolada.runs import close_dead_runs

    close_dead_runs()  # a sync whose worker died shows as failed here too, not as running
    runs = SyncRun.objects.select_related("started_by")
    context = {
        "queue": jobs.queue_state(),
        "workers": jobs.workers_seen(),
        "recent": jobs.recent_jobs(limit=25),
        "last_run": runs.first(),
        "last_success": runs.succeeded().first(),
        "jobs": [(name, _(label)) for name, (path, label) in jobs.JOBS.items()],
    }
    return render(request, "core/ops_status.html", context)


@login_required
@require_safe
def ops_job_file(request: HttpRequest, pk) -> HttpResponse:
    """The file a finished job made (a PDF report), kept in its result in the database."""
    access.require(access.can_operate(request.user))
    from django_tasks_db.models import DBTaskResult

    job = get_object_or_404(DBTaskResult, pk=pk, status="SUCCESSFUL")
    result = job.return_value if isinstance(job.return_value, dict) else {}
    if "file_base64" not in result:
        raise Http404
    response = HttpResponse(
        base64.b64decode(result["file_base64"]),
        content_type=result.get("content_type", "application/octet-stream"),
    )
    filename = result.get("filename", "fil").replace('"', "")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
