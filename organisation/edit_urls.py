"""URLs of the unit forms (see edit_views.py)."""

from django.urls import path

from . import edit_views

urlpatterns = [
    path("organisation/ny/", edit_views.unit_create, name="unit_create"),
    path("organisation/<slug:code>/redigera/", edit_views.unit_edit, name="unit_edit"),
    path("organisation/<slug:code>/avveckla/", edit_views.unit_deactivate, name="unit_deactivate"),
]
