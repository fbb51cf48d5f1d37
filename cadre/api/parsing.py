"""How the API reads a request before its schemas check it: a body must be a JSON object, and
no text anywhere (body or query string) may hold what a database cannot store: the NUL
character (PostgreSQL refuses it in text; SQLite would save it) or a lone UTF-16 surrogate
such as "\\ud800" (which JSON can spell but UTF-8 cannot encode). Each would otherwise end in
a 500. They answer 422 naming the field, for every endpoint at once.

Web forms need none of this: Django's form fields already refuse NUL
(ProhibitNullCharactersValidator)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

from cadre.api import errors

NUL = "\x00"
NUL_MESSAGE = "Must not contain the NUL character (\\u0000)."
SURROGATE_MESSAGE = "Must be valid Unicode: a lone surrogate (\\ud800 to \\udfff) is not."
NOT_AN_OBJECT_MESSAGE = 'The body must be a JSON object, like {"name": value}.'


def _unstorable(text: str) -> str | None:
    """What is wrong with `text` for a database, if anything."""
    if NUL in text:
        return NUL_MESSAGE
    try:
        text.encode()
    except UnicodeEncodeError:
        return SURROGATE_MESSAGE
    return None


def _problems(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """(dotted name as in the error's `fields`, message) for the text in `value` that cannot
    be stored; a bad key counts against the object that has it."""
    if isinstance(value, str):
        if problem := _unstorable(value):
            yield where, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            if problem := _unstorable(key):
                yield where, problem
            else:
                yield from _problems(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _problems(item, f"{where}.{index}" if where else str(index))


def _refuse_unstorable_text(data: dict[str, Any], whole: str) -> None:
    """`whole` names the request part itself (`body`, `query`), for a bad top-level key."""
    fields: dict[str, list[str]] = {}
    for place, problem in _problems(data, ""):
        messages = fields.setdefault(place or whole, [])
        if problem not in messages:
            messages.append(problem)
    if fields:
        raise errors.invalid(fields)


class CadreParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # django-ninja answers 400 for anything raised here and keeps it as the 400's cause;
        # cadre.api.errors answers with that cause when it is one of ours.
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise errors.invalid({"body": [NOT_AN_OBJECT_MESSAGE]})
        _refuse_unstorable_text(data, "body")
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        parsed = super().parse_querydict(data, list_fields, request)
        _refuse_unstorable_text(parsed, "query")
        return parsed
