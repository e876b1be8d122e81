from django.conf import settings
from django.utils.functional import SimpleLazyObject

from organisation import access

from .wording import municipality_words


def site(request):
    return {
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        # How pages name the whole municipality ("kommunen", "kommunens"): core/wording.py.
        "MUNICIPALITY_WORDS": SimpleLazyObject(municipality_words),
        # Lazy: computed only by templates that ask, and then from the per-request role cache.
        "is_city_admin": SimpleLazyObject(lambda: access.is_root_admin(request.user)),
    }
