"""Follow-up URLs: action."""

urlpatterns: list = []
