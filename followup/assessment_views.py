"""Follow-up occasions (list, defaults, lock, reopen) and the assessment of a scorecard's goals.
A subtree's lock is ``unit_lock_views``.

The assessment page is one form for every goal of the occasion, saved at once
(``assessment_save_all``). With HTMX each goal's own button also saves that goal in place and the
server answers with its fragment (``scorecard_followup.html#goal``); without JavaScript every
button saves all goals that changed, and the page is redirected back or shown again with errors.
"""

from datetime import date
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from organisation import access
from organisation.models import OrgUnit
from scorecards.models import Scorecard

from . import assessments, locked_names, locking, progress, scales
from .assessment_forms import AssessmentForm, OccasionDefaultsForm, ReopenForm, SummaryForm
from .assessment_save_all import save_all
from .assessments import (
    DEFAULT_OCCASIONS,
    GoalFollowUp,
    StaleVersion,
    goal_followups,
    locked_message,
    save_assessment,
    save_summary,
    summary_token,
)
from .comparison import kolada_comparisons
from .evaluation import FollowUpPoint
from .locking import PeriodLocked
from .models import FollowUpOccasion, SummaryAnalysis
from .progress_views import progress_context

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- occasions ------------------------------------------------------------------------------


@login_required
def occasion_list(request: HttpRequest) -> HttpResponse:
    occasions = FollowUpOccasion.objects.select_related("locked_by").order_by("-year", "end_month")
    years = [(year, list(group)) for year, group in groupby(occasions, key=lambda o: o.year)]
    this_year = date.today().year
    # Complete when every default occasion exists: other occasions (monthly, own) do not count.
    defaults = {d.end_month for d in DEFAULT_OCCASIONS}
    complete = {year for year, group in years if defaults <= {o.end_month for o in group}}
    context = {
        "years": years,
        "is_admin": access.can_manage_occasions(request.user),
        "missing_years": [y for y in (this_year, this_year + 1) if y not in complete],
    }
    return render(request, "followup/occasion_list.html", context)


@login_required
def occasion_create_defaults(request: HttpRequest, year: int) -> HttpResponse:
    access.require(access.can_manage_occasions(request.user))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    existing = {o.end_month: o for o in FollowUpOccasion.objects.filter(year=year)}
    data = request.POST if request.method == "POST" else None
    form = OccasionDefaultsForm(data, year=year, existing=existing)
    if form.is_valid():
        created, changed = assessments.occasion_create_defaults(year=year, deadlines=form.deadlines)
        if created or changed:
            messages.success(
                request,
                _("Tillfällen för %(year)s: %(created)s skapade, %(changed)s med ändrad sista dag.")
                % {"year": year, "created": created, "changed": changed},
            )
        else:
            messages.info(request, _("Tillfällena för %(year)s fanns redan.") % {"year": year})
        return redirect(reverse("occasion_list") + f"#ar-{year}")
    context = {"form": form, "year": year, "cancel_url": reverse("occasion_list")}
    return render(request, "followup/occasion_create_defaults.html", context)


def _occasion_cards(request: HttpRequest, occasion: FollowUpOccasion):
    """The year's scorecards this user sees, each with its goals and those assessed."""
    return progress.occasion_cards(occasion, access.visible_scorecards_q(request.user))


@login_required
def occasion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    occasion = get_object_or_404(FollowUpOccasion.objects.select_related("locked_by"), pk=pk)
    context = {
        "occasion": occasion,
        "log": occasion.log.select_related("by"),
        **progress_context(request, occasion, _occasion_cards(request, occasion)),
        "is_admin": access.can_manage_occasions(request.user),
        **_unit_locks(request, occasion),
    }
    return render(request, "followup/occasion_detail.html", context)


def _unit_locks(request: HttpRequest, occasion: FollowUpOccasion) -> dict:
    """The units the occasion is locked for (with whether this user may reopen each), and the
    units a subtree administrator may still lock it for."""
    locks = list(occasion.unit_locks.select_related("unit", "locked_by"))
    for lock in locks:
        lock.reopenable = access.can_lock_for_unit(request.user, lock.unit)
    locked = {lock.unit_id for lock in locks}
    lockable = [] if occasion.is_locked else access.lockable_units(request.user)
    return {"unit_locks": locks, "lockable_units": [u for u in lockable if u.pk not in locked]}


