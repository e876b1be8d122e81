"""Kolada sync: actual values for every Kolada-linked indicator, for the city's root unit.

``kolada_sync`` is a plain function so the command, the admin page and (later) a task queue all
call the same thing. One run is all or nothing: everything is fetched first, then written in one
transaction, and a failure on the way leaves the data as it was and a failed ``SyncRun`` with a
Swedish message. The next run asks for changes since the last *successful* run.

Rules for each yearly value (month 12, gender T) of our municipality:

* a value Kolada does not have (``null``) is skipped;
* a new value is added and a revised one updated with ``.save()``, so the history shows old → new;
* a value Kolada deletes (``isdeleted``) is removed if Kolada put it there;
* a value a person entered (manual, file, API) is never overwritten: a differing Kolada value
  becomes a ``SyncConflict`` that an administrator settles. So is a write the one write path
  (``measurements_save``) refuses, e.g. in a locked period.

Kolada faults are named, never silently skipped: an empty or failed answer about the KPIs or the
comparison group fails the run with that reason. A written value that jumps far from its series
(``kolada.jumps``) is listed in the report under "Granska" for a person to check.

The sync also caches every value it fetches (all genders, our municipality, the comparison group
and Riket) in ``KoladaValue`` for the benchmark pages.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.numbers import format_number
from core.site import site_settings
from followup.entry import RowInput, measurements_save
from followup.models import Measurement
from organisation.models import OrgUnit, UnitKind
from scorecards.models import Indicator, Source

from .benchmark import cache_store, comparison_group_id, group_record, group_store, quantize
from .client import KoladaClient, KoladaDatum, KoladaError, chunks
from .jumps import jumps
from .models import SyncConflict, SyncRun
from .runs import BUSY, RunProgress, claim

log = logging.getLogger(__name__)

RIKET = "0000"
YEARLY = 12  # a yearly value is stored as the period ending in December
PERSON_SOURCES = (Source.MANUAL, Source.FILE, Source.API)


class SyncError(Exception):
    """A sync that cannot run for a reason other than Kolada itself; a Swedish message."""


@dataclass
class SyncReport:
    run: SyncRun | None = None
    added: int = 0
    changed: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    conflicts: int = 0
    flagged: int = 0  # written values that jump far from their series (named in ``lines``)
    lines: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error

    def summary(self) -> str:
        if self.error:
            return _(
                "Synkroniseringen misslyckades: %(error)s Ingenting sparades; nästa körning "
                "fortsätter från den senaste lyckade."
            ) % {"error": self.error}
        text = _(
            "Klart: %(added)d nya, %(changed)d ändrade, %(deleted)d borttagna, "
            "%(unchanged)d oförändrade, %(skipped)d överhoppade, %(conflicts)d i konflikt."
        ) % vars(self)
        if self.flagged:
            text += " " + ngettext(
                "%(n)d värde avviker kraftigt från sin serie; granska det i rapporten.",
                "%(n)d värden avviker kraftigt från sina serier; granska dem i rapporten.",
                self.flagged,
            ) % {"n": self.flagged}
        return text


def sync_unit() -> OrgUnit | None:
    """The unit Kolada's municipality figures belong to: the kommun with our Kolada id, else the
    root of the organisation."""
    ours = site_settings().kolada_id
    kommun = (
        OrgUnit.objects.filter(kolada_id=ours, kind=UnitKind.MUNICIPALITY).order_by("pk").first()
        if ours
        else None
    )
    return kommun or OrgUnit.objects.roots().order_by("order", "pk").first()


def kolada_sync(
    *,
    from_date: date | None = None,
    full: bool = False,
    progress: Callable[[str], None] | None = None,
    client: KoladaClient | None = None,
    user=None,
    run: SyncRun | None = None,
    job_id: str = "",
) -> SyncReport:
    """Fetch and store Kolada values; returns what happened (``report.summary()`` in words).

    Kolada failures do not raise: they give a failed run and ``report.error``. ``progress`` gets
    a line for each step while the sync runs; the run's row shows the same as it goes
    (``kolada.runs.RunProgress``).

    ``from_date`` asks Kolada for changes since that day; without it the sync continues from
    the last successful run (or fetches everything the first time, or with ``full``).
    ``run``: a queued run to carry out (the page queued it); ``job_id``: the background job
    doing it, so a later attempt of the same job knows the earlier one died.
    """
    say = progress or (lambda line: None)
    report = SyncReport()
    run = claim(run, user=user, job_id=job_id)
    if run == BUSY:
        report.error = _("En synkronisering pågår redan. Vänta tills den är klar.")
        return report
    report.run = run
    own_client = client is None
    client = client or KoladaClient()
    status = SyncRun.Status.FAILED
    try:
        with RunProgress(run, report) as tracker:
            _run(run, report, client, from_date=from_date, full=full, say=say, tracker=tracker)
        status = SyncRun.Status.SUCCEEDED
    except (KoladaError, SyncError, DatabaseError) as error:
        report.error = (
            str(error)
            if not isinstance(error, DatabaseError)
            else _("Databasfel: %(error)s") % {"error": error}
        )
    except Exception as error:
        report.error = _("Oväntat fel: %(error)s") % {"error": error}
        _finish(run, report, SyncRun.Status.FAILED)
        log.exception("Kolada sync failed")
        raise
    except (KeyboardInterrupt, SystemExit):  # the worker was told to stop at once
        report.error = _("Körningen avbröts: arbetaren stoppades. Ingenting sparades.")
        _finish(run, report, SyncRun.Status.FAILED)
        raise
    finally:
        if own_client:
            client.close()
    _finish(run, report, status)
    return report


def _finish(run: SyncRun, report: SyncReport, status: str) -> None:
    run.status = status
    run.finished_at = timezone.now()
    if status == SyncRun.Status.FAILED:
        # Counts describe what was written; a failed run wrote nothing.
        report.added = report.changed = report.deleted = report.unchanged = 0
        report.skipped = report.conflicts = 0
    for name in ("added", "changed", "deleted", "unchanged", "skipped", "conflicts"):
        setattr(run, name, getattr(report, name))
    run.error = report.error
    run.log = "\n".join(report.lines)
    run.phase = SyncRun.Phase.DONE
    run.values_written = report.added + report.changed + report.deleted
    run.heartbeat_at = run.finished_at
    run.save()


def _run(
    run: SyncRun, report: SyncReport, client: KoladaClient, *, from_date, full, say, tracker
) -> None:
    def note(line: str) -> None:
        report.lines.append(line)
        say(line)
        tracker.touch()

    indicators = list(Indicator.objects.exclude(kolada_kpi="").order_by("kolada_kpi", "name"))
    if not indicators:
        note(_("Inga mätetal är kopplade till Kolada; ingenting att hämta."))
        return
    unit = sync_unit()
    if unit is None:
        raise SyncError(_("Det finns ingen organisationsenhet att spara Kolada-värdena på."))
    ours = site_settings().kolada_id
    if not ours:
        raise SyncError(_("Inställningen MUNICIPALITY_KOLADA_ID saknas."))
    by_kpi: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_kpi[indicator.kolada_kpi.strip().upper()].append(indicator)

    note(_("Kontrollerar %(n)d KPI:er hos Kolada …") % {"n": len(by_kpi)})
    known = _known_kpis(client, sorted(by_kpi))
    for kpi in sorted(set(by_kpi) - known):
        names = ", ".join(i.name for i in by_kpi[kpi])
        note(_("Okänd KPI %(kpi)s (%(names)s) hoppas över.") % {"kpi": kpi, "names": names})
        report.skipped += len(by_kpi.pop(kpi))
    tracker.update(phase=SyncRun.Phase.FETCHING, kpis_total=len(by_kpi), kpis_done=0)

    group = _comparison_group(client, note)
    members = [
        str(m["member_id"]) for m in (group or {}).get("members") or [] if m.get("member_id")
    ]
    municipalities = list(dict.fromkeys([ours, *members, RIKET]))
    plan = _plan(sorted(by_kpi), municipalities, from_date=from_date, full=full)
    run.scope = {"kpis": sorted(by_kpi), "municipalities": municipalities}
    run.from_date = next((d for d in plan if d), None)
    rows: list[KoladaDatum] = []
    for since, kpis in plan.items():
        if since:
            note(
                _("Hämtar ändringar sedan %(date)s för %(kpis)s …")
                % {"date": since.isoformat(), "kpis": ", ".join(kpis)}
            )
        else:
            note(_("Hämtar alla värden för %(kpis)s …") % {"kpis": ", ".join(kpis)})
        for part in chunks(kpis):  # the client's own chunks: the same requests, done in parts
            rows += client.data(
                kpis=part,
                municipalities=municipalities,
                from_date=since,
                on_page=lambda n: _page_fetched(n, say, tracker),
            )
            tracker.add("kpis_done", len(part))
    note(_("%(n)d värden hämtade från Kolada.") % {"n": len(rows)})
    tracker.update(phase=SyncRun.Phase.WRITING, kpis_done=0)

    with transaction.atomic():
        if group:
            group_store(group)
        cache_store(rows)
        mine = [r for r in rows if r.municipality == ours and r.gender == "T"]
        for kpi, kpi_indicators in by_kpi.items():
            values = [r for r in mine if r.kpi == kpi]
            for indicator in kpi_indicators:
                _apply_indicator(run, report, indicator, unit, values, note)
            tracker.add("kpis_done", 1)


def _page_fetched(n: int, say, tracker) -> None:
    say(_("  sida hämtad: %(n)d rader") % {"n": n})
    tracker.add("rows_fetched", n)


def _known_kpis(client: KoladaClient, kpis: list[str]) -> set[str]:
    """The ids among ``kpis`` that Kolada knows. An answer that fails, or knows none of them,
    stops the run: skipping every KPI would end in a run that looks successful and did nothing."""
    try:
        records = client.kpis(kpis)
    except KoladaError as error:
        raise SyncError(
            _("Uppgifterna om KPI:erna kunde inte hämtas från Kolada: %(reason)s")
            % {"reason": error}
        ) from error
    known = {str(k.get("id", "")).upper() for k in records if isinstance(k, dict)}
    if not known & set(kpis):
        raise SyncError(
            _(
                "Kolada svarade utan uppgifter om någon av KPI:erna %(kpis)s, så ingenting "
                "hämtades. Kontrollera kopplingarna till Kolada och försök igen senare."
            )
            % {"kpis": ", ".join(kpis)}
        )
    return known


def _comparison_group(client: KoladaClient, note) -> dict | None:
    """The comparison group's record from Kolada (its members go into the benchmark cache).

    A configured group Kolada does not answer for, or answers for without members, stops the
    run: the benchmark pages would otherwise quietly lose every comparison municipality."""
    group_id = comparison_group_id()
    if not group_id:
        return None
    note(_("Hämtar jämförelsegruppen %(group)s …") % {"group": group_id})
    try:
        records = client.municipality_groups([group_id])
    except KoladaError as error:
        raise SyncError(
            _("Jämförelsegruppen %(group)s kunde inte hämtas från Kolada: %(reason)s")
            % {"group": group_id, "reason": error}
        ) from error
    group = group_record(records, group_id)
    if group is None:
        raise SyncError(
            _(
                "Kolada svarade utan jämförelsegruppen %(group)s. Kontrollera inställningen "
                "KOLADA_COMPARISON_GROUP."
            )
            % {"group": group_id}
        )
    if not any(isinstance(m, dict) and m.get("member_id") for m in group.get("members") or []):
        raise SyncError(
            _("Kolada svarade att jämförelsegruppen %(group)s saknar medlemmar.")
            % {"group": group_id}
        )
    return group


def _plan(kpis: list[str], municipalities: list[str], *, from_date, full) -> dict:
    """{from_date or None: [kpi, …]}: KPIs the last successful run covered continue from its
    start; new KPIs (or a new set of municipalities) are fetched in full."""
    if full:
        return {None: kpis}
    if from_date:
        return {from_date: kpis}
    last = SyncRun.objects.succeeded().order_by("-started_at").first()
    if last is None:
        return {None: kpis}
    covered = set(last.scope.get("kpis", []))
    same_places = set(municipalities) <= set(last.scope.get("municipalities", []))
    since = timezone.localdate(last.started_at)
    plan: dict = {}
    for kpi in kpis:
        plan.setdefault(since if kpi in covered and same_places else None, []).append(kpi)
    return plan


def _apply_indicator(run, report, indicator, unit, values: list[KoladaDatum], note) -> None:
    """Store one indicator's yearly values: add, revise, delete, or record a conflict."""
    current = {
        m.year: m for m in Measurement.objects.filter(indicator=indicator, unit=unit, month=YEARLY)
    }
    open_conflicts = {
        c.year: c
        for c in SyncConflict.objects.open().filter(indicator=indicator, unit=unit, month=YEARLY)
    }
    before = (report.added, report.changed, report.deleted, report.conflicts)
    writes: dict[int, tuple[Decimal | None, Measurement | None]] = {}
    for datum in sorted(values, key=lambda d: d.year):
        year, existing = datum.year, current.get(datum.year)
        value = None if datum.is_deleted or datum.value is None else quantize(datum.value)
        if datum.is_deleted:
            if existing is None:
                report.unchanged += 1
            elif existing.source == Source.KOLADA:
                writes[year] = (None, existing)
            else:
                report.skipped += 1
                note(
                    _("%(name)s %(year)s: Kolada tog bort sitt värde; det inmatade värdet behålls.")
                    % {"name": indicator.name, "year": year}
                )
            _settle(open_conflicts.get(year))
            continue
        if value is None:
            report.skipped += 1
            continue
        if existing is not None and existing.value == value:
            report.unchanged += 1
            _settle(open_conflicts.get(year))
            continue
        if existing is not None and existing.source in PERSON_SOURCES:
            reason = _("Värdet är inmatat av en person (%(source)s).") % {
                "source": existing.get_source_display()
            }
            _conflict(run, report, indicator, unit, year, value, existing, reason, open_conflicts)
            continue
        writes[year] = (value, existing)
    flags = _jumps(indicator, current, writes)
    for year, (value, existing) in sorted(writes.items()):
        _write(run, report, indicator, unit, year, value, existing, open_conflicts)
    added, changed, deleted, conflicts = (
        report.added - before[0],
        report.changed - before[1],
        report.deleted - before[2],
        report.conflicts - before[3],
    )
    if added or changed or deleted or conflicts:
        note(
            _("%(kpi)s %(name)s: %(added)d nya, %(changed)d ändrade, %(deleted)d borttagna, %(c)s")
            % {
                "kpi": indicator.kolada_kpi,
                "name": indicator.name,
                "added": added,
                "changed": changed,
                "deleted": deleted,
                "c": ngettext("%(n)d konflikt.", "%(n)d konflikter.", conflicts) % {"n": conflicts},
            }
        )
    for line in flags:
        report.flagged += 1
        note(line)


