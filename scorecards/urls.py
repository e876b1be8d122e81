from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("styrkort/<int:pk>/", views.scorecard_detail, name="scorecard_detail"),
    path("mal/<int:pk>/malkedja/", views.goal_chain, name="goal_chain"),
    path("malprogram/", views.programme_list, name="programme_list"),
    path("malprogram/<int:pk>/", views.programme_detail, name="programme_detail"),
    path("matetal/", views.indicator_list, name="indicator_list"),
    path("matetal/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("", include("scorecards.edit_urls")),
    path("", include("scorecards.structure_urls")),
]
