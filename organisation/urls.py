from django.urls import include, path

from . import views

urlpatterns = [
    path("organisation/", views.unit_tree, name="unit_tree"),
    path("", include("organisation.edit_urls")),
    path("", include("organisation.role_urls")),
    path("organisation/<slug:code>/", views.unit_detail, name="unit_detail"),
]
