from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models

admin.site.register(models.GoalProgramme)
admin.site.register(models.Perspective)
admin.site.register(models.Strategy)


@admin.register(models.Scorecard)
class ScorecardAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "year", "status"]
    list_filter = ["year", "status"]


@admin.register(models.Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ["title", "scorecard", "perspective"]
    search_fields = ["title"]


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "source", "kolada_kpi"]
    search_fields = ["name", "code", "kolada_kpi"]


@admin.register(models.Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["indicator", "goal"]


@admin.register(models.Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["metric", "year", "comparator", "value"]
