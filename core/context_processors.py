from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisation import access


def site(request):
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        # Lazy: computed only by templates that ask, and then from the per-request role cache.
        "is_city_admin": SimpleLazyObject(lambda: access.is_root_admin(request.user)),
    }
