from django.contrib import admin

from . import access
from .models import OrgUnit, RoleAssignment


def _whole_municipality_staff(request) -> bool:
    """Django's admin reads and changes every row, past every scoped check in access.py, so the
    staff flag alone is not enough: the user must administer the whole municipality too."""
    user = request.user
    return user.is_active and user.is_staff and access.can_operate(user)


admin.site.has_permission = _whole_municipality_staff


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "active_from", "active_until"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    autocomplete_fields = ["unit"]
