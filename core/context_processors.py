from django.utils.functional import SimpleLazyObject

from organisation import access

from .site import site_settings


def site(request):
    # Lazy: the settings row is read once per request, and only by templates that ask.
    current = SimpleLazyObject(site_settings)
    return {
        "MUNICIPALITY_NAME": SimpleLazyObject(lambda: current.name),
        "MUNICIPALITY_DESIGNATION": SimpleLazyObject(lambda: current.designation),
        "MUNICIPALITY_KOLADA_ID": SimpleLazyObject(lambda: current.kolada_id),
        # Lazy: computed only by templates that ask, and then from the per-request role cache.
        "is_city_admin": SimpleLazyObject(lambda: access.is_root_admin(request.user)),
    }
