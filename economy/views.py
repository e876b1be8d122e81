"""Economy pages: the import (upload, preview, confirm), the mappings, a unit's economy with its
forecast, and its xlsx export. Access through organisation.access (may_import_economy,
economy_unit_for)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.text import clean_text
from followup.locking import PeriodLocked, ensure_open
from organisation import access
from organisation.models import OrgUnit

from . import figures
from .export import economy_xlsx
from .forms import AccountRuleForm, EconomyUploadForm, ForecastForm
from .importing import apply_plan, make_plan, read_file, resolve
from .mapping import ensure_default_statement
from .models import (
    AccountRule,
    Amount,
    EconomyImport,
    ForecastNote,
    ImportState,
    ObjectMapping,
    Version,
)
from .sie import SieError, format_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
YEAR_MIN, YEAR_MAX = 2000, 2100


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """/ekonomi/: the units whose economy the user reads, and the import for those who may."""
    ids = access.economy_unit_ids(request.user)
    units = OrgUnit.objects.all() if ids is None else OrgUnit.objects.filter(pk__in=ids)
    units = list(units.with_tree_fields()[:500])
    may_import = access.may_import_economy(request.user)
    context = {
        "units": units,
        "year": _default_year(),
        "may_import": may_import,
        "imports": EconomyImport.objects.all()[:10] if may_import else [],
    }
    return render(request, "economy/home.html", context)


def _default_year() -> int:
    found = Amount.objects.order_by("-year").values_list("year", flat=True).first()
    return found or date.today().year


def _require_importer(request) -> None:
    access.require(access.may_import_economy(request.user))


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = EconomyUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        unit = form.cleaned_data["unit"]
        try:
            parsed = read_file(data)
            summary = parsed.summary()
            plan = make_plan(
                parsed,
                dimension=form.cleaned_data["dimension"],
                unit_code=unit.code if unit else "",
            )
        except SieError as error:
            for line, message in error.errors:
                form.add_error("file", format_error(line, message))
        else:
            EconomyImport.objects.stale().delete()
            batch = EconomyImport.objects.create(
                filename=clean_text(form.cleaned_data["file"].name or "").replace("\n", " ")[-255:],
                dimension=plan["dimension"],
                year=plan["year"],
                created_by=request.user,
                summary=summary,
                plan=plan,
            )
            return redirect("economy_preview", batch_id=batch.pk)
    return render(request, "economy/upload.html", {"form": form})


@login_required
def preview(request: HttpRequest, batch_id) -> HttpResponse:
    """The file's summary and what would not map (GET); confirming or cancelling (POST)."""
    _require_importer(request)
    batch = get_object_or_404(EconomyImport, pk=batch_id)
    if request.method == "POST":
        if "cancel" in request.POST and batch.state == ImportState.PREVIEW:
            batch.delete()
            messages.info(request, _("Importen är avbruten. Inget har sparats."))
            return redirect("economy_upload")
        _confirm(request, batch)
        return redirect("economy_preview", batch_id=batch.pk)
    unmapped = batch.result.get("unmapped") if batch.result else None
    if batch.state == ImportState.PREVIEW:
        _amounts, unmapped = resolve(batch.plan)
    context = {
        "batch": batch,
        "summary": batch.summary,
        "unmapped": unmapped,
        "has_unmapped": any(unmapped.values()) if unmapped else False,
    }
    return render(request, "economy/preview.html", context)


def _confirm(request, batch: EconomyImport) -> None:
    with transaction.atomic():
        batch = EconomyImport.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportState.PREVIEW:
            messages.error(request, _("Filen är redan behandlad."))
            return
        try:
            result = apply_plan(batch.plan, user=request.user)
        except SieError as error:
            batch.state = ImportState.FAILED
            batch.result = {"errors": [format_error(n, m) for n, m in error.errors]}
            messages.error(request, str(error))
        else:
            batch.state = ImportState.APPLIED
            batch.result = result
            batch.applied_at = timezone.now()
            messages.success(
                request,
                _("Importen är klar: %(n)s belopp för %(units)s enheter sparades.")
                % {"n": result["written"], "units": result["units"]},
            )
        batch.save(update_fields=["state", "result", "applied_at"])


