"""What the API tests share: calling as a person, and checking the error shape."""

import json
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


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an error with the stable shape; returns its body."""
    assert response.status_code == status, response.content
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
