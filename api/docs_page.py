"""/api/v1/docs/: the OpenAPI schema as a plain, server-rendered page in the site's own layout.

It replaces Swagger UI, whose markup axe faults on every page (low-contrast method badges, and
buttons nested in the collapsible operation headers, which no stylesheet can undo). This page
needs no JavaScript, reads in both languages (the schema's own texts are Swedish and are marked
``lang="sv"``), and lists every operation with its parameters, request fields and answers. The
machine-readable schema stays at /api/v1/schema/ for tools (Swagger UI, Postman, code generators).
"""

import functools

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def _schema() -> dict:
    """The schema depends only on the code: made once per process."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _ref_name(schema: dict | None) -> str:
    ref = (schema or {}).get("$ref") or (schema or {}).get("items", {}).get("$ref") or ""
    return ref.rsplit("/", 1)[-1]


def _type_of(prop: dict) -> str:
    if _ref_name(prop):
        name = _ref_name(prop)
        return f"{name}[]" if prop.get("type") == "array" else name
    kind = prop.get("type", "")
    if kind == "array":
        return f"{_type_of(prop.get('items', {}))}[]"
    fmt = prop.get("format")
    return f"{kind} ({fmt})" if fmt else kind or "object"


def _fields(components: dict, name: str) -> list[dict]:
    schema = components.get(name, {})
    required = set(schema.get("required", []))
    return [
        {
            "name": field,
            "type": _type_of(prop),
            "required": field in required,
            "read_only": prop.get("readOnly", False),
            "description": prop.get("description", ""),
            "choices": prop.get("enum", []),
        }
        for field, prop in schema.get("properties", {}).items()
    ]


def _operation(path: str, method: str, op: dict, components: dict) -> dict:
    body = op.get("requestBody", {}).get("content", {})
    body_name = next((_ref_name(c.get("schema")) for c in body.values()), "")
    return {
        "id": op.get("operationId", f"{method}-{path}"),
        "method": method.upper(),
        "path": path,
        "summary": op.get("summary", ""),
        "description": op.get("description", ""),
        "deprecated": op.get("deprecated", False),
        "parameters": [
            {
                "name": p["name"],
                "where": p.get("in", ""),
                "required": p.get("required", False),
                "type": _type_of(p.get("schema", {})),
                "description": p.get("description", ""),
            }
            for p in op.get("parameters", [])
        ],
        "body": body_name,
        "body_fields": _fields(components, body_name) if body_name else [],
        "responses": [
            {
                "code": code,
                "description": answer.get("description", ""),
                "schema": next(
                    (_ref_name(c.get("schema")) for c in answer.get("content", {}).values()), ""
                ),
            }
            for code, answer in op.get("responses", {}).items()
        ],
    }


def grouped_operations(schema: dict) -> list[dict]:
    """[{"tag", "operations"}] in the schema's order of first appearance."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                tag = (op.get("tags") or ["api"])[0]
                groups.setdefault(tag, []).append(_operation(path, method, op, components))
    return [{"tag": tag, "operations": ops} for tag, ops in groups.items()]


def api_docs(request: HttpRequest) -> HttpResponse:
    schema = _schema()
    context = {"info": schema.get("info", {}), "groups": grouped_operations(schema)}
    return render(request, "api/docs.html", context)
