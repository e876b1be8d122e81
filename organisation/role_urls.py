"""URLs of role management (see role_views.py)."""

from django.urls import path

from . import role_views

urlpatterns = [
    path("organisation/<slug:code>/roller/", role_views.role_list, name="role_list"),
    path(
        "organisation/<slug:code>/roller/<int:pk>/ta-bort/",
        role_views.role_remove_view,
        name="role_remove",
    ),
]
