"""Report templates (rapportmallar), for administrators of the whole municipality."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation import access

from .. import blocks, workflow
from ..forms import TemplateForm, TemplateSectionForm
from ..models import ReportTemplate, TemplateSection

__all__ = [
    "template_list", "template_create", "template_detail", "template_edit", "template_copy",
    "template_section_create", "template_section_edit", "template_section_delete",
]  # fmt: skip


def _data(request):
    return request.POST if request.method == "POST" else None


def _require_admin(request) -> None:
    access.require(access.can_manage_report_templates(request.user))


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    templates = ReportTemplate.objects.prefetch_related("sections")
    return render(request, "yearreports/template_list.html", {"templates": templates})


@login_required
def template_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    form = TemplateForm(_data(request))
    if form.is_valid():
        template = form.save()
        messages.success(request, _("Mallen %(name)s har skapats.") % {"name": template})
        return redirect(template)
    context = {"form": form, "cancel_url": reverse("yearreports:template_list")}
    return render(request, "yearreports/form.html", context | {"title": _("Ny rapportmall")})


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    template = get_object_or_404(ReportTemplate, pk=pk)
    sections = [(s, [blocks.label(k) for k in s.blocks]) for s in template.sections.all()]
    context = {"template": template, "sections": sections, "next_year": template.year + 1}
    return render(request, "yearreports/template_detail.html", context)


@login_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    template = get_object_or_404(ReportTemplate, pk=pk)
    form = TemplateForm(_data(request), instance=template)
    if form.is_valid():
        form.save()
        messages.success(request, _("Mallen har sparats."))
        return redirect(template)
    context = {"form": form, "cancel_url": template.get_absolute_url(), "title": str(template)}
    return render(request, "yearreports/form.html", context)


@require_POST
@login_required
def template_copy(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    template = get_object_or_404(ReportTemplate, pk=pk)
    try:
        copy = workflow.template_copy(template, year=template.year + 1)
    except workflow.Refused as refused:
        messages.error(request, str(refused))
        return redirect(template)
    messages.success(request, _("Mallen har kopierats till %(year)s.") % {"year": copy.year})
    return redirect(copy)


@login_required
def template_section_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    template = get_object_or_404(ReportTemplate, pk=pk)
    last = template.sections.count()
    form = TemplateSectionForm(_data(request), initial={"order": last + 1})
    if form.is_valid():
        form.instance.template = template
        form.save()
        messages.success(request, _("Avsnittet har lagts till."))
        return redirect(template)
    context = {"form": form, "cancel_url": template.get_absolute_url(), "title": _("Nytt avsnitt")}
    return render(request, "yearreports/form.html", context)


@login_required
def template_section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    section = get_object_or_404(TemplateSection.objects.select_related("template"), pk=pk)
    form = TemplateSectionForm(_data(request), instance=section)
    if form.is_valid():
        form.save()
        messages.success(request, _("Avsnittet har sparats."))
        return redirect(section.template)
    context = {
        "form": form,
        "cancel_url": section.template.get_absolute_url(),
        "title": section.heading,
    }
    return render(request, "yearreports/form.html", context)


@require_POST
@login_required
def template_section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Removes the section from the template; reports already sent keep theirs."""
    _require_admin(request)
    section = get_object_or_404(TemplateSection.objects.select_related("template"), pk=pk)
    template = section.template
    section.delete()
    messages.success(request, _("Avsnittet har tagits bort ur mallen."))
    return redirect(template)
