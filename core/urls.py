from django.urls import path

from . import views, word_template

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("readyz/worker", views.readyz_worker, name="readyz_worker"),
    path("metrics", views.metrics, name="metrics"),
    path("drift/", views.ops_status, name="ops_status"),
    path("drift/jobb/<uuid:pk>/fil", views.ops_job_file, name="ops_job_file"),
    path("administration/wordmall/", word_template.word_template, name="word_template"),
]
