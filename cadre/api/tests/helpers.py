"""What the API tests share: calling as a person, and checking the error shape."""

import functools
import json
import re
from typing import Any

import jsonschema_rs
from django.test import Client

V1 = "/api/v1"


class ApiCaller:
    """Calls the API as one person, with a real personal token (or as nobody)."""

    def __init__(self, client: Client, token: str | None) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        url = path if path.startswith("/api/") else V1 + path
        send = getattr(self.client, method)
        if method == "get":
            return send(url, params, headers=self.headers)
        return send(
            url,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self.headers,
        )

    def get(self, path: str, **params: Any) -> Any:
        return self._send("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self._send("patch", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self._send("put", path, body)

    def delete(self, path: str) -> Any:
        return self._send("delete", path)


@functools.cache
def documented_operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation of the OpenAPI document."""
    from cadre.api.api import api

    document = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def documented_statuses(method: str, path: str) -> set[int] | None:
    """The statuses the document lists for the operation that answers `method path` (None
    for a path it does not have). As in the URL patterns, /journal/mine is not /journal/{pk}:
    the path with the fewest parameters wins."""
    matches = [
        (template.count("{"), operation)
        for m, template, operation in documented_operations()
        if m == method and re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path)
    ]
    if not matches:
        return None
    _, operation = min(matches, key=lambda match: match[0])
    return {int(status) for status in operation["responses"]}


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an error with the stable shape, and one the OpenAPI document lists for
    its operation; returns its body."""
    assert response.status_code == status, response.content
    request = response.wsgi_request
    statuses = documented_statuses(request.method, request.path)
    # A 5xx is never part of the contract (schemathesis fails on any).
    assert statuses is None or status >= 500 or status in statuses, (
        f"{request.method} {request.path} answers {status}, which the OpenAPI document does "
        f"not list for it ({sorted(statuses)})"
    )
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"code", "message", "fields", "detail"}
    return error


def assert_as_published(client: Client, component: str, value: Any) -> None:
    """`value` is what component `component` of the OpenAPI document allows, formats included
    (as schemathesis checks answers)."""
    document = client.get("/api/openapi.json").json()
    schema = {
        "$ref": f"#/components/schemas/{component}",
        "components": document["components"],
    }
    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
    errors = [error.message for error in validator.iter_errors(value)]
    assert not errors, f"{component}: {errors}"
