from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("", include("organisation.urls")),
    path("", include("scorecards.urls")),
    path("", include("followup.urls")),
    path("", include("assignments.urls")),
    path("", include("internalcontrol.urls")),
    path("", include("kolada.urls")),
    path("", include("reports.urls")),
    path("", include("accounts.urls")),
    path("", include("audit.urls")),
    path("", include("firstrun.urls")),
    path("", include("yearreports.urls")),
    path("", include("economy.urls")),
    path("api/", include("api.urls")),  # /api/v1/…, and JSON 404s for the rest of /api/
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# A database outage answers 503 with Retry-After, not 500 (core.views.server_error).
handler500 = "core.views.server_error"