def _jumps(indicator, current: dict, writes: dict) -> list[str]:
    """Report lines for the values about to be written that jump far from the series they
    join (the stored yearly values with this run's writes applied)."""
    series = {year: m.value for year, m in current.items() if m.value is not None}
    for year, (value, _existing) in writes.items():
        if value is None:
            series.pop(year, None)
        else:
            series[year] = value
    number = lambda v: format_number(v, indicator.decimals)  # noqa: E731
    lines = []
    for jump in jumps(series, [y for y, (v, _e) in writes.items() if v is not None]):
        span = number(jump.low)
        if jump.high != jump.low:
            span += "–" + number(jump.high)
        lines.append(
            _(
                "Granska: %(kpi)s %(name)s %(year)s är %(value)s, långt från åren runt omkring "
                "(%(span)s). Värdet är sparat; jämför med Kolada och rätta vid behov."
            )
            % {
                "kpi": indicator.kolada_kpi,
                "name": indicator.name,
                "year": jump.year,
                "value": number(jump.value),
                "span": span,
            }
        )
        log.warning("Kolada value jumps: %s %s %s", indicator.kolada_kpi, jump.year, jump.value)
    return lines


def _write(run, report, indicator, unit, year, value, existing, open_conflicts) -> None:
    """One value through the one write path; what it refuses becomes a conflict."""
    result = measurements_save(
        unit=unit,
        year=year,
        month=YEARLY,
        inputs=[
            RowInput(
                indicator_id=indicator.pk,
                value="" if value is None else str(value),
                comment=existing.comment if existing else "",
                version=existing.version if existing else 0,
            )
        ],
        user=None,
        source=Source.KOLADA,
        allowed={indicator.pk: indicator},
    )
    if result.errors:
        reason = result.errors[indicator.pk]
        _conflict(run, report, indicator, unit, year, value, existing, reason, open_conflicts)
        return
    report.added += result.created
    report.changed += result.updated
    report.deleted += result.deleted
    _settle(open_conflicts.get(year))


