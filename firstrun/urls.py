from django.urls import path

from . import views

urlpatterns = [
    path("kom-igang/", views.setup_start, name="setup_start"),
    path("kom-igang/klar/", views.setup_finish, name="setup_finish"),
    path("kom-igang/kommun/", views.setup_municipality, name="setup_municipality"),
    path("kom-igang/enhetstyper/", views.setup_kinds, name="setup_kinds"),
    path("kom-igang/enheter/", views.setup_units, name="setup_units"),
    path("kom-igang/enheter/importera/", views.setup_import, name="setup_import"),
    path("kom-igang/enheter/mall/", views.setup_import_template, name="setup_import_template"),
    path("kom-igang/enheter/granska/", views.setup_import_preview, name="setup_import_preview"),
    path("kom-igang/perspektiv/", views.setup_perspectives, name="setup_perspectives"),
    path("kom-igang/malprogram/", views.setup_programme, name="setup_programme"),
    path("kom-igang/kalender/", views.setup_calendar, name="setup_calendar"),
]
