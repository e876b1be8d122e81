"""The REST API, version 1: everything a caller may see, and the writes their roles allow.

Every endpoint asks ``organisation.access`` who may see and change what: hidden objects answer
404 exactly like missing ones, visible ones the caller may not change answer 403. Values are
written only through ``followup.entry.measurements_save`` and assessments only through
``followup.assessments.save_assessment``, so the API follows the same rules as the pages.

Split by concern: ``base`` (the shared viewset), ``reading`` (read-only lists), ``targets``,
``values``, ``assessments`` and ``actions`` (the writes). ``api.urls`` registers the names below.
"""

from .actions import ActionViewSet
from .assessments import AssessmentViewSet
from .assignments import AssignmentViewSet
from .base import ApiViewSet
from .forecasts import ForecastViewSet
from .internalcontrol import ControlViewSet, RiskViewSet
from .reading import (
    GoalViewSet,
    IndicatorViewSet,
    MetricViewSet,
    OccasionViewSet,
    PeriodViewSet,
    PerspectiveViewSet,
    ProgrammeViewSet,
    ScorecardViewSet,
    StrategyViewSet,
    UnitViewSet,
)
from .reports import ReportSectionViewSet, ReportViewSet
from .targets import TargetViewSet
from .values import ValueViewSet

__all__ = [
    "AssignmentViewSet",
    "ControlViewSet",
    "RiskViewSet",
    "ActionViewSet",
    "ApiViewSet",
    "ForecastViewSet",
    "AssessmentViewSet",
    "GoalViewSet",
    "IndicatorViewSet",
    "MetricViewSet",
    "OccasionViewSet",
    "PeriodViewSet",
    "PerspectiveViewSet",
    "ProgrammeViewSet",
    "ReportSectionViewSet",
    "ReportViewSet",
    "ScorecardViewSet",
    "StrategyViewSet",
    "TargetViewSet",
    "UnitViewSet",
    "ValueViewSet",
]
