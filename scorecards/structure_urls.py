"""URLs of the administration of perspectives and goal programmes (see structure_views.py)."""

from django.urls import path

from . import structure_views as views

urlpatterns = [
    path("administration/", views.administration, name="administration"),
    path("perspektiv/", views.perspective_list, name="perspective_list"),
    path("perspektiv/nytt/", views.perspective_create, name="perspective_create"),
    path("perspektiv/<int:pk>/redigera/", views.perspective_edit, name="perspective_edit"),
    path("perspektiv/<int:pk>/ta-bort/", views.perspective_delete, name="perspective_delete"),
    path("malprogram/nytt/", views.programme_create, name="programme_create"),
    path("malprogram/<int:pk>/redigera/", views.programme_edit, name="programme_edit"),
    path("malprogram/<int:pk>/ta-bort/", views.programme_delete, name="programme_delete"),
]
