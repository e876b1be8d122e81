from django.contrib import admin

from .models import KoladaKpi, KoladaValue, SyncConflict, SyncRun


@admin.register(KoladaKpi)
class KoladaKpiAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "unit", "is_divided_by_gender", "operating_area"]
    search_fields = ["id", "title"]
    list_filter = ["municipality_type", "is_divided_by_gender"]


@admin.register(KoladaValue)
class KoladaValueAdmin(admin.ModelAdmin):
    list_display = ["kpi", "municipality", "year", "gender", "value", "fetched_at"]
    list_filter = ["gender"]
    search_fields = ["kpi", "municipality"]


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ["started_at", "status", "added", "changed", "deleted", "conflicts", "error"]
    list_filter = ["status"]


@admin.register(SyncConflict)
class SyncConflictAdmin(admin.ModelAdmin):
    list_display = ["indicator", "unit", "year", "current_value", "kolada_value", "resolved"]
    list_filter = ["resolved", "resolution"]