def _conflict(run, report, indicator, unit, year, value, existing, reason, open_conflicts) -> None:
    report.conflicts += 1
    current_value = existing.value if existing else None
    current_source = existing.source if existing else ""
    conflict = open_conflicts.get(year)
    if conflict is None:
        decided = SyncConflict.objects.filter(
            indicator=indicator,
            unit=unit,
            year=year,
            month=YEARLY,
            resolved=True,
            resolution=SyncConflict.Resolution.KEPT,
            kolada_value=value,
            current_value=current_value,
        ).exists()
        if decided:  # an administrator already chose to keep this value against this figure
            report.conflicts -= 1
            report.skipped += 1
            return
        conflict = SyncConflict(indicator=indicator, unit=unit, year=year, month=YEARLY)
    conflict.run = run
    conflict.kolada_value = value
    conflict.current_value = current_value
    conflict.current_source = current_source
    conflict.reason = reason
    conflict.save()
    open_conflicts[year] = conflict


def _settle(conflict: SyncConflict | None) -> None:
    """An open conflict Kolada's latest answer makes moot (values agree, or Kolada withdrew)."""
    if conflict is None:
        return
    conflict.resolved = True
    conflict.resolution = SyncConflict.Resolution.OBSOLETE
    conflict.resolved_at = timezone.now()
    conflict.save(update_fields=["resolved", "resolution", "resolved_at"])


