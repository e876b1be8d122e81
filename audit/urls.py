from django.urls import path

from . import views

urlpatterns = [
    path("granskning/", views.audit_log, name="audit_log"),
]
