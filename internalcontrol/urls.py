"""Internal control (internkontroll) URLs."""

from django.urls import path

from . import import_views, views

urlpatterns = [
    path("internkontroll/", views.plan_list, name="control_plan_list"),
    path("internkontroll/ny/", views.plan_create, name="control_plan_create"),
    path("internkontroll/<int:pk>/", views.plan_detail, name="control_plan_detail"),
    path("internkontroll/<int:pk>/andra/", views.plan_edit, name="control_plan_edit"),
    path(
        "internkontroll/<int:pk>/import/",
        import_views.control_plan_import,
        name="control_plan_import",
    ),
    path(
        "internkontroll/<int:pk>/import/mall.xlsx",
        import_views.control_plan_import_template,
        name="control_plan_import_template",
    ),
    path(
        "internkontroll/<int:pk>/import/granska/",
        import_views.control_plan_import_preview,
        name="control_plan_import_preview",
    ),
    path("internkontroll/<int:pk>/faststall/", views.plan_adopt, name="control_plan_adopt"),
    path("internkontroll/<int:pk>/ny-risk/", views.risk_create, name="risk_create"),
    path("internkontroll/risk/<int:pk>/", views.risk_edit, name="risk_edit"),
    path("internkontroll/risk/<int:pk>/ta-bort/", views.risk_delete, name="risk_delete"),
    path("internkontroll/risk/<int:pk>/ny-kontroll/", views.control_create, name="control_create"),
    path("internkontroll/kontroll/<int:pk>/", views.control_edit, name="control_edit"),
    path("internkontroll/kontroll/<int:pk>/ta-bort/", views.control_delete, name="control_delete"),
    path(
        "internkontroll/kontroll/<int:pk>/tillfalle/<int:occasion>/",
        views.control_result,
        name="control_result",
    ),
]
