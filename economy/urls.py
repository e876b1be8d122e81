from django.urls import path

from . import views

urlpatterns = [
    path("ekonomi/", views.home, name="economy_home"),
    path("ekonomi/import/", views.upload, name="economy_upload"),
    path("ekonomi/import/<uuid:batch_id>/", views.preview, name="economy_preview"),
    path("ekonomi/mappning/", views.mapping, name="economy_mapping"),
    path("ekonomi/<slug:code>/<int:year>/", views.unit_economy, name="economy_unit"),
    path("ekonomi/<slug:code>/<int:year>/xlsx/", views.unit_economy_xlsx, name="economy_unit_xlsx"),
]
