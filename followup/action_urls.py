"""Follow-up URLs: improvement actions, trend charts and the change history."""

from django.urls import path

from . import action_views, history_views

urlpatterns = [
    path("styrkort/<int:pk>/aktiviteter/", action_views.action_list, name="action_list"),
    path("mal/<int:pk>/ny-aktivitet/", action_views.action_create, name="action_create"),
    path("aktivitet/<int:pk>/redigera/", action_views.action_edit, name="action_edit"),
    path("matetal-pa-mal/<int:pk>/trend/", action_views.metric_trend, name="metric_trend"),
    path("historik/<str:kind>/<int:pk>/", history_views.object_history, name="object_history"),
]
