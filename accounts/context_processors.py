from django.utils.functional import SimpleLazyObject

from organisation import access


def sign_in(request):
    """Whether to show the administrators' links; computed only when a template asks."""
    return {"is_city_admin": SimpleLazyObject(lambda: access.is_root_admin(request.user))}
