"""Follow-up URLs: entering actual values."""

from django.urls import path

from . import entry_views

urlpatterns = [
    path("styrkort/<int:pk>/utfall/", entry_views.value_entry, name="value_entry"),
]
