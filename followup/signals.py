"""Keep precomputed goal statuses (followup.rollup) in step with every write."""

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from organisation.models import OrgUnit
from scorecards.models import (
    AdoptedVersion,
    ChangeAfterAdoption,
    Goal,
    Indicator,
    Metric,
    Perspective,
    Scorecard,
    Strategy,
    Target,
)

from . import rollup
from .models import Assessment, FollowUpOccasion, Forecast, Measurement


@receiver([post_save, post_delete], sender=Measurement)
def measurement_saved(sender, instance: Measurement, raw=False, **kwargs):
    if not raw:
        rollup.measurement_changed(instance.indicator_id, instance.unit_id, instance.year)


def _goal_going(kwargs) -> bool:
    """Whether this delete is part of deleting the goal itself (or its scorecard): then there is
    no status left to refresh, and refreshing would write one for a goal about to vanish."""
    origin = kwargs.get("origin")
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return model in (Goal, Scorecard)


@receiver([post_save, post_delete], sender=Target)
def target_saved(sender, instance: Target, raw=False, **kwargs):
    if raw or _goal_going(kwargs):
        return
    goal_id = Metric.objects.filter(pk=instance.metric_id).values_list("goal_id", flat=True).first()
    if goal_id:
        rollup.goal_changed(goal_id)


@receiver([post_save, post_delete], sender=Metric)
def metric_saved(sender, instance: Metric, raw=False, **kwargs):
    if not raw and not _goal_going(kwargs):
        rollup.goal_changed(instance.goal_id)


@receiver([post_save, post_delete], sender=Assessment)
def assessment_saved(sender, instance: Assessment, raw=False, **kwargs):
    """The owners' judgement is what the roll-ups count first."""
    if not raw and not _goal_going(kwargs):
        rollup.goal_changed(instance.goal_id)


@receiver(post_save, sender=FollowUpOccasion)
def occasion_saved(sender, instance: FollowUpOccasion, raw=False, created=False, **kwargs):
    """A moved month can change which assessment is the latest."""
    if not raw and not created:
        rollup.goals_changed(
            Assessment.objects.filter(occasion=instance).values_list("goal_id", flat=True)
        )


@receiver(post_save, sender=Indicator)
def indicator_saved(sender, instance: Indicator, raw=False, created=False, **kwargs):
    if not raw and not created:
        rollup.indicator_changed(instance.pk)


# The unit fields an aggregated figure reads (which units count, and where they hang).
TREE_FIELDS = ("parent_id", "active_from", "active_until")


@receiver(pre_save, sender=OrgUnit)
def unit_saving(sender, instance: OrgUnit, raw=False, **kwargs):
    """Remember where the unit hung and when it was active, to tell a rename from a move."""
    if not raw and instance.pk is not None:
        instance._tree_before = (
            OrgUnit.objects.filter(pk=instance.pk).values_list(*TREE_FIELDS).first()
        )


@receiver(post_save, sender=OrgUnit)
def unit_saved(sender, instance: OrgUnit, raw=False, created=False, **kwargs):
    if raw or created:
        return  # a new unit has no values yet
    now = tuple(getattr(instance, name) for name in TREE_FIELDS)
    if getattr(instance, "_tree_before", None) != now:
        rollup.unit_tree_changed()


@receiver(post_save, sender=Goal)
def goal_saved(sender, instance: Goal, raw=False, created=False, **kwargs):
    """A new goal gets its stored row; a goal moved to another scorecard reads other values."""
    if not raw:
        rollup.goal_changed(instance.pk)


@receiver(post_save, sender=Scorecard)
def scorecard_saved(sender, instance: Scorecard, raw=False, created=False, **kwargs):
    if not raw and not created:  # its unit or year may have changed
        rollup.goals_changed(instance.goals.values_list("pk", flat=True))


