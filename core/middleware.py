class IgnoreBrowserLanguageMiddleware:
    """Swedish first: the language changes only through the site's own language switch.

    Django would otherwise follow the browser's Accept-Language header, so a visitor with an
    English browser would see a mixture of Swedish terms and English month names.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
