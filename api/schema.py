"""The OpenAPI description: filters from the views' declarations, and the problem responses."""

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
    "400": "Uppgifterna innehåller fel, eller perioden är låst; inget har sparats.",
    "401": "Inloggning eller API-nyckel krävs.",
    "403": "Du saknar behörighet (eller CSRF-kontrollen misslyckades).",
    "409": "Någon annan har sparat under tiden; inget har sparats.",
    "415": "Formatet stöds inte; skicka JSON.",
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
