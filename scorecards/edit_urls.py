"""URLs of the editing forms (see edit_views.py)."""

from django.urls import path

from . import edit_views as views

urlpatterns = [
    path(
        "organisation/<slug:code>/nytt-styrkort/", views.scorecard_create, name="scorecard_create"
    ),
    path("styrkort/<int:pk>/redigera/", views.scorecard_edit, name="scorecard_edit"),
    path("styrkort/<int:pk>/faststall/", views.scorecard_adopt, name="scorecard_adopt"),
    path("styrkort/<int:pk>/arkivera/", views.scorecard_archive, name="scorecard_archive"),
    path("styrkort/<int:pk>/kopiera/", views.scorecard_copy, name="scorecard_copy"),
    path("styrkort/<int:pk>/nytt-mal/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/redigera/", views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/koppla/", views.goal_links, name="goal_links"),
    path("mal/<int:pk>/ny-strategi/", views.strategy_create, name="strategy_create"),
    path("strategi/<int:pk>/redigera/", views.strategy_edit, name="strategy_edit"),
    path("strategi/<int:pk>/ta-bort/", views.strategy_delete, name="strategy_delete"),
    path("matetal/nytt/", views.indicator_create, name="indicator_create"),
    path("matetal/<int:pk>/redigera/", views.indicator_edit, name="indicator_edit"),
    path("mal/<int:pk>/nytt-matetal/", views.metric_create, name="metric_create"),
    path("matetal-pa-mal/<int:pk>/ta-bort/", views.metric_delete, name="metric_delete"),
    path("matetal-pa-mal/<int:pk>/malvarde/<int:year>/", views.target_edit, name="target_edit"),
]
