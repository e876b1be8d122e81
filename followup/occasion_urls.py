"""Follow-up URLs: creating, changing and deleting occasions (see occasion_views.py)."""

from django.urls import path

from . import occasion_views as views

urlpatterns = [
    path("uppfoljning/bedomningsskala/", views.assessment_scale, name="assessment_scale"),
    path("uppfoljning/tillfalle/nytt/", views.occasion_create, name="occasion_create"),
    path("uppfoljning/tillfalle/<int:pk>/redigera/", views.occasion_edit, name="occasion_edit"),
    path("uppfoljning/tillfalle/<int:pk>/ta-bort/", views.occasion_delete, name="occasion_delete"),
]