@login_required
def occasion_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation, saying what will be locked and what is still unassessed."""
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    access.require(access.can_manage_occasions(request.user))
    if occasion.is_locked:
        messages.info(request, _("%(occasion)s är redan låst.") % {"occasion": occasion})
        return redirect("occasion_detail", pk=occasion.pk)
    if request.method != "POST":
        cards = list(_occasion_cards(request, occasion))
        goals = sum(c.goal_count for c in cards)
        context = {
            "occasion": occasion,
            "cards": cards,
            "unfinished": [c for c in cards if c.assessed_count < c.goal_count],
            "goal_total": goals,
            "missing": goals - sum(c.assessed_count for c in cards),
            "cancel_url": reverse("occasion_detail", args=[occasion.pk]),
        }
        return render(request, "followup/occasion_lock.html", context)
    locking.occasion_lock(occasion=occasion, user=request.user)
    messages.success(request, _("%(occasion)s är låst.") % {"occasion": occasion})
    return redirect("occasion_detail", pk=occasion.pk)


@login_required
def occasion_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    occasion = get_object_or_404(FollowUpOccasion, pk=pk)
    access.require(access.can_manage_occasions(request.user))
    if not occasion.is_locked:
        messages.info(request, _("%(occasion)s är inte låst.") % {"occasion": occasion})
        return redirect("occasion_detail", pk=occasion.pk)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            locking.occasion_reopen(
                occasion=occasion, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(occasion)s är öppnat igen.") % {"occasion": occasion})
            return redirect("occasion_detail", pk=occasion.pk)
    context = {
        "occasion": occasion,
        "form": form,
        "cancel_url": reverse("occasion_detail", args=[occasion.pk]),
    }
    return render(request, "followup/occasion_reopen.html", context)


# --- assessing a scorecard's goals ----------------------------------------------------------


def scorecard_followup(request: HttpRequest, pk: int, occasion_pk: int) -> HttpResponse:
    card = get_object_or_404(Scorecard.objects.select_related("unit", "programme"), pk=pk)
    access.require_visible(access.can_view_scorecard(request.user, card))
    occasion = get_object_or_404(
        FollowUpOccasion.objects.select_related("locked_by"), pk=occasion_pk, year=card.year
    )
    page = FollowUpPage(request, card, occasion)
    if request.method != "POST":
        return page.render()
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access.require(page.can_report)
    if "summary" in request.POST:
        return page.post_summary()
    if "goals" in request.POST and not request.htmx:  # the page's one save for every goal
        return save_all(page)
    return page.post_goal()


class FollowUpPage:
    """The follow-up page of one scorecard at one occasion, and its two kinds of POST."""

    template = "followup/scorecard_followup.html"

    def __init__(self, request: HttpRequest, card: Scorecard, occasion: FollowUpOccasion):
        self.request = request
        self.card = card
        self.occasion = occasion
        self.scale = scales.get_scale()
        self.can_report = access.can_report(request.user, card.unit)
        # locked city-wide or for the card's unit (or a unit above it)
        self.locked = locking.occasion_locked_for(occasion, card.unit)
        self.editable = self.can_report and not self.locked
        self.url = reverse("scorecard_followup", args=[card.pk, occasion.pk])

    # rendering

    def goals(self):
        return self.card.goals.select_related("perspective").order_by(
            "perspective__order", "order", "pk"
        )

    def prepare(self, item: GoalFollowUp, form: AssessmentForm | None = None) -> GoalFollowUp:
        if self.editable and form is None:
            form = self.goal_form(item)
        item.form = form
        item.fulfilment = None
        if self.scale.key == "percent":
            for r in item.result.metrics:
                r.fulfilment = scales.fulfilment(r.value, r.target)
            item.fulfilment = scales.goal_fulfilment(item.result.metrics)
        return item

    @staticmethod
    def compare(items: list[GoalFollowUp]) -> None:
        """The Kolada comparison beside each value (metrics with a Kolada KPI), one grouped read
        for the page however many metrics it has."""
        rows = [r for item in items for r in item.result.metrics]
        found = kolada_comparisons({r.metric.indicator for r in rows})
        for r in rows:
            r.comparison = found.get(r.metric.indicator_id)

    def assessment_form(self, goal_pk: int, **kwargs) -> AssessmentForm:
        return AssessmentForm(prefix=f"mal-{goal_pk}", scale=self.scale, **kwargs)

    def context(self, **extra) -> dict:
        return {
            "card": self.card,
            "unit": self.card.unit,
            "occasion": self.occasion,
            "locked": self.locked,
            "covers": FollowUpPoint.at(self.occasion).label,
            "scale": self.scale,
            "can_report": self.can_report,
            "editable": self.editable,
            "page_url": self.url,
            **extra,
        }

    def render(self, *, posted: GoalFollowUp | None = None, summary_form=None, problem="", **extra):
        goals = list(self.goals())
        items = goal_followups(goals, self.occasion, self.scale)
        # Goals posted together (``assessment_save_all``) come back as they were written.
        kept = extra.pop("posted_items", {}) or ({posted.goal.pk: posted} if posted else {})
        for i, item in enumerate(items):
            if item.goal.pk in kept:
                items[i] = kept[item.goal.pk]
            else:
                self.prepare(item)
        self.compare(items)
        perspectives = list(self.card.perspectives.all())
        seen = {p.pk for p in perspectives}
        for g in goals:
            if g.perspective_id not in seen:
                perspectives.append(g.perspective)
                seen.add(g.perspective_id)
        locked_names.apply(  # a locked occasion shows the names it had when locked
            self.occasion,
            units=[self.card.unit],
            goals=goals,
            perspectives=perspectives,
            indicators=[r.metric.indicator for i in items for r in i.result.metrics],
        )
        sections = [
            {"perspective": p, "items": [i for i in items if i.goal.perspective_id == p.pk]}
            for p in perspectives
        ]
        summary = SummaryAnalysis.objects.filter(
            scorecard=self.card, occasion=self.occasion
        ).first()
        if summary_form is None and self.editable:
            summary_form = self.summary_form(summary)
        others = FollowUpOccasion.objects.filter(year=self.card.year).exclude(pk=self.occasion.pk)
        context = self.context(
            sections=sections,
            assessed=sum(1 for i in items if i.assessment is not None),
            total=len(items),
            summary=summary,
            summary_form=summary_form,
            summary_problem=problem,
            other_occasions=others,
            ancestors=OrgUnit.objects.ancestors(self.card.unit),
            **extra,
        )
        return render(self.request, self.template, context)

    def goal_form(self, item: GoalFollowUp) -> AssessmentForm:
        initial = AssessmentForm.initial_from(item.assessment)
        # Until someone assesses the goal, the suggestion is chosen: agreeing takes one click.
        initial.setdefault("status", item.suggested.value)
        return self.assessment_form(item.goal.pk, initial=initial)

    def summary_form(self, summary, data=None) -> SummaryForm:
        initial = {"text": summary.text if summary else "", "token": summary_token(summary)}
        return SummaryForm(data, prefix="sammanfattning", initial=initial)

    def fragment(self, name: str, **extra) -> HttpResponse:
        return render(self.request, f"{self.template}#{name}", self.context(**extra))

    # saving

    def post_goal(self) -> HttpResponse:
        request = self.request
        try:
            goal_pk = int(request.POST.get("goal", ""))
        except ValueError:
            raise Http404 from None
        goal = get_object_or_404(
            self.card.goals.select_related("perspective", "scorecard"), pk=goal_pk
        )
        form = self.assessment_form(goal.pk, data=request.POST)
        item = goal_followups([goal], self.occasion, self.scale)[0]
        item.notice = item.problem = ""
        item.unsaved = None
        if self.locked:
            return self.refuse_locked(item, locked_message(self.occasion))
        if form.is_valid():
            data = form.cleaned_data
            try:
                save_assessment(
                    goal=goal,
                    occasion=self.occasion,
                    user=request.user,
                    data=data,
                    version=data["version"],
                )
            except PeriodLocked as error:
                return self.refuse_locked(item, error.messages[0])
            except StaleVersion as error:
                item.assessment = error.current
                item.problem = error.messages[0]
                item.unsaved = data
                item.unsaved_choice = scales.choice_for(data["status"], self.scale)
                form = self.goal_form(item)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                url = f"{self.url}#mal-{goal.pk}"
                if not request.htmx:
                    messages.success(request, _("Bedömningen av målet har sparats."))
                    return redirect(url)
                item = goal_followups([goal], self.occasion, self.scale)[0]
                item.notice = _("Bedömningen har sparats.")
                item.problem = ""
                item.unsaved = None
                form = None
        self.prepare(item, form)
        if request.htmx:
            self.compare([item])
            return self.fragment("goal", item=item)
        return self.render(posted=item)

    def refuse_locked(self, item: GoalFollowUp, message: str) -> HttpResponse:
        self.editable = False
        if self.request.htmx:
            item.problem = message
            self.compare([item])
            return self.fragment("goal", item=self.prepare(item))
        messages.error(self.request, message)
        return redirect(f"{self.url}#mal-{item.goal.pk}")

    def post_summary(self) -> HttpResponse:
        request = self.request
        current = SummaryAnalysis.objects.filter(
            scorecard=self.card, occasion=self.occasion
        ).first()
        if self.locked:
            return self.refuse_summary(current, locked_message(self.occasion))
        form = self.summary_form(current, request.POST)
        problem = notice = ""
        if form.is_valid():
            try:
                current = save_summary(
                    scorecard=self.card,
                    occasion=self.occasion,
                    user=request.user,
                    text=form.cleaned_data["text"],
                    token=form.cleaned_data["token"],
                )
            except PeriodLocked as error:
                return self.refuse_summary(current, error.messages[0])
            except StaleVersion as error:
                current = error.current
                problem = error.messages[0]
                form = self.summary_form(current)
            else:
                if not request.htmx:
                    messages.success(request, _("Den sammanfattande analysen har sparats."))
                    return redirect(f"{self.url}#sammanfattning")
                notice = _("Den sammanfattande analysen har sparats.")
                form = self.summary_form(current)
        if request.htmx:
            return self.fragment(
                "summary",
                summary=current,
                summary_form=form,
                summary_problem=problem,
                summary_notice=notice,
            )
        return self.render(summary_form=form, problem=problem)

    def refuse_summary(self, current, message: str) -> HttpResponse:
        self.editable = False
        if self.request.htmx:
            return self.fragment("summary", summary=current, summary_problem=message)
        messages.error(self.request, message)
        return redirect(f"{self.url}#sammanfattning")
