"""Kolada pages: the KPI picker, linking an indicator, sync status, conflicts and benchmarks."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.site import site_settings
from followup.models import Measurement
from organisation import access
from scorecards.models import Frequency, Indicator, Source

from .benchmark import (
    MAX_COMPARISON,
    RIKET,
    benchmark,
    comparison_default,
    comparison_group_id,
    municipality_choices,
    parse_municipalities,
)
from .charts import benchmark_svg, caption
from .models import KoladaKpi, KoladaValue, SyncConflict, SyncRun
from .refresh import close_stale_refreshes, latest, queue_refresh
from .runs import close_dead_runs, queue_sync
from .sync import conflict_resolve, sync_unit

PICKER_LIMIT = 50
HTMX_STOP_POLLING = 286  # htmx swaps the answer and stops polling
WAITING_HINT_AFTER = timedelta(minutes=2)  # a queued run still waiting: is the worker running?


def kpi_picker(request: HttpRequest) -> HttpResponse:
    """Search Kolada's KPI catalogue by title or id; from an indicator, link one to it."""
    q = request.GET.get("q", "").strip()[:200]
    indicator = None
    if request.GET.get("indicator", "").isdigit():
        indicator = Indicator.objects.filter(pk=request.GET["indicator"]).first()
    results, total = [], 0
    if q:
        found = KoladaKpi.objects.search(q)
        total = found.count()
        results = list(found[:PICKER_LIMIT])
    context = {
        "q": q,
        "results": results,
        "total": total,
        "limit": PICKER_LIMIT,
        "indicator": indicator,
        "can_link": indicator is not None and access.can_define_indicators(request.user),
        "catalogue_empty": not KoladaKpi.objects.exists(),
    }
    template = "kolada/kpi_picker.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_POST
