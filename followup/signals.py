"""Keep precomputed goal statuses (followup.rollup) in step with every write."""

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from organisation.models import OrgUnit
from scorecards.models import Goal, Metric, Scorecard, Target

from . import rollup
from .models import Measurement


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


@receiver([post_save, post_delete], sender=Goal)
@receiver([post_save, post_delete], sender=Scorecard)
@receiver([post_save, post_delete], sender=OrgUnit)
def chain_part_saved(sender, instance, raw=False, **kwargs):
    """A goal, scorecard or unit added, moved, renamed, adopted or removed changes what the chain
    rolls up, or the order its levels are listed in."""
    if not raw:
        rollup.rollup_changed()


@receiver(m2m_changed, sender=Goal.contributes_to.through)
def chain_links_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        rollup.rollup_changed()
