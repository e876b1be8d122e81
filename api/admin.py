from django.contrib import admin, messages
from django.utils.translation import gettext as _

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Lists tokens and issues new ones; the secret is shown once, when it is created."""

    list_display = ["prefix", "name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "user__username"]
    fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    autocomplete_fields = ["user"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = ApiToken.issue(user=obj.user, name=obj.name)
        obj.pk = token.pk
        messages.warning(
            request,
            _("Ny API-nyckel (visas bara nu, spara den): %(secret)s") % {"secret": secret},
        )

    @admin.action(description=_("Återkalla valda nycklar"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
