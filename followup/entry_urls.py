"""Follow-up URLs: entry."""

urlpatterns: list = []
