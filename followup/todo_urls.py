"""Follow-up URLs: "Att göra" and reminding those late for an occasion."""

from django.urls import path

from . import progress_views, todo_views

urlpatterns = [
    path("att-gora/", todo_views.todo, name="todo"),
    path(
        "uppfoljning/tillfalle/<int:pk>/paminn/",
        progress_views.occasion_remind,
        name="occasion_remind",
    ),
]
