import logging
import time

from .logging import new_request_id, request_id_var

access_log = logging.getLogger("styrkort.request")


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


class RequestIdMiddleware:
    """Gives every request an id: the proxy's ``X-Request-ID`` if it sent a sane one, else a new
    one. The id is on the response's ``X-Request-ID`` header and in every log record written
    while the request runs (``core.logging``), and one access line per request is logged.

    First in the middleware list, so redirects and refusals of later middleware carry it too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = new_request_id(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
