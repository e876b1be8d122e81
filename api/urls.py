"""/api/v1/: the endpoints, the OpenAPI schema and its documentation; JSON 404s for the rest."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from economy.api import EconomyViewSet

from . import docs_page, views
from .exceptions import not_found

router = SimpleRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("perspectives", views.PerspectiveViewSet, basename="perspective")
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("goals", views.GoalViewSet, basename="goal")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("targets", views.TargetViewSet, basename="target")
router.register("occasions", views.OccasionViewSet, basename="occasion")
# The first name of /occasions/, deprecated (marked so in the schema and in a Deprecation header).
router.register("periods", views.PeriodViewSet, basename="period")
router.register("values", views.ValueViewSet, basename="value")
router.register("forecasts", views.ForecastViewSet, basename="forecast")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("actions", views.ActionViewSet, basename="action")
router.register("reports", views.ReportViewSet, basename="report")
router.register("report-sections", views.ReportSectionViewSet, basename="reportsection")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("economy", EconomyViewSet, basename="economy")  # issue 22: economy/api.py
router.register("risks", views.RiskViewSet, basename="risk")
router.register("controls", views.ControlViewSet, basename="control")

app_name = "api"

v1 = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_page.api_docs, name="docs"),  # server-rendered; see docs_page
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    re_path(r"", not_found),
]
