from django.urls import path

from . import views

app_name = "yearreports"

urlpatterns = [
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/mallar/", views.template_list, name="template_list"),
    path("rapporter/mallar/ny/", views.template_create, name="template_create"),
    path("rapporter/mallar/<int:pk>/", views.template_detail, name="template_detail"),
    path("rapporter/mallar/<int:pk>/redigera/", views.template_edit, name="template_edit"),
    path("rapporter/mallar/<int:pk>/kopiera/", views.template_copy, name="template_copy"),
    path(
        "rapporter/mallar/<int:pk>/nytt-avsnitt/",
        views.template_section_create,
        name="template_section_create",
    ),
    path(
        "rapporter/mallavsnitt/<int:pk>/", views.template_section_edit, name="template_section_edit"
    ),
    path(
        "rapporter/mallavsnitt/<int:pk>/ta-bort/",
        views.template_section_delete,
        name="template_section_delete",
    ),
    path("rapporter/tillfalle/<int:occasion_pk>/", views.occasion_reports, name="occasion_reports"),
    path("rapporter/tillfalle/<int:occasion_pk>/skicka/", views.distribute, name="distribute"),
    path("rapporter/tillfalle/<int:occasion_pk>/paminn/", views.remind, name="remind"),
    path("rapporter/<int:pk>/", views.report_detail, name="report_detail"),
    path("rapporter/<int:pk>/nytt-avsnitt/", views.section_add, name="section_add"),
    path("rapporter/<int:pk>/faststall/", views.complete, name="complete"),
    path("rapporter/<int:pk>/rapport.docx", views.report_docx, name="docx"),
    path("rapporter/<int:pk>/rapport.pdf", views.report_pdf, name="pdf"),
    path("rapporter/<int:pk>/dokument/", views.report_html, name="html"),
    path("rapporter/avsnitt/<int:pk>/", views.section_edit, name="section_edit"),
    path("rapporter/avsnitt/<int:pk>/klar/", views.section_ready, name="section_ready"),
    path(
        "rapporter/avsnitt/<int:pk>/skicka-tillbaka/",
        views.section_send_back,
        name="section_send_back",
    ),
    path("rapporter/avsnitt/<int:pk>/godkann/", views.section_approve, name="section_approve"),
    path("rapporter/avsnitt/<int:pk>/citera/", views.section_quote, name="section_quote"),
    path("rapporter/avsnitt/<int:pk>/dolj/", views.section_hide, name="section_hide"),
]
