"""Follow-up URLs: occasions and the assessment of a scorecard's goals."""

from django.urls import path

from . import assessment_views as views
from . import unit_lock_views

urlpatterns = [
    path("uppfoljning/", views.occasion_list, name="occasion_list"),
    path(
        "uppfoljning/<int:year>/skapa/",
        views.occasion_create_defaults,
        name="occasion_create_defaults",
    ),
    path("uppfoljning/tillfalle/<int:pk>/", views.occasion_detail, name="occasion_detail"),
    path("uppfoljning/tillfalle/<int:pk>/las/", views.occasion_lock, name="occasion_lock"),
    path("uppfoljning/tillfalle/<int:pk>/oppna/", views.occasion_reopen, name="occasion_reopen"),
    path(
        "uppfoljning/tillfalle/<int:pk>/las/<slug:code>/",
        unit_lock_views.occasion_unit_lock,
        name="occasion_unit_lock",
    ),
    path(
        "uppfoljning/tillfalle/<int:pk>/oppna/<slug:code>/",
        unit_lock_views.occasion_unit_reopen,
        name="occasion_unit_reopen",
    ),
    path(
        "styrkort/<int:pk>/uppfoljning/<int:occasion_pk>/",
        views.scorecard_followup,
        name="scorecard_followup",
    ),
]