@receiver([post_save, post_delete], sender=Goal)
@receiver([post_save, post_delete], sender=Scorecard)
@receiver([post_save, post_delete], sender=OrgUnit)
def chain_part_saved(sender, instance, raw=False, **kwargs):
    """A goal, scorecard or unit added, moved, renamed, adopted or removed changes what the chain
    rolls up, or the order its levels are listed in."""
    if not raw:
        rollup.rollup_changed()


@receiver(m2m_changed, sender=Goal.contributes_to.through)
def chain_links_changed(sender, instance, action, pk_set=None, **kwargs):
    """A link added or removed changes the roll-ups of the goals above it only; a cleared list
    no longer says which links went, so every roll-up goes."""
    if action in ("post_add", "post_remove"):
        rollup.links_changed({instance.pk, *(pk_set or ())})
    elif action == "post_clear":
        rollup.rollup_changed()


# ── What the scorecard page draws beside the statuses (scorecards.rendered) ───────────────────
# The page keeps its drawn goals until its scorecard's roll-up version moves. Values, targets,
# metrics, indicators and assessments move it through the status refresh above; goals,
# scorecards, units and links through ``chain_part_saved`` and ``chain_links_changed``. These
# are the rest of what the goal blocks show.


@receiver([post_save, post_delete], sender=Strategy)
def strategy_saved(sender, instance: Strategy, raw=False, **kwargs):
    if raw or _goal_going(kwargs):
        return  # a goal removed records a change of its own
    rollup.rollup_changed(
        Goal.objects.filter(pk=instance.goal_id).values_list("scorecard_id", flat=True)
    )


@receiver([post_save, post_delete], sender=Forecast)
def forecast_saved(sender, instance: Forecast, raw=False, **kwargs):
    """A metric's prognos helår shows on its unit's scorecards of the year."""
    if not raw:
        rollup.rollup_changed(
            Scorecard.objects.filter(unit_id=instance.unit_id, year=instance.year).values_list(
                "pk", flat=True
            )
        )


@receiver([post_save, post_delete], sender=ChangeAfterAdoption)
@receiver([post_save, post_delete], sender=AdoptedVersion)
def adoption_saved(sender, instance, raw=False, **kwargs):
    """A mark ("ändrat efter beslut") or a new decision, which starts the marks over."""
    if not raw and not _card_going(kwargs):
        rollup.rollup_changed([instance.scorecard_id])


def _card_going(kwargs) -> bool:
    origin = kwargs.get("origin")
    return (origin.model if isinstance(origin, QuerySet) else type(origin)) is Scorecard


@receiver([post_save, post_delete], sender=FollowUpOccasion)
def occasion_listed(sender, instance, raw=False, **kwargs):
    """Every scorecard of the year lists its occasions (title, lock) and compares with the
    previous one; occasions are added, renamed, moved or locked a few times a year."""
    if not raw:
        rollup.rollup_changed()


@receiver([post_save, post_delete], sender=Perspective)
def perspective_saved(sender, instance, raw=False, **kwargs):
    """A perspective's name, colour, icon or order shows on every scorecard using it; they change
    rarely."""
    if not raw:
        rollup.rollup_changed()


@receiver(m2m_changed, sender=Scorecard.perspectives.through)
def scorecard_perspectives_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        rollup.rollup_changed(None if reverse else [instance.pk])


@receiver(post_save, sender=get_user_model())
def user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """A mark names who made it: renaming them changes the scorecards they marked. A sign-in
    (which saves ``last_login`` alone) changes nothing drawn."""
    if raw or (update_fields is not None and set(update_fields) <= {"last_login"}):
        return
    _marked_by(instance)


@receiver(pre_delete, sender=get_user_model())
def user_deleting(sender, instance, **kwargs):
    """Their marks lose their name (``SET_NULL`` sends no signal of its own)."""
    _marked_by(instance)


def _marked_by(user) -> None:
    if user.pk is None:
        return
    cards = set(ChangeAfterAdoption.objects.filter(by=user).values_list("scorecard_id", flat=True))
    if cards:
        rollup.rollup_changed(cards)
