"""URLs of the unit forms (see edit_views.py)."""

from django.urls import path

urlpatterns: list = []
