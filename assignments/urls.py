"""Assignment (uppdrag) URLs."""

from django.urls import path

from . import import_views, opendata, views

urlpatterns = [
    path("uppdrag/", views.assignment_list, name="assignment_list"),
    path("uppdrag/nytt/", views.assignment_create, name="assignment_create"),
    path("uppdrag/import/", import_views.assignment_import, name="assignment_import"),
    path(
        "uppdrag/import/mall.xlsx",
        import_views.assignment_import_template,
        name="assignment_import_template",
    ),
    path(
        "uppdrag/import/granska/",
        import_views.assignment_import_preview,
        name="assignment_import_preview",
    ),
    path("uppdrag/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("uppdrag/<int:pk>/redigera/", views.assignment_edit, name="assignment_edit"),
    path("uppdrag/<int:pk>/avsluta/", views.assignment_close, name="assignment_close"),
    path(
        "uppdrag/mottagare/<int:pk>/tillfalle/<int:occasion>/",
        views.assignment_report,
        name="assignment_report",
    ),
    path("oppna-data/uppdrag.csv", opendata.open_data_csv, name="assignment_open_data_csv"),
    path("oppna-data/uppdrag.json", opendata.open_data_json, name="assignment_open_data_json"),
]
