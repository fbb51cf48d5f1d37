"""What the parity tests share: drive one write through the page and through the API, each
on a fresh copy of the same set-up, and compare the rows it leaves and the sentence a
refusal shows.

    page_rows, api_rows = through_both(setup, by_page, by_api, rows)

or, with a set-up built once by the test:

    page = fresh(lambda: page_as(host).post(url, form_data), snapshot)
    api = fresh(lambda: call_api(host, "post", path, body), snapshot)
    assert page.rows == api.rows

Each door runs inside a transaction or savepoint that is rolled back afterwards, so both
start from the same database state. `fields_of` and `rows` read what matters, ids and
timestamps aside."""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.test import Client

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller

# Set by the database or the clock, never by what was sent.
NOT_COMPARED = {"id", "created_at", "updated_at", "announced_at"}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block, then undo everything it wrote."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def page_as(user: Any) -> Client:
    """A browser signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


class Caller(ApiCaller):
    def delete(self, path: str) -> Any:
        return self._send("delete", path)


def api_as(user: Any) -> Caller:
    """An API client with a fresh personal token of `user`."""
    return Caller(Client(), ApiToken.issue(user, "parity")[1])


def _set_by_the_clock(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.DateTimeField) and (
        callable(field.default) or field.auto_now or field.auto_now_add
    )


def fields_of(
    queryset: models.QuerySet[Any], *, ignore: Iterable[str] = (), also: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Every concrete field of every row (ids and the times the clock sets aside, `ignore` too), plus the
    lookups in `also` (`group__index`), in a stable order."""
    skip = NOT_COMPARED | set(ignore)
    names = [
        f.attname
        for f in queryset.model._meta.concrete_fields
        if f.attname not in skip and not _set_by_the_clock(f)
    ]
    rows = list(queryset.values(*names, *also))
    return sorted(rows, key=repr)


def through_both(
    setup: Callable[[], Any],
    by_page: Callable[[Any], Any],
    by_api: Callable[[Any], Any],
    rows: Callable[[Any], Any],
) -> tuple[Any, Any]:
    """(rows after the page's write, rows after the API's write), each on a fresh set-up."""
    results = []
    for door in (by_page, by_api):
        with rolled_back():
            context = setup()
            door(context)
            results.append(rows(context))
    return results[0], results[1]


def shown_on_page(response: Any) -> str:
    """The text of a page as people read it (entities decoded)."""
    return html.unescape(response.content.decode())


def api_message(response: Any) -> str:
    return str(response.json()["error"]["message"])


def api_field_messages(response: Any, field: str) -> list[str]:
    return list(response.json()["error"].get("fields", {}).get(field, []))


# --- with a set-up the test builds once -------------------------------------------------

# Also set when the row is written, on the rows these tests read.
UNSTABLE = NOT_COMPARED | {"acknowledged_at", "joined_on"}


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
    objects: models.QuerySet[Any] | Iterable[models.Model], *, leave_out: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Each object's concrete fields (foreign keys as ids), without ids and timestamps."""
    skip = UNSTABLE | set(leave_out)
    return [
        {
            field.attname: getattr(obj, field.attname)
            for field in obj._meta.concrete_fields
            if field.attname not in skip
        }
        for obj in objects
    ]


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


def api_fields(response: Any) -> dict[str, list[str]]:
    return dict(response.json()["error"].get("fields") or {})
