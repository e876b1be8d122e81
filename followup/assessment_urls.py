"""Follow-up URLs: assessment."""

urlpatterns: list = []
