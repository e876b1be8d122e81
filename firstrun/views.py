"""The first-run setup: one small page per step, each skippable and revisitable.

Every step saves on its own and leads to the next; "Hoppa över" goes on without saving. The
overview (``/kom-igang/``) shows what each step has and marks the setup as done. Only
administrators of the whole municipality (``access.can_set_up``) reach these pages.
"""

import functools
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.models import SiteSettings
from core.site import site_settings
from followup.models import FollowUpOccasion
from organisation import access
from organisation.models import OrgUnit, UnitKind
from reports.forms import ImportForm
from reports.imports import ACTIONS, UNCHANGED, Plan
from scorecards.models import GoalProgramme, Perspective

from . import orgimport, services
from .forms import (
    CalendarForm,
    FirstUnitForm,
    MunicipalityForm,
    PerspectiveForm,
    ProgrammeForm,
    UnitKindsForm,
)
from .municipalities import municipality_guess

STEPS = [
    ("setup_municipality", gettext_lazy("Kommunen")),
    ("setup_kinds", gettext_lazy("Enhetstyper")),
    ("setup_units", gettext_lazy("Organisationen")),
    ("setup_perspectives", gettext_lazy("Perspektiv")),
    ("setup_programme", gettext_lazy("Målprogram")),
    ("setup_calendar", gettext_lazy("Uppföljningskalender")),
]
SESSION_KEY = "firstrun_tree_import"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def setup_view(view):
    @functools.wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        access.require(access.can_set_up(request.user))
        return view(request, *args, **kwargs)

    return wrapped


def _next_url(step: str) -> str:
    names = [name for name, _label in STEPS]
    index = names.index(step)
    return reverse(names[index + 1]) if index + 1 < len(names) else reverse("setup_start")


def _render_step(request, step: str, template: str, context: dict) -> HttpResponse:
    names = [name for name, _label in STEPS]
    context |= {
        "steps": [{"url": reverse(n), "label": label, "current": n == step} for n, label in STEPS],
        "step_number": names.index(step) + 1,
        "step_count": len(STEPS),
        "step_label": dict(STEPS)[step],
        "next_url": _next_url(step),
    }
    return render(request, f"firstrun/{template}", context)