@login_required
def mapping(request: HttpRequest) -> HttpResponse:
    """Objects → units and accounts → rows: kept, and used by every later import."""
    _require_importer(request)
    rows = ensure_default_statement()
    rule_form = AccountRuleForm(prefix="rule")
    if request.method == "POST":
        if "save_objects" in request.POST:
            _save_objects(request)
            return redirect("economy_mapping")
        if "delete_rule" in request.POST:
            deleted, _kinds = AccountRule.objects.filter(
                pk=_int(request.POST.get("delete_rule"))
            ).delete()
            if deleted:
                messages.success(request, _("Kontomappningen är borttagen."))
            else:
                messages.error(request, _("Kontomappningen finns inte (redan borttagen?)."))
            return redirect("economy_mapping")
        rule_form = AccountRuleForm(request.POST, prefix="rule")
        if rule_form.is_valid():
            AccountRule.objects.update_or_create(
                prefix=rule_form.cleaned_data["prefix"],
                defaults={"row": rule_form.cleaned_data["row"]},
            )
            messages.success(request, _("Kontomappningen är sparad."))
            return redirect("economy_mapping")
    context = {
        "objects": ObjectMapping.objects.select_related("unit"),
        "units": OrgUnit.objects.order_by("name").only("pk", "name", "code"),
        "rules": AccountRule.objects.select_related("row"),
        "rows": rows,
        "rule_form": rule_form,
    }
    return render(request, "economy/mapping.html", context)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save_objects(request) -> None:
    units = dict(OrgUnit.objects.values_list("code", "pk"))
    changed, unknown = [], []
    for obj in ObjectMapping.objects.all():
        key = f"obj-{obj.pk}"
        if key not in request.POST:
            continue
        code = request.POST[key]
        if code and code not in units:
            unknown.append(obj)  # not a unit (a tampered form): keep the mapping as it is
            continue
        unit_id = units[code] if code else None
        if unit_id != obj.unit_id:
            obj.unit_id = unit_id
            changed.append(obj)
    ObjectMapping.objects.bulk_update(changed, ["unit"])
    if unknown:
        messages.error(
            request,
            _("Okänd enhet för %(n)s objekt; de mappningarna ändrades inte.") % {"n": len(unknown)},
        )
    messages.success(request, _("%(n)s objektmappningar ändrades.") % {"n": len(changed)})


def _year_month(request, year: int, ids) -> int:
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    month = _int(request.GET.get("manad"))
    if month is not None and not 1 <= month <= 12:
        raise Http404
    return month or figures.latest_month(ids, year)


@login_required
def unit_economy(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A unit's budget, utfall, forecast and deviation by row, over its subtree; its forecast
    entry (POST) for its editors, closed when the month is locked with an occasion."""
    unit = access.economy_unit_for(request.user, code)
    ids = figures.subtree_ids(unit)
    month = _year_month(request, year, ids)
    may_forecast = access.can_enter_forecast(request.user, unit)
    rows = ensure_default_statement()
    own = _own_forecast(unit, year, month)
    form = None
    if may_forecast:
        note = figures.note(unit, year, month)
        form = ForecastForm(
            request.POST or None,
            rows=rows,
            initial_amounts=own,
            initial={"comment": note.comment if note else ""},
        )
        if request.method == "POST" and form.is_valid():
            if _save_forecast(request, unit, year, month, form):
                return redirect(f"{request.path}?manad={month}")
    elif request.method == "POST":
        access.require(False)
    data = figures.economy(unit, year, month, ids=ids)
    context = {
        "unit": unit,
        "year": year,
        "month": month,
        "months": range(1, 13),
        "economy": data,
        "children": figures.children_totals(unit, year, month),
        "form": form,
        "note": figures.note(unit, year, month),
        # Linked only where the user may read that unit's economy (a 403 otherwise).
        "ancestors": [
            (a, access.can_read_economy(request.user, a)) for a in OrgUnit.objects.ancestors(unit)
        ],
        "has_previous_year": year > YEAR_MIN
        and Amount.objects.filter(unit_id__in=ids, year=year - 1).exists(),
    }
    return render(request, "economy/unit.html", context)


def _own_forecast(unit, year: int, month: int) -> dict:
    return dict(
        Amount.objects.filter(
            unit=unit, year=year, month=month, version=Version.FORECAST
        ).values_list("row_id", "amount")
    )


def _save_forecast(request, unit, year: int, month: int, form: ForecastForm) -> bool:
    try:
        ensure_open(year, month, unit)
    except PeriodLocked:
        messages.error(
            request,
            _("Perioden är låst med uppföljningstillfället; prognosen kan inte ändras."),
        )
        return False
    with transaction.atomic():
        for row_id, amount in form.amounts().items():
            if amount is None:
                Amount.objects.filter(
                    unit=unit, row_id=row_id, year=year, month=month, version=Version.FORECAST
                ).delete()
            else:
                Amount.objects.update_or_create(
                    unit=unit,
                    row_id=row_id,
                    year=year,
                    month=month,
                    version=Version.FORECAST,
                    defaults={"amount": amount},
                )
        ForecastNote.objects.update_or_create(
            unit=unit,
            year=year,
            month=month,
            defaults={"comment": form.cleaned_data["comment"], "updated_by": request.user},
        )
    messages.success(request, _("Prognosen är sparad."))
    return True


@login_required
def unit_economy_xlsx(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = access.economy_unit_for(request.user, code)
    ids = figures.subtree_ids(unit)
    month = _year_month(request, year, ids)
    data = figures.economy(unit, year, month, ids=ids)
    response = HttpResponse(economy_xlsx(data), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ekonomi-{unit.code}-{year}.xlsx"'
    return response
