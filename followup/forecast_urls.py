"""Follow-up URLs: prognos helår of a scorecard at an occasion."""

from django.urls import path

from . import forecast_views

urlpatterns = [
    path(
        "styrkort/<int:pk>/prognos/<int:occasion_pk>/",
        forecast_views.scorecard_forecast,
        name="scorecard_forecast",
    ),
]
