from django.urls import path

from . import views

urlpatterns = [
    path("kolada/kpi/", views.kpi_picker, name="kpi_picker"),
    path("kolada/matetal/<int:pk>/koppla/", views.indicator_link_kpi, name="indicator_link_kpi"),
    path("kolada/synk/", views.sync_status, name="sync_status"),
    path("kolada/konflikter/", views.sync_conflicts, name="sync_conflicts"),
    path("kolada/jamfor/<int:indicator_pk>/", views.benchmark_page, name="benchmark"),
]
