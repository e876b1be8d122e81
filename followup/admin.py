from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import models


@admin.register(models.Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "unit", "year", "month", "value", "source"]
    list_filter = ["source", "year"]


admin.site.register(models.FollowUpOccasion)
admin.site.register(models.Assessment, SimpleHistoryAdmin)
admin.site.register(models.Action, SimpleHistoryAdmin)
