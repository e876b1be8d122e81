from django.urls import include, path

urlpatterns = [
    path("", include("followup.entry_urls")),
    path("", include("followup.assessment_urls")),
    path("", include("followup.action_urls")),
    path("", include("followup.occasion_urls")),
    path("", include("followup.forecast_urls")),
    path("", include("followup.todo_urls")),
]
