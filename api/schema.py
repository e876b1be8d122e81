"""The OpenAPI description: filters from the views' declarations, and the problem responses."""

import re

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiParameter

READ_ERRORS = {
    "400": "Ogiltig parameter.",
    "401": "Ogiltig eller återkallad API-nyckel.",
    "403": "Åtkomst nekad.",
    "404": "Finns inte, eller syns inte för den som frågar.",
    "406": "Svarsformatet kan inte levereras.",
    "503": "Databasen svarar inte just nu (Retry-After säger när det är värt att försöka igen).",
}
WRITE_ERRORS = {
    **READ_ERRORS,
    "400": "Anropet följer inte schemat (typ, format, gränser, okänd parameter); inget har sparats.",
    "401": "Inloggning eller API-nyckel krävs.",
    "403": "Du saknar behörighet (eller CSRF-kontrollen misslyckades).",
    "409": (
        "Krockar med det sparade: någon annan har sparat under tiden, perioden är låst eller "
        "det finns redan; inget har sparats."
    ),
    "415": "Formatet stöds inte; skicka JSON.",
    "422": (
        "Anropet följer schemat men bryter mot en regel som beror på sparade uppgifter (t.ex. ett "
        "mätetal som inte finns i styrkortet, ett orimligt värde); inget har sparats."
    ),
}

PROBLEM_ERROR = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "pointer": {"type": "string", "description": "JSON-pekare i anropets innehåll."},
        "parameter": {"type": "string", "description": "Frågeparametern felet gäller."},
        "code": {"type": "string"},
        "row": {"type": "integer", "description": "Radens index i en massinmatning."},
        "indicator": {"type": "integer"},
    },
    "required": ["detail"],
}
PROBLEM = {
    "type": "object",
    "description": "Problembeskrivning enligt RFC 9457.",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ProblemError"}},
        "current": {
            "description": "Vid konflikt: det som sparades senast (eller null).",
            "nullable": True,
        },
    },
    "required": ["type", "title", "status", "detail"],
}


class AutoSchema(openapi.AutoSchema):
    """Adds each view's declared filters (``view.filters``) and extra query parameters."""

    def get_description(self):
        # Only what extend_schema says: view docstrings are notes for developers, in English.
        return ""

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        view = self.view
        if "{id}" in self.path:
            id_schema = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}
            parameters.append(OpenApiParameter("id", id_schema, OpenApiParameter.PATH))
        if self._is_list_view():
            parameters += [f.parameter() for f in getattr(view, "filters", [])]
        if self.method == "GET":
            parameters += [p.parameter() for p in getattr(view, "read_parameters", [])]
        return parameters


def add_problem_responses(result, generator, request, public):
    """Document the problem-details answers every operation may give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ProblemError"] = PROBLEM_ERROR
    schemas["Problem"] = PROBLEM
    content = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = READ_ERRORS if method in ("get", "head") else WRITE_ERRORS
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": content}
                )
    return result


def assessment_choices() -> list[str]:
    """The configured assessment scale's values, named once in the schema."""
    from followup import scales

    return [choice.value for choice in scales.get_scale().choices]


def result_statuses() -> list[str]:
    from followup.status import Status

    return [status.value for status in Status]


def _forbidden_characters() -> str:
    """The characters no text field takes, as the body of a regex class with escapes."""
    try:  # core.text (issue 15.1) names every character XML cannot hold
        from core.text import FORBIDDEN

        chars = FORBIDDEN.pattern.strip("[]")
    except ImportError:  # DRF's own rule
        chars = "\x00"
    # Lone surrogates left out: JSON text cannot carry them unescaped, and schemathesis 4.32 then
    # generates the other excluded characters too.
    chars = chars.replace("\ud800-\udfff", "")
    return "".join(c if c.isprintable() and c != "\\" else f"\\u{ord(c):04x}" for c in chars)


ID_SCHEMA = {"minimum": 1, "maximum": 2**63 - 1}
_DRF_DECIMAL = re.compile(r"\\d\{0,(\d+)\}\(\?:\\\.\\d\{0,(\d+)\}\)")


def describe_request_bodies(result, generator, request, public):
    """Say in the schema what the request serializers take and DRF's schema leaves out.

    Text: no character a text field refuses, and at least one that is not a space where a text is
    required (DRF trims it). Numbers: digits and a point as text, or an integer — the form
    ``api.strict`` holds requests to. Ids: from 1 to the largest the database holds.
    """
    forbidden = _forbidden_characters()
    text = f"^[^{forbidden}]*$"
    required_text = rf"^[^{forbidden}]*[^{forbidden}\s][^{forbidden}]*$"
    for name, component in result.get("components", {}).get("schemas", {}).items():
        if not name.endswith("Request"):
            continue
        for field, prop in component.get("properties", {}).items():
            if prop.get("type") == "array":
                prop.update(_list_limits(name, field))
            if prop.get("format") == "decimal":
                component["properties"][field] = _decimal(prop)
            elif prop.get("type") == "string" and not {"format", "enum", "pattern"} & set(prop):
                prop["pattern"] = required_text if prop.get("minLength") else text
            elif prop.get("type") == "integer" and not {"minimum", "maximum"} & set(prop):
                prop.update(ID_SCHEMA)  # the request serializers' unbounded integers are ids
    return result


def _decimal(prop: dict) -> dict:
    whole, decimals = (int(n) for n in _DRF_DECIMAL.search(prop["pattern"]).groups())
    largest = 10**whole - 1
    described = {k: v for k, v in prop.items() if k not in ("type", "format", "pattern")}
    described["anyOf"] = [
        {"type": "string", "pattern": rf"^-?[0-9]{{1,{whole}}}(\.[0-9]{{1,{decimals}}})?$"},
        {"type": "integer", "minimum": -largest, "maximum": largest},
    ]
    return described


def _list_limits(component: str, field: str) -> dict:
    """minItems and maxItems of a list of rows (DRF's allow_empty and max_length)."""
    from . import serializers
    from .views import assignments

    name = component.removeprefix("Patched")[: -len("Request")] + "Serializer"
    serializer = getattr(serializers, name, None) or getattr(assignments, name)
    rows = serializer().fields[field]
    limits = {"minItems": 0 if rows.allow_empty else 1}
    if rows.max_length is not None:
        limits["maxItems"] = rows.max_length
    return limits