def _saved_and_on(request, step: str, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(_next_url(step))


@setup_view
def setup_start(request: HttpRequest) -> HttpResponse:
    site = site_settings()
    row = SiteSettings.objects.filter(pk=1).first()
    units, occasions = OrgUnit.objects.count(), FollowUpOccasion.objects.count()
    summary = {
        "setup_municipality": site.name if row and row.name else "",
        "setup_kinds": ", ".join(str(UnitKind(k).label) for k in site.unit_kinds)
        if row and row.unit_kinds
        else "",
        "setup_units": _count(units, ngettext("%(n)s enhet", "%(n)s enheter", units)),
        "setup_perspectives": ", ".join(Perspective.objects.values_list("name", flat=True)),
        "setup_programme": ", ".join(str(p) for p in GoalProgramme.objects.all()[:3]),
        "setup_calendar": _count(
            occasions,
            ngettext("%(n)s uppföljningstillfälle", "%(n)s uppföljningstillfällen", occasions),
        ),
    }
    steps = [
        {"url": reverse(name), "label": label, "summary": summary[name]} for name, label in STEPS
    ]
    return render(request, "firstrun/start.html", {"steps": steps, "done": site.setup_done})


def _count(n: int, text: str) -> str:
    return text % {"n": n} if n else ""


@require_POST
@setup_view
def setup_finish(request: HttpRequest) -> HttpResponse:
    services.setup_complete()
    messages.success(request, _("Uppstarten är klar. Du kan alltid komma tillbaka hit."))
    return redirect("home")


@setup_view
def setup_municipality(request: HttpRequest) -> HttpResponse:
    form = MunicipalityForm(_data(request), initial=_municipality_initial())
    if form.is_valid():
        row = SiteSettings.load()
        row.name = form.cleaned_data["name"]
        row.designation = form.cleaned_data["designation"]
        row.kolada_id = form.cleaned_data["kolada_id"]
        row.save()
        return _saved_and_on(request, "setup_municipality", _("Kommunens uppgifter är sparade."))
    return _render_step(request, "setup_municipality", "step_form.html", {"form": form})


def _municipality_initial() -> dict:
    """What is stored; on a new instance a guess from the top unit's name ("Tanums kommun")."""
    site = site_settings()
    row = SiteSettings.objects.filter(pk=1).first()
    top = OrgUnit.objects.roots().order_by("pk").first()
    name = (row and row.name) or (top and top.name) or site.name
    guess = municipality_guess(name)
    return {
        "name": name,
        "designation": (row and row.designation) or guess["designation"] or site.designation,
        "kolada_id": row.kolada_id
        if row and row.kolada_id is not None
        else guess["kolada_id"] or site.kolada_id,
    }


@setup_view
def setup_kinds(request: HttpRequest) -> HttpResponse:
    form = UnitKindsForm(_data(request), initial={"kinds": list(site_settings().unit_kinds)})
    if form.is_valid():
        row = SiteSettings.load()
        row.unit_kinds = form.cleaned_data["kinds"]
        row.save()
        return _saved_and_on(request, "setup_kinds", _("Enhetstyperna är sparade."))
    return _render_step(request, "setup_kinds", "step_form.html", {"form": form})


@setup_view
def setup_units(request: HttpRequest) -> HttpResponse:
    top = OrgUnit.objects.roots().order_by("pk").first()  # new units go under it, usually
    form = FirstUnitForm(_data(request), kinds=site_settings().unit_kinds, initial={"parent": top})
    if form.is_valid():
        unit = form.save()
        messages.success(request, _("Enheten %(name)s har skapats.") % {"name": unit.name})
        return redirect("setup_units")  # another unit, or go on from the list
    units = OrgUnit.objects.with_tree_fields().select_related("parent")
    context = {"form": form, "units": units, "import_form": ImportForm(prefix="fil")}
    return _render_step(request, "setup_units", "units.html", context)


@setup_view
def setup_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(orgimport.tree_template(site_settings().unit_kinds), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="organisation.xlsx"'
    return response


@require_POST
@setup_view
def setup_import(request: HttpRequest) -> HttpResponse:
    """Read the upload and keep its rows in the session until the preview is confirmed."""
    form = ImportForm(request.POST, request.FILES, prefix="fil")
    if form.is_valid():
        try:
            rows = orgimport.read_tree(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            name = (getattr(form.cleaned_data["file"], "name", "") or "")[-255:]
            request.session[SESSION_KEY] = {"rows": orgimport.as_data(rows), "filename": name}
            return redirect("setup_import_preview")
    units = OrgUnit.objects.with_tree_fields().select_related("parent")
    form_unit = FirstUnitForm(kinds=site_settings().unit_kinds)
    context = {"form": form_unit, "units": units, "import_form": form}
    return _render_step(request, "setup_units", "units.html", context)


@setup_view
def setup_import_preview(request: HttpRequest) -> HttpResponse:
    """The plan of the uploaded rows (GET), and confirming or cancelling it (POST)."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        messages.info(request, _("Ingen fil väntar på bekräftelse. Ladda upp filen igen."))
        return redirect("setup_units")
    rows = orgimport.from_data(stored["rows"])
    kinds = site_settings().unit_kinds
    if request.method == "POST":
        if "cancel" in request.POST:
            del request.session[SESSION_KEY]
            messages.info(request, _("Importen är avbruten. Inget har sparats."))
            return redirect("setup_units")
        try:
            counts = orgimport.tree_apply(rows=rows, kinds=kinds)
        except orgimport.TreeImportError as error:
            messages.error(request, error.messages[0])
            return redirect("setup_import_preview")
        del request.session[SESSION_KEY]
        messages.success(
            request,
            _("Organisationen är importerad: %(new)s nya och %(changed)s ändrade enheter.")
            % {"new": counts["new"], "changed": counts["changed"]},
        )
        return redirect("setup_units")
    plan: Plan = orgimport.tree_plan(rows, kinds=kinds)
    groups = {action: [c for c in plan.changes if c.action == action] for action in ACTIONS}
    context = {
        "plan": plan,
        "errors": sorted(plan.errors, key=lambda e: e.row),
        "counts": plan.counts(),
        "groups": groups,
        "to_change": len(plan.changes) - len(groups[UNCHANGED]),
        "filename": stored.get("filename", ""),
    }
    return _render_step(request, "setup_units", "import_preview.html", context)


@setup_view
def setup_perspectives(request: HttpRequest) -> HttpResponse:
    form = PerspectiveForm(request.POST if "own" in request.POST else None)
    if request.method == "POST" and "preset" in request.POST:
        created = services.perspectives_preset()
        text = _("De fyra perspektiven är skapade.") if created else _("Perspektiven fanns redan.")
        return _saved_and_on(request, "setup_perspectives", text)
    if form.is_valid():
        perspective = form.save(commit=False)
        perspective.slug = services.unique_perspective_slug(perspective.name)
        perspective.order = Perspective.objects.count()
        perspective.save()
        messages.success(
            request, _("Perspektivet %(name)s har skapats.") % {"name": perspective.name}
        )
        return redirect("setup_perspectives")
    context = {
        "form": form,
        "perspectives": Perspective.objects.all(),
        "preset": services.PRESET_PERSPECTIVES,
    }
    return _render_step(request, "setup_perspectives", "perspectives.html", context)


@setup_view
def setup_programme(request: HttpRequest) -> HttpResponse:
    """The goal programme: the newest one is edited when revisited, else one is created."""
    programme = GoalProgramme.objects.order_by("-start_year", "-pk").first()
    form = ProgrammeForm(_data(request), instance=programme)
    if form.is_valid():
        form.save()
        return _saved_and_on(request, "setup_programme", _("Målprogrammet är sparat."))
    return _render_step(
        request, "setup_programme", "step_form.html", {"form": form, "programme": programme}
    )


@setup_view
def setup_calendar(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    initial = {"year": year} | {
        f"m{p.end_month}_deadline": services.preset_deadline(year, p)
        for p in services.CALENDAR_PRESET
    }
    form = CalendarForm(_data(request), initial=initial)
    if form.is_valid():
        created = services.calendar_create(
            year=form.cleaned_data["year"], occasions=form.occasions()
        )
        text = _("%(n)s uppföljningstillfällen är skapade för %(year)s.") % {
            "n": created,
            "year": form.cleaned_data["year"],
        }
        return _saved_and_on(request, "setup_calendar", text)
    occasions = FollowUpOccasion.objects.all()
    return _render_step(
        request, "setup_calendar", "calendar.html", {"form": form, "occasions": occasions}
    )


def _year(request: HttpRequest) -> int:
    """?ar=, else the year being planned: from October on, next year's calendar is the one due."""
    today = date.today()
    default = today.year + (1 if today.month >= 10 else 0)
    try:
        year = int(request.GET.get("ar", ""))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _data(request: HttpRequest):
    """The posted form, also when empty (an empty POST is a submission, not a first visit)."""
    return request.POST if request.method == "POST" else None
