"""Driving one write through both front doors, the page and the API, on the same fresh set-up.

    page = fresh(lambda: client_for(cast.host).post(url, form_data), snapshot)
    api = fresh(lambda: api_call(cast.host, "post", path, body), snapshot)
    assert page.rows == api.rows

`fresh` runs the write in a savepoint and rolls it back afterwards, so the second door starts
from exactly the set-up the first one had. `rows` reads model rows without what differs
between two runs by nature (ids, timestamps)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.test import Client

from cadre.api.models import ApiToken

UNSTABLE = {"id", "created_at", "updated_at", "acknowledged_at", "joined_on"}


@dataclass
class Outcome:
    response: Any
    rows: Any


def fresh(act: Callable[[], Any], snapshot: Callable[[], Any]) -> Outcome:
    """Run `act`, read `snapshot()`, then undo everything `act` wrote."""
    savepoint = transaction.savepoint()
    try:
        response = act()
        return Outcome(response, snapshot())
    finally:
        transaction.savepoint_rollback(savepoint)


def rows(
    objects: QuerySet[Any] | Iterable[Model], *, leave_out: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Each object's concrete fields (foreign keys as ids), without ids and timestamps."""
    skip = UNSTABLE | set(leave_out)
    result = []
    for obj in objects:
        result.append(
            {
                field.attname: getattr(obj, field.attname)
                for field in obj._meta.concrete_fields
                if field.attname not in skip
            }
        )
    return result


def call_api(user: Any, method: str, path: str, body: Any = None) -> Any:
    """One API call as `user`, with a personal token."""
    token = ApiToken.issue(user, "parity")[1]
    send = getattr(Client(), method)
    return send(
        "/api/v1" + path,
        json.dumps(body if body is not None else {}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def api_message(response: Any) -> str:
    return str(response.json()["error"]["message"])


def api_fields(response: Any) -> dict[str, list[str]]:
    return dict(response.json()["error"].get("fields") or {})
