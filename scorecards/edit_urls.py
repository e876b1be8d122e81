"""URLs of the editing forms (see edit_views.py)."""

from django.urls import path

urlpatterns: list = []
