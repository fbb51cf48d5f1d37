"""Every error the API returns has one shape:

    {"error": {"code": "not_found", "message": "No such network.",
               "fields": {"availability": ["..."]},   # validation errors only
               "detail": {"conduct_url": "..."}}}     # when there is more to say

`code` is stable and snake_case; clients branch on it. `message` is a sentence for people.
Field names in `fields` are the request's own names; a nested item is a dotted path
(`skills.1.level`), a problem with the request as a whole is under `body`.

The handlers below replace django-ninja's defaults, so errors raised by ninja itself
(validation, authentication, throttling) come out in the same shape as ours, and
`document_errors` lists these answers on every operation of the OpenAPI document, so no
endpoint declares them itself (an endpoint declares only its own, such as a 409).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.openapi.schema import REF_TEMPLATE
from ninja.schema import NinjaGenerateJsonSchema

from cadre.api.schemas import ErrorOut
from cadre.lib.rules import Refused

if TYPE_CHECKING:
    from ninja import NinjaAPI

    from cadre.networks.models import Network

logger = logging.getLogger(__name__)

_E = TypeVar("_E", bound=Exception)

# The code for an error that only has an HTTP status.
STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_error",
    429: "rate_limited",
}
FORBIDDEN_MESSAGE = "You may not do this."
NOT_FOUND_MESSAGE = "Not found."
NOT_VALID = "Some of what was sent is not valid."
SERVER_ERROR_MESSAGE = "Something went wrong on our side; it has been logged."
NOT_AUTHENTICATED_MESSAGE = (
    "Sign in, or send a personal API token as “Authorization: Bearer <token>”."
)


class ApiError(Exception):
    """An error to answer with; raise it from an endpoint."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: Mapping[str, list[str]] | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = dict(fields) if fields else None
        self.detail = dict(detail) if detail else None


def error_body(
    code: str,
    message: str,
    fields: Mapping[str, list[str]] | None = None,
    detail: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = dict(fields)
    if detail:
        error["detail"] = dict(detail)
    return {"error": error}


# --- the errors endpoints raise ----------------------------------------------------------


def forbidden(message: str = FORBIDDEN_MESSAGE) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(message: str = NOT_FOUND_MESSAGE) -> ApiError:
    return ApiError(404, "not_found", message)


def invalid(fields: Mapping[str, list[str]], message: str | None = None) -> ApiError:
    return ApiError(422, "validation_error", message or NOT_VALID, fields=fields)


def invalid_from_django(exc: DjangoValidationError) -> ApiError:
    """A model's full_clean() errors as a 422; errors about the whole object go under `body`."""
    fields = {
        ("body" if name == "__all__" else name): list(messages)
        for name, messages in exc.message_dict.items()
    }
    return invalid(fields)


REFUSAL_STATUS = {"invalid": 422, "conflict": 409, "forbidden": 403, "not_found": 404}


def from_refusal(refusal: Refused) -> ApiError:
    """A service's refusal in the API's error shape: the same sentence people see on the page."""
    fields = refusal.fields if refusal.kind == "invalid" else None
    return ApiError(
        REFUSAL_STATUS[refusal.kind],
        refusal.api_code,
        refusal.message,
        fields=fields,
        detail=refusal.detail,
    )


def conduct_not_accepted(request: HttpRequest, network: Network) -> ApiError:
    url = request.build_absolute_uri(reverse("networks:conduct", args=[network.slug]))
    return ApiError(
        403,
        "conduct_not_accepted",
        f"Accept the current code of conduct of {network.name} before you see its cohorts: {url}",
        detail={"conduct_url": url, "network": network.slug},
    )


# --- the OpenAPI document ----------------------------------------------------------------

UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def _forbidden_description(method: str, path: str) -> str:
    reasons = [
        "`forbidden`: you may see it but not do this",
        "`two_factor_required`: set up two-factor sign-in first (`detail.setup_url`)",
    ]
    if path.startswith("/api/v1/networks/{slug}"):
        reasons.append(
            "`conduct_not_accepted`: accept the network's code of conduct first "
            "(`detail.conduct_url`)"
        )
    if method in UNSAFE_METHODS:
        reasons.append("`csrf_failed`: a write from a browser session without the CSRF header")
    return "; ".join(reasons) + "."


def error_statuses(method: str, path: str, operation: Mapping[str, Any]) -> dict[int, str]:
    """The error answers an operation can give, with what each means there: 401 and 403 when
    it needs a caller, 404 when its path names something, 400 and 422 when it reads a body or
    a query string, 413 when it reads a body, and 429 always."""
    takes_body = "requestBody" in operation
    where = {parameter["in"] for parameter in operation.get("parameters", [])}
    reads_input = takes_body or "query" in where
    statuses: dict[int, str] = {}
    if reads_input:
        statuses[400] = "`bad_request`: the body is not JSON, or the request cannot be read."
    if operation.get("security"):
        statuses[401] = "`not_authenticated`: no token or session, or a revoked token."
        statuses[403] = _forbidden_description(method, path)
    if "path" in where:
        statuses[404] = "`not_found`: it does not exist, or you may not know that it does."
    if takes_body:
        statuses[413] = "`payload_too_large`: the body is over the upload limit."
    if reads_input:
        statuses[422] = "`validation_error`: `fields` names what is wrong; nothing was saved."
    statuses[429] = "`rate_limited`: too many requests; `Retry-After` says when to try again."
    return statuses


def document_errors(document: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers (`error_statuses`) to every operation of an OpenAPI document,
    all with the one error schema, ErrorOut. What an operation documents itself is kept."""
    # Built the way ninja builds every other component, so it is the same ErrorOut an
    # endpoint gets when it declares one itself (a 409).
    schema = ErrorOut.model_json_schema(
        ref_template=REF_TEMPLATE, schema_generator=NinjaGenerateJsonSchema, mode="serialization"
    )
    components = document.setdefault("components", {}).setdefault("schemas", {})
    components.update(schema.pop("$defs", {}))
    components["ErrorOut"] = schema
    content = {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model="ErrorOut")}}}

    for path, methods in document.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for status, description in error_statuses(method, path, operation).items():
                responses.setdefault(status, {"description": description, "content": content})
            operation["responses"] = dict(sorted(responses.items(), key=lambda r: int(r[0])))
    return document


# --- handlers ----------------------------------------------------------------------------


def _field_name(loc: Iterable[Any]) -> str:
    """ninja's error location -> the request's own field name. ("body", "payload", "skills",
    1, "level") -> "skills.1.level"; ("query", "limit") -> "limit"."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[2:]  # the source and the name of the endpoint's body parameter
    elif parts:
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "This value is not valid."))
    # pydantic prefixes the text of a ValueError raised in a validator.
    return message.removeprefix("Value error, ")


