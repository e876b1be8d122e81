"""Keep precomputed goal statuses (followup.rollup) in step with every write."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from scorecards.models import Metric, Target

from . import rollup
from .models import Measurement


@receiver([post_save, post_delete], sender=Measurement)
def measurement_saved(sender, instance: Measurement, raw=False, **kwargs):
    if not raw:
        rollup.measurement_changed(instance.indicator_id, instance.unit_id, instance.year)


@receiver([post_save, post_delete], sender=Target)
def target_saved(sender, instance: Target, raw=False, **kwargs):
    if raw:
        return
    goal_id = Metric.objects.filter(pk=instance.metric_id).values_list("goal_id", flat=True).first()
    if goal_id:
        rollup.goal_changed(goal_id)


@receiver([post_save, post_delete], sender=Metric)
def metric_saved(sender, instance: Metric, raw=False, **kwargs):
    if not raw:
        rollup.goal_changed(instance.goal_id)
