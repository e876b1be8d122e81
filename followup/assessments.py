"""Assessing goals at a follow-up occasion: suggestions, saving without lost updates, occasions.

Views, the API and reports call these functions; the suggestion rule itself is in ``scales.py``.

Saving is guarded three ways, in this order: the occasion must be open, an assessment that
departs from the suggestion needs a deviation comment, and the caller's ``version`` must still be
the stored one (optimistic locking: whoever saves second is told, and overwrites nothing).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from scorecards.models import Goal, Scorecard

from . import scales
from .evaluation import FollowUpPoint, GoalResult, statuses_at
from .locking import PeriodLocked, occasion_locked_for
from .models import Assessment, FollowUpOccasion, OccasionKind, SummaryAnalysis

TEXT_FIELDS = ("analysis", "forecast", "deviation_comment")


class StaleVersion(ValidationError):
    """Someone else saved first; ``current`` holds what they saved (None if it was removed)."""

    def __init__(self, message, *, current=None):
        super().__init__(message, code="stale")
        self.current = current


# --- occasions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DefaultOccasion:
    kind: str
    name: str
    end_month: int
    deadline_month: int
    deadline_day: int
    deadline_next_year: bool = False

    def deadline(self, year: int) -> date:
        return date(year + self.deadline_next_year, self.deadline_month, self.deadline_day)


DEFAULT_OCCASIONS = (
    DefaultOccasion(OccasionKind.TERTIAL, "Tertialrapport T1", 4, 5, 15),
    DefaultOccasion(OccasionKind.INTERIM, "Delårsrapport", 8, 9, 15),
    DefaultOccasion(OccasionKind.ANNUAL, "Årsredovisning", 12, 2, 15, deadline_next_year=True),
)


@transaction.atomic
def occasion_create_defaults(
    *, year: int, deadlines: dict[int, date | None] | None = None
) -> tuple[int, int]:
    """Create the year's default occasions that are missing; (created, deadlines changed).

    ``deadlines`` maps end month → deadline; a missing one means the default (for a new
    occasion) or no change (for an existing one). Running it again changes nothing; an existing
    open occasion gets the given deadline, a locked one is left as it is.
    """
    deadlines = deadlines or {}
    existing = {o.end_month: o for o in FollowUpOccasion.objects.filter(year=year)}
    created = changed = 0
    for default in DEFAULT_OCCASIONS:
        deadline = deadlines.get(default.end_month)
        occasion = existing.get(default.end_month)
        if occasion is None:
            FollowUpOccasion.objects.create(
                year=year,
                kind=default.kind,
                name=default.name,
                end_month=default.end_month,
                deadline=deadline or default.deadline(year),
            )
            created += 1
        elif deadline and not occasion.is_locked and occasion.deadline != deadline:
            occasion.deadline = deadline
            occasion.save(update_fields=["deadline"])
            changed += 1
    return created, changed


# --- reading --------------------------------------------------------------------------------


@dataclass
class GoalFollowUp:
    """One goal at one occasion: its metrics, the suggestion and the assessment if made."""

    goal: Goal
    result: GoalResult
    suggested: scales.Choice
    assessment: Assessment | None

    @property
    def chosen(self) -> scales.Choice | None:
        if self.assessment is None:
            return None
        return scales.choice_for(self.assessment.status)

    @property
    def departs(self) -> bool:
        return self.assessment is not None and departs(self.assessment.status, self.suggested)


def assessments_for(goal_ids, occasion: FollowUpOccasion) -> dict[int, Assessment]:
    """{goal id: assessment} for the goals at the occasion, in one query."""
    rows = Assessment.objects.filter(goal_id__in=goal_ids, occasion=occasion).select_related(
        "assessed_by"
    )
    return {a.goal_id: a for a in rows}


def latest_assessments(goal_ids, year: int) -> dict[int, Assessment]:
    """{goal id: its assessment at the latest occasion of ``year`` that has one}, one query."""
    found: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(goal_id__in=goal_ids, occasion__year=year)
        .select_related("occasion")
        .order_by("occasion__end_month")
    ):
        found[a.goal_id] = a
    for a in found.values():
        a.choice = scales.choice_for(a.status)
    return found


def suggestions_for(
    goal_ids, occasion: FollowUpOccasion, scale: scales.Scale | None = None
) -> dict[int, tuple[GoalResult, scales.Choice]]:
    """{goal id: (result, suggested choice)} for January up to the occasion's month.

    A fixed number of queries: three, and three more for the trend scale, which compares with
    the same period a year earlier.
    """
    scale = scale or scales.get_scale()
    goal_ids = list(goal_ids)
    results = statuses_at(goal_ids, FollowUpPoint.at(occasion))
    previous = {}
    if scale.key == "trend":
        previous = statuses_at(goal_ids, FollowUpPoint(occasion.year - 1, occasion.end_month))
    return {
        pk: (result, scales.suggest(result, scale, previous=previous.get(pk)))
        for pk, result in results.items()
    }


def goal_followups(
    goals, occasion: FollowUpOccasion, scale: scales.Scale | None = None
) -> list[GoalFollowUp]:
    goals = list(goals)
    ids = [g.pk for g in goals]
    suggestions = suggestions_for(ids, occasion, scale)
    assessments = assessments_for(ids, occasion)
    return [GoalFollowUp(g, *suggestions[g.pk], assessments.get(g.pk)) for g in goals]


def departs(status: str, suggested: scales.Choice) -> bool:
    """Whether an assessment departs from the suggestion.

    With nothing to suggest from ("ej bedömt" because there are no values) there is nothing to
    depart from, so any assessment stands without a deviation comment.
    """
    return suggested.value != scales.NOT_ASSESSED and status != suggested.value


# --- writing --------------------------------------------------------------------------------


def locked_message(occasion: FollowUpOccasion) -> str:
    return _("%(occasion)s är låst eftersom rapporten är fastställd. Inget har sparats.") % {
        "occasion": occasion
    }


def _ensure_open(occasion: FollowUpOccasion, unit) -> None:
    # Read the lock from the database: the occasion may have been locked (city-wide or for the
    # unit's subtree) since it was loaded.
    if occasion_locked_for(occasion, unit):
        raise PeriodLocked(locked_message(occasion))


def _stale(current) -> StaleVersion:
    return StaleVersion(
        _(
            "Någon annan har sparat bedömningen under tiden. Nedan visas det som sparades senast; "
            "din ändring har inte sparats."
        ),
        current=current,
    )


def save_assessment(
    *, goal: Goal, occasion: FollowUpOccasion, user, data: dict, version: int
) -> Assessment:
    """Create or update the goal's assessment at the occasion; raises ValidationError.

    ``data`` holds ``status`` and optionally ``analysis``, ``forecast`` and
    ``deviation_comment``. ``version`` is the version the user edited: 0 for a new assessment.
    Raises ``PeriodLocked`` for a locked occasion and ``StaleVersion`` when someone else
    saved in between. Access is the caller's to check (``access.can_report``).
    """
    _ensure_open(occasion, goal.scorecard.unit)
    if goal.scorecard.year != occasion.year:
        raise ValidationError(_("Målet hör till ett styrkort för ett annat år än tillfället."))
    scale = scales.get_scale()
    status = data.get("status") or ""
    if scale.choice(status) is None:
        raise ValidationError({"status": _("Välj en bedömning.")})
    texts = {name: (data.get(name) or "").strip() for name in TEXT_FIELDS}
    _result, suggested = suggestions_for([goal.pk], occasion, scale)[goal.pk]
    if departs(status, suggested) and not texts["deviation_comment"]:
        raise ValidationError(
            {
                "deviation_comment": _(
                    "Bedömningen avviker från förslaget (%(suggested)s). "
                    "Motivera avvikelsen i fältet ”%(field)s”."
                )
                % {
                    "suggested": suggested.label,
                    "field": _("Motivering av avvikelse från förslaget"),
                }
            }
        )
    fields = {"status": status, "suggested": suggested.value, "assessed_by": user, **texts}
    with transaction.atomic():
        _ensure_open(occasion, goal.scorecard.unit)
        if not version:
            if Assessment.objects.filter(goal=goal, occasion=occasion).exists():
                raise _stale(assessments_for([goal.pk], occasion).get(goal.pk))
            assessment = Assessment(goal=goal, occasion=occasion, version=1, **fields)
            assessment._history_user = user
            try:
                with transaction.atomic():
                    assessment.save()
            except IntegrityError:
                raise _stale(assessments_for([goal.pk], occasion).get(goal.pk)) from None
            return assessment
        # Compare-and-swap on the version: only one of two concurrent saves can claim it.
        claimed = Assessment.objects.filter(goal=goal, occasion=occasion, version=version).update(
            version=version + 1
        )
        if not claimed:
            raise _stale(assessments_for([goal.pk], occasion).get(goal.pk))
        assessment = Assessment.objects.get(goal=goal, occasion=occasion)
        for name, value in fields.items():
            setattr(assessment, name, value)
        assessment._history_user = user
        assessment.save()  # a full save, so the change is kept in the history
        return assessment


def summary_token(summary: SummaryAnalysis | None) -> str:
    """The version of a summary the user edits: its last change, or "" for a new one."""
    return summary.updated_at.isoformat() if summary is not None else ""


def _stale_summary(scorecard: Scorecard, occasion: FollowUpOccasion) -> StaleVersion:
    current = SummaryAnalysis.objects.filter(scorecard=scorecard, occasion=occasion).first()
    return StaleVersion(
        _(
            "Någon annan har sparat den sammanfattande analysen under tiden. Nedan visas det som "
            "sparades senast; din ändring har inte sparats."
        ),
        current=current,
    )


def save_summary(
    *, scorecard: Scorecard, occasion: FollowUpOccasion, user, text: str, token: str
) -> SummaryAnalysis:
    """Save the scorecard's summary analysis at the occasion; ``token`` from ``summary_token``."""
    _ensure_open(occasion, scorecard.unit)
    text = text.strip()
    with transaction.atomic():
        _ensure_open(occasion, scorecard.unit)
        summary = (
            SummaryAnalysis.objects.select_for_update()
            .filter(scorecard=scorecard, occasion=occasion)
            .first()
        )
        if summary_token(summary) != token:
            raise _stale_summary(scorecard, occasion)
        if summary is None:
            summary = SummaryAnalysis(scorecard=scorecard, occasion=occasion)
        summary.text = text
        summary._history_user = user
        try:
            with transaction.atomic():
                summary.save()
        except IntegrityError:  # created by someone else since the read above
            raise _stale_summary(scorecard, occasion) from None
        return summary
