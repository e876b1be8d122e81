from django.urls import path

from . import oidc, views

urlpatterns = [
    path("konto/logga-in/", views.login, name="login"),
    path("konto/logga-ut/", views.logout, name="logout"),
    path(
        "konto/oidc/logga-in/",
        oidc.AuthenticationRequestView.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "konto/oidc/callback/",
        oidc.AuthenticationCallbackView.as_view(),
        name="oidc_authentication_callback",
    ),
    path("personer/", views.person_list, name="person_list"),
    path("personer/ny/", views.person_create_view, name="person_create"),
    path("personer/<int:pk>/bjud-in/", views.person_invite_view, name="person_invite"),
    path("personer/<int:pk>/api-nycklar/", views.person_token_create, name="person_token_create"),
    path(
        "personer/<int:pk>/api-nycklar/<int:token_pk>/aterkalla/",
        views.person_token_revoke,
        name="person_token_revoke",
    ),
    path("konto/valj-losenord/<uidb64>/<token>/", views.password_set, name="password_set"),
    path("personer/<int:pk>/", views.person_detail, name="person_detail"),
    path("personer/<int:pk>/aktiv/", views.person_set_active, name="person_set_active"),
]
