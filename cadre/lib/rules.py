"""The one error a service raises when a rule says no.

Every app's services (`services.py`, or named domain modules such as
`formation/proposals.py`) raise `Refused`, or a subclass of it, with the sentence people
should read. Pages show that sentence (as a form error on `field`, or as a message), the
API answers with it in its error shape (`cadre.api.errors`: 422 with `fields` for `invalid`,
409 for `conflict`, 403 for `forbidden`, 404 for `not_found`), and chat and e-mail show it
as it is. So a rule's message is written once, where the rule is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Kind = Literal["invalid", "conflict", "forbidden", "not_found"]

# The API's error code for each kind unless the refusal names its own.
DEFAULT_CODES: dict[Kind, str] = {
    "invalid": "validation_error",
    "conflict": "conflict",
    "forbidden": "forbidden",
    "not_found": "not_found",
}


class Refused(Exception):
    """A rule said no.

    `message` is the sentence people see. `field` names the input it is about (the form
    field and the API's request field share names), or `fields` maps several inputs to
    their problems. `kind` says what sort of no it is; `code` is the API's stable code
    (defaults by kind); `detail` is more for API clients (a URL, the ids in question)."""

    kind: Kind = "invalid"
    code: str | None = None

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        fields: Mapping[str, list[str]] | None = None,
        kind: Kind | None = None,
        code: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if kind is not None:
            self.kind = kind
        if code is not None:
            self.code = code
        if fields is None and field is not None:
            fields = {field: [message]}
        self.fields = dict(fields) if fields else None
        self.field = field
        self.detail = dict(detail) if detail else None

    @property
    def api_code(self) -> str:
        return self.code or DEFAULT_CODES[self.kind]

    def __str__(self) -> str:
        return self.message


def show_on_form(form: Any, refusal: Refused) -> None:
    """Put a refusal on a Django form: each message on its field when the form has that
    field, otherwise at the top of the form. A refusal about who may do this is no form
    error: it is the page's 403 or 404 (`raise_for_page`)."""
    raise_for_page(refusal)
    fields = refusal.fields or {"": [refusal.message]}
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for message in messages:
            form.add_error(target, message)


def raise_for_page(refusal: Refused) -> None:
    """On a page, a refusal about who may do this is the 403 (with its sentence) or the 404;
    any other kind returns, for the page to show on its form or as a message."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if refusal.kind == "forbidden":
        raise PermissionDenied(refusal.message) from refusal
    if refusal.kind == "not_found":
        raise Http404(refusal.message) from refusal
