"""Every error as JSON problem details (RFC 9457), in Swedish, never an unhandled 500.

A problem has ``type``, ``title``, ``status`` and ``detail``; field and row errors are listed in
``errors``, each with ``detail`` and where it applies a JSON ``pointer`` into the request body or
the query ``parameter`` it concerns.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from followup.assessments import StaleVersion
from followup.locking import PeriodLocked

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/problem+json"
BLANK = "about:blank"
VALIDATION = "urn:styrkort:problem:validation"
PERIOD_LOCKED = "urn:styrkort:problem:period-locked"
CONFLICT = "urn:styrkort:problem:conflict"
# Error codes of rules the OpenAPI schema cannot state (they depend on stored data): a request
# that breaks only these is well formed and answers 422; EXISTS (already there) answers 409.
RULE = "rule"
EXISTS = "exists"
_UNPROCESSABLE = {RULE, "does_not_exist", "missing"}  # "missing": api.serializers.UnitRefField

TITLES = {
    400: gettext_lazy("Ogiltig begäran"),
    401: gettext_lazy("Inloggning krävs"),
    403: gettext_lazy("Åtkomst nekad"),
    404: gettext_lazy("Hittades inte"),
    405: gettext_lazy("Metoden är inte tillåten"),
    406: gettext_lazy("Svarsformatet kan inte levereras"),
    409: gettext_lazy("Konflikt"),
    422: gettext_lazy("Uppgifterna kan inte sparas"),
    415: gettext_lazy("Formatet stöds inte"),
    429: gettext_lazy("För många anrop"),
    500: gettext_lazy("Internt fel"),
    503: gettext_lazy("Tjänsten är tillfälligt otillgänglig"),
}
# Seconds a client is asked to wait when the database does not answer (a restart, a failover).
RETRY_AFTER_SECONDS = 30


class Problem(exceptions.APIException):
    """An error with a problem type, and optionally ``errors`` and extra members."""

    def __init__(
        self,
        detail: str,
        *,
        status_code: int = 400,
        type: str = BLANK,
        title: str | None = None,
        errors: list[dict] | None = None,
        extra: dict | None = None,
    ):
        super().__init__(detail)
        self.status_code = status_code
        self.type = type
        self.title = title
        self.errors = errors
        self.extra = extra or {}


def problem_data(
    status_code: int,
    detail: str,
    *,
    type: str = BLANK,
    title: str | None = None,
    errors: list[dict] | None = None,
    extra: dict | None = None,
) -> dict:
    data = {
        "type": type,
        "title": str(title or TITLES.get(status_code, TITLES[400])),
        "status": status_code,
        "detail": str(detail),
    }
    if errors is not None:
        data["errors"] = errors
    data.update(extra or {})
    return data


def flatten(detail, path: tuple = ()) -> list[dict]:
    """DRF's nested error detail as a flat list of {pointer, detail, code}."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            inner = path if key == api_settings.NON_FIELD_ERRORS_KEY else (*path, key)
            found += flatten(value, inner)
        return found
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [_error(path, item) for item in detail]
        found = []
        for index, item in enumerate(detail):
            found += flatten(item, (*path, index))
        return found
    return [_error(path, detail)]


def _error(path: tuple, message) -> dict:
    error = {"pointer": "#" + "".join(f"/{part}" for part in path), "detail": str(message)}
    code = getattr(message, "code", None)
    if code:
        error["code"] = code
    return error


def _from_django_validation(exc: DjangoValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"pointer": "#" if field == "__all__" else f"#/{field}", "detail": str(message)}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    return [{"pointer": "#", "detail": str(message)} for message in exc.messages]


def validation_status(errors: list[dict]) -> int:
    """400 when the request breaks the schema, 409 when it names what exists, else 422."""
    codes = {error.get("code") for error in errors}
    if codes == {EXISTS}:
        return status.HTTP_409_CONFLICT
    if codes and codes <= _UNPROCESSABLE | {EXISTS}:
        return status.HTTP_422_UNPROCESSABLE_ENTITY
    return status.HTTP_400_BAD_REQUEST


def problem_handler(exc, context) -> Response:
    """DRF's exception handler, answering every error with problem details."""
    headers = {}
    extra = {}
    type_ = BLANK
    title = None
    errors = None
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Det finns inget sådant objekt, eller så får du inte se det."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(_("Du har inte behörighet att göra det här."))

    if isinstance(exc, StaleVersion):
        status_code, detail, type_ = status.HTTP_409_CONFLICT, exc.messages[0], CONFLICT
        view = context.get("view")
        if exc.current is not None and hasattr(view, "represent_current"):
            extra["current"] = view.represent_current(exc.current)
        else:
            extra["current"] = None
    elif isinstance(exc, PeriodLocked):
        status_code, detail, type_ = status.HTTP_409_CONFLICT, exc.messages[0], PERIOD_LOCKED
        title = _("Perioden är låst")
    elif isinstance(exc, DjangoValidationError):  # a business rule (followup, the models)
        status_code, type_ = status.HTTP_422_UNPROCESSABLE_ENTITY, VALIDATION
        errors = _from_django_validation(exc)
        detail = _("Uppgifterna innehåller fel. Inget har sparats.")
    elif isinstance(exc, IntegrityError):
        # A unique rule broken by a write that raced another one: the caller reads and tries again.
        logger.warning("Integrity error in the API, answered 409", exc_info=exc)
        status_code, type_ = status.HTTP_409_CONFLICT, CONFLICT
        detail = _("Någon annan sparade samtidigt. Läs på nytt och försök igen; inget har sparats.")
    elif isinstance(exc, Problem):
        status_code, detail, type_, title = exc.status_code, exc.detail, exc.type, exc.title
        errors, extra = exc.errors, exc.extra
    elif isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        status_code, type_ = validation_status(errors), VALIDATION
        detail = _("Uppgifterna innehåller fel. Inget har sparats.")
    elif isinstance(exc, OperationalError | InterfaceError):  # the database is away
        logger.warning("API answered 503: the database did not answer (%s)", exc.__class__.__name__)
        status_code = status.HTTP_503_SERVICE_UNAVAILABLE
        detail = _("Databasen svarar inte just nu. Försök igen om en stund. Inget har sparats.")
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    elif isinstance(exc, exceptions.APIException):
        status_code = exc.status_code
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(status_code, "")
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
    else:
        logger.exception("Unhandled error in the API", exc_info=exc)
        status_code = status.HTTP_500_INTERNAL_SERVER_ERROR
        detail = _("Ett oväntat fel inträffade. Inget har sparats.")
    set_rollback()
    data = problem_data(status_code, detail, type=type_, title=title, errors=errors, extra=extra)
    return Response(data, status=status_code, headers=headers, content_type=CONTENT_TYPE)


def _json_problem(request: HttpRequest, status_code: int, detail: str, **headers) -> JsonResponse:
    response = JsonResponse(
        problem_data(status_code, detail), status=status_code, content_type=CONTENT_TYPE
    )
    for name, value in headers.items():
        response[name] = value
    return response


@csrf_exempt  # nothing is changed here, so a refusal for a missing CSRF token would mislead
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/ that is not an endpoint: a JSON 404, whatever the method."""
    return _json_problem(request, 404, _("Det finns ingen sådan adress i API:et."))
