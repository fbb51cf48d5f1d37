"""The REST API. Version 1 lives under /api/v1/; the OpenAPI document is /api/openapi.json
and its interactive docs /api/docs. Access is decided by the apps' policy modules, exactly as
for the web views; errors have one JSON shape (cadre.api.errors)."""

from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Router

from cadre.api import errors
from cadre.api.auth import ApiRateThrottle, SessionAuth, TokenAuth
from cadre.api.parsing import CadreParser
from cadre.api.routers import cohorts, formation, me, networks, rotations

DESCRIPTION = """\
Cadre's REST API, version 1.

**Authentication.** Send a personal API token (made on your account's API tokens page) as
`Authorization: Bearer <token>`, or use the API from a browser where you are signed in
(unsafe methods then need the `X-CSRFToken` header).

**Errors** are always `{"error": {"code", "message", "fields"?, "detail"?}}`; branch on
`code`: `not_authenticated`, `forbidden`, `not_found`, `validation_error` (with `fields`),
`conduct_not_accepted` (with `detail.conduct_url`), `two_factor_required` (with
`detail.setup_url`), `payload_too_large`, `rate_limited`. Bodies are JSON objects; dates run
from 1900-01-01 to 2200-12-31; an id in the path that cannot exist is a 404.

**Lists** are paged with `limit` (at most 100) and `offset` and answer
`{"items": [...], "count": n}`.

Networks and cohorts you may not see answer 404, as if they did not exist.
"""


class CadreAPI(NinjaAPI):
    """django-ninja's API, whose OpenAPI document lists the error answers of every operation
    (cadre.api.errors.document_errors)."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return errors.document_errors(super().get_openapi_schema(**kwargs))


api = CadreAPI(
    title="Cadre API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[ApiRateThrottle()],
    parser=CadreParser(),
)
errors.register(api)

v1 = Router()
v1.add_router("", me.router)
v1.add_router("", networks.router)
v1.add_router("", cohorts.router)
v1.add_router("", formation.router)
v1.add_router("", "cadre.api.routers.closing.router")
v1.add_router("", "cadre.api.routers.schedule.router")
v1.add_router("", rotations.router)
v1.add_router("", "cadre.api.routers.network_admin.router")
v1.add_router("", "cadre.api.routers.sessions.router")
v1.add_router("", "cadre.api.routers.accountability.router")
v1.add_router("", "cadre.api.routers.coaching.router")
v1.add_router("", "cadre.api.routers.diagnostics.router")
v1.add_router("", "cadre.api.routers.journal.router")
v1.add_router("", "cadre.api.routers.repository.router")
v1.add_router("", "cadre.api.routers.programmes.router")
v1.add_router("", "cadre.api.routers.transfer.router")
v1.add_router("", "cadre.api.routers.health.router")
v1.add_router("", "cadre.api.routers.metrics.router")
v1.add_router("", "cadre.api.routers.impact.router")
v1.add_router("", "cadre.api.routers.conversation.router")
v1.add_router("", "cadre.api.routers.pairings.router")
v1.add_router("", "cadre.api.routers.webhooks.router")
v1.add_router("", "cadre.api.routers.sso.router")

# Last, so it only answers what nothing above did: unknown paths get the JSON 404 too.
unknown = Router(auth=None)


@unknown.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    raise errors.not_found("There is no such API endpoint; see /api/docs.")


v1.add_router("", unknown)
api.add_router("v1/", v1)