def conflict_resolve(*, conflict: SyncConflict, accept: bool, user, version: int | None) -> str:
    """Settle a conflict; returns "" or a Swedish error. Accepting writes Kolada's value through
    the one write path, so locks and concurrent edits are respected."""
    if conflict.resolved:
        return _("Konflikten är redan avgjord.")
    with transaction.atomic():
        if accept:
            result = measurements_save(
                unit=conflict.unit,
                year=conflict.year,
                month=conflict.month,
                inputs=[
                    RowInput(
                        indicator_id=conflict.indicator_id,
                        value="" if conflict.kolada_value is None else str(conflict.kolada_value),
                        comment=_current_comment(conflict),
                        version=version,
                    )
                ],
                user=user,
                source=Source.KOLADA,
                allowed={conflict.indicator_id: conflict.indicator},
            )
            if result.errors:
                return result.errors[conflict.indicator_id]
        conflict.resolved = True
        conflict.resolution = (
            SyncConflict.Resolution.ACCEPTED if accept else SyncConflict.Resolution.KEPT
        )
        conflict.resolved_by = user
        conflict.resolved_at = timezone.now()
        conflict.save()
    return ""


def _current_comment(conflict: SyncConflict) -> str:
    m = Measurement.objects.filter(
        indicator_id=conflict.indicator_id,
        unit=conflict.unit,
        year=conflict.year,
        month=conflict.month,
    ).first()
    return m.comment if m else ""


def last_success() -> SyncRun | None:
    return SyncRun.objects.succeeded().order_by("-started_at").first()
