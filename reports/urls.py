"""Reports: spreadsheet import and export, PDF reports and open data."""

from django.urls import path

from . import import_views, scorecard_import_views, views

urlpatterns = [
    path("styrkort/<int:pk>/import/", import_views.import_start, name="import_start"),
    path(
        "styrkort/<int:pk>/import/<slug:kind>/mall.xlsx",
        import_views.import_template,
        name="import_template",
    ),
    path("styrkort/<int:pk>/import/<slug:kind>/", import_views.import_upload, name="import_upload"),
    path(
        "styrkort/import/",
        scorecard_import_views.scorecard_import_start,
        name="scorecard_import_start",
    ),
    path(
        "styrkort/import/mall.xlsx",
        scorecard_import_views.scorecard_import_template,
        name="scorecard_import_template",
    ),
    path(
        "styrkort/import/granska/",
        scorecard_import_views.scorecard_import_preview,
        name="scorecard_import_preview",
    ),
    path("import/<uuid:batch_id>/", import_views.import_preview, name="import_preview"),
    path("styrkort/<int:pk>/export.xlsx", views.scorecard_export, name="scorecard_export"),
    path("styrkort/<int:pk>/rapport.pdf", views.scorecard_pdf, name="scorecard_pdf"),
    path(
        "styrkort/<int:pk>/uppfoljning/<int:occasion_pk>/export.xlsx",
        views.followup_export,
        name="followup_export",
    ),
    path(
        "styrkort/<int:pk>/uppfoljning/<int:occasion_pk>/rapport.pdf",
        views.followup_pdf,
        name="followup_pdf",
    ),
    path(
        "uppfoljning/tillfalle/<int:pk>/export.xlsx", views.occasion_export, name="occasion_export"
    ),
    path("oppna-data/", views.open_data, name="open_data"),
    path("oppna-data/styrkort.csv", views.open_data_csv, name="open_data_csv"),
    path("oppna-data/styrkort.json", views.open_data_json, name="open_data_json"),
]