def _add_handler(
    api: NinjaAPI, exc_class: type[_E], handler: Callable[[HttpRequest, _E], HttpResponse]
) -> None:
    """Have `handler` answer `exc_class` (and its subclasses) on `api`.

    ninja's handler type also allows the exception's class as the second argument, but
    ninja looks a handler up by `type(exc).__mro__`, so a handler only ever gets the
    exception instance that was raised: `handler` takes just that."""

    def handle(request: HttpRequest, exc: _E | type[_E]) -> HttpResponse:
        assert not isinstance(exc, type), "ninja hands a handler the exception raised"
        return handler(request, exc)

    api.add_exception_handler(exc_class, handle)


def register(api: NinjaAPI) -> None:
    """Install the handlers on `api`."""

    def respond(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(
            request, exc.status, error_body(exc.code, exc.message, exc.fields, exc.detail)
        )

    def on_refused(request: HttpRequest, exc: Refused) -> HttpResponse:
        return on_api_error(request, from_refusal(exc))

    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        if any((error.get("loc") or ("",))[0] == "path" for error in exc.errors):
            # An id in the path that is not a number, or one no row can have (0, or beyond
            # the database's range): there is nothing there, as for an id that is not found.
            return respond(request, 404, error_body("not_found", NOT_FOUND_MESSAGE))
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            if "loc" in error:
                fields.setdefault(_field_name(error["loc"]), []).append(_message(error))
            else:  # a few ninja errors are {name: message}
                for name, message in error.items():
                    fields.setdefault(str(name), []).append(str(message))
        body = error_body("validation_error", NOT_VALID, fields)
        return respond(request, 422, body)

    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, error_body("not_authenticated", NOT_AUTHENTICATED_MESSAGE))
        response["WWW-Authenticate"] = 'Bearer realm="cadre"'
        return response

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = int(exc.wait) + 1 if exc.wait else None
        message = "Too many requests; slow down" + (
            f" and try again in {wait} seconds." if wait else "."
        )
        response = respond(request, 429, error_body("rate_limited", message))
        if wait:
            response["Retry-After"] = str(wait)
        return response

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ApiError):
            # ninja turns whatever its body parser raises into a 400; cadre.api.parsing raises
            # our own errors there (a body that is not an object, a NUL character).
            return on_api_error(request, exc.__cause__)
        code = STATUS_CODES.get(exc.status_code, "error")
        message = str(exc.message)
        if not message.endswith("."):
            message += "."
        return respond(request, exc.status_code, error_body(code, message))

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = str(exc) if exc.args else NOT_FOUND_MESSAGE
        return respond(request, 404, error_body("not_found", message))

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) if exc.args else FORBIDDEN_MESSAGE
        return respond(request, 403, error_body("forbidden", message))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = f"The request body is larger than the {limit:,} bytes the API accepts."
        return respond(request, 413, error_body("payload_too_large", message))

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # What Django refuses to read (too many query parameters, say): the 400 it would give.
        return respond(request, 400, error_body("bad_request", "The request could not be read."))

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in %s %s", request.method, request.path)
        return respond(
            request,
            500,
            error_body("server_error", SERVER_ERROR_MESSAGE),
        )

    _add_handler(api, ApiError, on_api_error)
    _add_handler(api, Refused, on_refused)
    _add_handler(api, ValidationError, on_validation_error)
    _add_handler(api, AuthenticationError, on_authentication_error)
    _add_handler(api, Throttled, on_throttled)
    _add_handler(api, HttpError, on_http_error)
    _add_handler(api, Http404, on_404)
    _add_handler(api, PermissionDenied, on_permission_denied)
    _add_handler(api, RequestDataTooBig, on_too_big)
    _add_handler(api, SuspiciousOperation, on_suspicious)
    _add_handler(api, Exception, on_unexpected)
