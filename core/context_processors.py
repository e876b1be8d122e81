from django.utils.functional import SimpleLazyObject

from organisation import access

from .site import site_settings
from .wording import municipality_words


def site(request):
    # Lazy: the settings row is read once per request, and only by templates that ask.
    current = SimpleLazyObject(site_settings)
    words = SimpleLazyObject(municipality_words)
    return {
        "MUNICIPALITY_NAME": SimpleLazyObject(lambda: current.name),
        "MUNICIPALITY_KOLADA_ID": SimpleLazyObject(lambda: current.kolada_id),
        # How pages name the whole municipality ("kommunen", "kommunens"): core/wording.py.
        "MUNICIPALITY_WORDS": words,
        "MUNICIPALITY_DESIGNATION": SimpleLazyObject(lambda: words.designation),
        # Lazy: computed only by templates that ask, and then from the per-request role cache.
        "is_city_admin": SimpleLazyObject(lambda: access.is_root_admin(request.user)),
        # Whether "Att göra" is in the menu: people with a role land there after signing in.
        "has_roles": SimpleLazyObject(lambda: access.has_any_role(request.user)),
    }