@login_required
def indicator_link_kpi(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    access.require(access.can_define_indicators(request.user))
    kpi_id = request.POST.get("kpi", "").strip().upper()
    kpi = KoladaKpi.objects.filter(id=kpi_id).first()
    if kpi is None:
        messages.error(request, _("Kolada-KPI:n ”%(id)s” finns inte i katalogen.") % {"id": kpi_id})
        return redirect(f"{reverse('kpi_picker')}?indicator={indicator.pk}")
    indicator.kolada_kpi = kpi.id
    indicator.source = Source.KOLADA
    changes = ["kolada_kpi", "source"]
    if indicator.frequency != Frequency.YEARLY:
        indicator.frequency = Frequency.YEARLY  # Kolada publishes yearly figures
        changes.append("frequency")
    if not indicator.unit and kpi.unit:
        indicator.unit = kpi.unit[:40]
        changes.append("unit")
    indicator.save(update_fields=changes)
    text = _("%(name)s hämtar nu sina värden från Kolada-KPI %(id)s (%(title)s).") % {
        "name": indicator.name,
        "id": kpi.id,
        "title": kpi.title,
    }
    if "frequency" in changes:
        text += " " + _("Frekvensen är ändrad till år, eftersom Kolada publicerar årsvärden.")
    messages.success(request, text)
    return redirect(indicator.get_absolute_url())


@login_required
@never_cache
def sync_status(request: HttpRequest) -> HttpResponse:
    """Recent sync runs; an administrator queues a sync here and follows it as it runs.

    The sync runs in the background worker, never in the request: the page answers at once and
    shows the run's progress (HTMX polls every 2 s; without JavaScript a refresh link).
    """
    access.require(access.can_operate(request.user))
    if request.method == "POST":
        run, queued = queue_sync(user=request.user)
        if not queued:
            messages.info(request, _("En synkronisering är redan köad eller pågår; den visas här."))
        elif run.status == SyncRun.Status.QUEUED:
            messages.success(
                request, _("Synkroniseringen är köad. Sidan visar hur det går medan den körs.")
            )
        elif run.status == SyncRun.Status.FAILED:  # jobs run at once (TASKS_BACKEND=immediate)
            messages.error(request, _("Synkroniseringen misslyckades; orsaken står i rapporten."))
        return redirect(f"{reverse('sync_status')}?korning={run.pk}")
    close_dead_runs()
    runs = list(SyncRun.objects.select_related("started_by")[:20])
    shown = None
    if request.GET.get("korning", "").isdigit():
        shown = SyncRun.objects.filter(pk=request.GET["korning"]).first()
    shown = shown or (runs[0] if runs else None)
    latest = runs[0] if runs else None
    context = {
        "runs": runs,
        "shown": shown,
        "newer": latest
        if shown and latest and latest.pk != shown.pk and latest.is_active
        else None,
        "open_conflicts": SyncConflict.objects.open().count(),
        "linked": Indicator.objects.exclude(kolada_kpi="").count(),
        "unit": sync_unit(),
        "municipality": site_settings().kolada_id,
        "waiting_long": shown is not None
        and shown.status == SyncRun.Status.QUEUED
        and timezone.now() - shown.started_at > WAITING_HINT_AFTER,
    }
    if request.htmx:
        response = render(request, "kolada/sync_status.html#live", context)
        if shown is None or not shown.is_active:
            response.status_code = HTMX_STOP_POLLING
        return response
    return render(request, "kolada/sync_status.html", context)


@login_required
def sync_conflicts(request: HttpRequest) -> HttpResponse:
    """Values where Kolada and a person disagree; an administrator decides which one counts."""
    access.require(access.can_operate(request.user))
    if request.method == "POST":
        conflict = get_object_or_404(
            SyncConflict.objects.select_related("indicator", "unit"),
            pk=request.POST.get("conflict"),
        )
        action = request.POST.get("action")
        if action not in ("accept", "keep"):
            messages.error(request, _("Välj om Kolada-värdet ska användas eller inte."))
            return redirect("sync_conflicts")
        version = request.POST.get("version", "")
        error = conflict_resolve(
            conflict=conflict,
            accept=action == "accept",
            user=request.user,
            version=int(version) if version.isdigit() else None,
        )
        label = f"{conflict.indicator.name} {conflict.year}"
        if error:
            messages.error(request, f"{label}: {error}")
        elif action == "accept":
            messages.success(request, _("%(label)s: Kolada-värdet används nu.") % {"label": label})
        else:
            messages.success(
                request, _("%(label)s: det nuvarande värdet behålls.") % {"label": label}
            )
        return redirect("sync_conflicts")
    open_conflicts = list(SyncConflict.objects.open().select_related("indicator", "unit"))
    measurements = {
        (m.indicator_id, m.unit_id, m.year, m.month): m
        for m in Measurement.objects.filter(
            indicator_id__in={c.indicator_id for c in open_conflicts},
            unit_id__in={c.unit_id for c in open_conflicts},
            month=12,
        )
    }
    for c in open_conflicts:
        c.measurement = measurements.get((c.indicator_id, c.unit_id, c.year, c.month))
    resolved = list(
        SyncConflict.objects.filter(resolved=True)
        .select_related("indicator", "unit", "resolved_by")
        .order_by("-resolved_at")[:20]
    )
    context = {"conflicts": open_conflicts, "resolved": resolved}
    return render(request, "kolada/sync_conflicts.html", context)


def benchmark_page(request: HttpRequest, indicator_pk: int) -> HttpResponse:
    """Our municipality against comparable ones and Riket, year by year, from the cache."""
    indicator = get_object_or_404(Indicator, pk=indicator_pk)
    kpi_id = indicator.kolada_kpi.strip().upper()
    own = site_settings().kolada_id
    chosen, rejected = parse_municipalities(request.GET.getlist("m"))
    comparison = chosen or comparison_default()
    comparison = [m for m in comparison if m not in (own, RIKET)][:MAX_COMPARISON]
    can_refresh = access.can_define_indicators(request.user)
    query = f"?m={','.join(chosen)}" if chosen else ""
    if request.method == "POST":
        access.require(can_refresh)
        if kpi_id:
            _queue_benchmark_refresh(request, kpi_id, [own, *comparison, RIKET])
        return redirect(reverse("benchmark", args=[indicator.pk]) + query)
    refresh = None
    if can_refresh and kpi_id:
        close_stale_refreshes()
        refresh = latest(kpi_id)
    if request.htmx:  # the refresh's poll: its state, or once it is over the page anew
        response = render(request, "kolada/benchmark.html#refresh", {"refresh": refresh})
        if refresh is None or not refresh.is_active:
            response["HX-Refresh"] = "true"
        return response
    result = None
    chart = chart_caption = ""
    if kpi_id:
        result = benchmark(
            kpi=kpi_id, own=own, comparison=comparison, direction=indicator.direction
        )
        if result.has_data and result.tables:
            chart = benchmark_svg(
                title=_("%(name)s – jämförelse") % {"name": indicator.name},
                unit=indicator.unit,
                years=result.years,
                table=result.tables[0],
                decimals=indicator.decimals,
            )
            chart_caption = caption(result.tables[0])
    names = dict(municipality_choices())
    last_fetch = (
        KoladaValue.objects.filter(kpi=kpi_id).order_by("-fetched_at").first() if kpi_id else None
    )
    context = {
        "indicator": indicator,
        "kpi": KoladaKpi.objects.filter(id=kpi_id).first() if kpi_id else None,
        "kpi_id": kpi_id,
        "result": result,
        "chart": chart,
        "chart_caption": chart_caption,
        "comparison": comparison,
        "compared": [(m, names.get(m, m)) for m in comparison],
        "choices": municipality_choices(),
        "chosen": ",".join(chosen),
        "rejected": rejected,
        "group_id": comparison_group_id(),
        "can_refresh": can_refresh,
        "last_fetch": last_fetch.fetched_at if last_fetch else None,
        "refresh": refresh,
        "page_url": reverse("benchmark", args=[indicator.pk]) + query,
    }
    return render(request, "kolada/benchmark.html", context)


def _queue_benchmark_refresh(request: HttpRequest, kpi_id: str, municipalities: list[str]):
    """Queue the refresh; its outcome (values, or why it failed) is shown on the page itself,
    once, so no message repeats it."""
    refresh, queued = queue_refresh(kpi=kpi_id, municipalities=municipalities, user=request.user)
    if not queued:
        messages.info(
            request, _("En hämtning från Kolada för den här KPI:n är redan köad eller pågår.")
        )
    elif refresh.is_active:
        messages.success(
            request, _("Jämförelsen hämtas från Kolada … Sidan visar resultatet när den är klar.")
        )
