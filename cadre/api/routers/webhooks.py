"""/networks/{slug}/webhooks: a network's outgoing webhooks, for its admins. Each endpoint
calls the service the pages call (cadre.webhooks.services); the secret is in the answer to
adding an endpoint and to rotating its secret, and nowhere else."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from cadre.api import errors
from cadre.api.routers import user_of
from cadre.api.schemas import Id
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.webhooks import services
from cadre.webhooks.models import Delivery, Endpoint
from cadre.webhooks.policy import endpoints_visible_to
from cadre.webhooks.sending import FAILING_AFTER

router = Router(tags=["webhooks"])

HOOKS = "/networks/{slug}/webhooks"
LOG_SIZE = 50


class EndpointIn(Schema):
    url: str = Field(..., description="https://, or http:// for localhost and 127.0.0.1.")
    description: str = ""
    event_types: list[str] = Field(
        default_factory=list, description="Event names of the catalogue; empty for every event."
    )


class EndpointEditIn(EndpointIn):
    active: bool = True


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    event_types: list[str]
    active: bool
    failing: bool = Field(..., description=f"The last {FAILING_AFTER} or more tries failed.")
    failures_in_a_row: int
    created_at: datetime


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(..., description="whsec_…: shown in this answer only.")


class DeliveryOut(Schema):
    id: int
    event_type: str
    message_id: str = Field(..., description="The webhook-id header; the same on every retry.")
    payload: dict[str, Any]
    status: str = Field(..., description="pending, sending, delivered or failed.")
    attempts: int
    next_attempt_at: datetime
    last_response_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None


def _out(endpoint: Endpoint, secret: bool = False) -> dict[str, Any]:
    out = {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "active": endpoint.active,
        "failing": endpoint.failures_in_a_row >= FAILING_AFTER,
        "failures_in_a_row": endpoint.failures_in_a_row,
        "created_at": endpoint.created_at,
    }
    return {**out, "secret": endpoint.secret} if secret else out


def _network(request: HttpRequest, slug: str) -> Network:
    network = get_network_or_404(user_of(request), slug)
    services.require_webhook_admin(user_of(request), network)
    return network


def _endpoint(request: HttpRequest, slug: str, endpoint: int) -> Endpoint:
    network = _network(request, slug)
    found = endpoints_visible_to(user_of(request), network).filter(pk=endpoint).first()
    if found is None:
        raise errors.not_found(f"No such webhook in {network.name}.")
    return found


@router.get(HOOKS, response={200: list[EndpointOut]}, summary="A network's webhooks (admins)")
def list_endpoints(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    network = _network(request, slug)
    return [_out(e) for e in endpoints_visible_to(user_of(request), network)]


@router.post(HOOKS, response={201: EndpointWithSecretOut}, summary="Add a webhook (admins)")
def add_endpoint(request: HttpRequest, slug: str, payload: EndpointIn) -> Status[dict[str, Any]]:
    """The answer holds the signing secret; it is not shown again."""
    network = _network(request, slug)
    made = services.create_endpoint(user_of(request), network, **payload.model_dump())
    return Status(201, _out(made, secret=True))


@router.get(HOOKS + "/{endpoint}", response={200: EndpointOut}, summary="A webhook")
def get_endpoint(request: HttpRequest, slug: str, endpoint: Id) -> dict[str, Any]:
    return _out(_endpoint(request, slug, endpoint))


@router.put(HOOKS + "/{endpoint}", response={200: EndpointOut}, summary="Change a webhook")
def update_endpoint(
    request: HttpRequest, slug: str, endpoint: Id, payload: EndpointEditIn
) -> dict[str, Any]:
    """Its address, description, events, and whether it is on (`active`)."""
    found = _endpoint(request, slug, endpoint)
    return _out(services.update_endpoint(user_of(request), found, **payload.model_dump()))


@router.delete(HOOKS + "/{endpoint}", response={204: None}, summary="Delete a webhook")
def delete_endpoint(request: HttpRequest, slug: str, endpoint: Id) -> Status[None]:
    services.delete_endpoint(user_of(request), _endpoint(request, slug, endpoint))
    return Status(204, None)


@router.post(
    HOOKS + "/{endpoint}/rotate",
    response={200: EndpointWithSecretOut},
    summary="Give a webhook a new secret",
)
def rotate_secret(request: HttpRequest, slug: str, endpoint: Id) -> dict[str, Any]:
    """The old secret stops working at once; the new one is in this answer only."""
    found = services.rotate_secret(user_of(request), _endpoint(request, slug, endpoint))
    return _out(found, secret=True)


@router.post(
    HOOKS + "/{endpoint}/test", response={201: DeliveryOut}, summary="Send a webhook a test event"
)
def send_test(request: HttpRequest, slug: str, endpoint: Id) -> Status[Delivery]:
    found = _endpoint(request, slug, endpoint)
    return Status(201, services.send_test(user_of(request), found))


@router.get(
    HOOKS + "/{endpoint}/deliveries",
    response={200: list[DeliveryOut]},
    summary="A webhook's latest deliveries",
)
def deliveries(request: HttpRequest, slug: str, endpoint: Id) -> list[Delivery]:
    """The latest 50, newest first."""
    return list(_endpoint(request, slug, endpoint).deliveries.all()[:LOG_SIZE])


@router.post(
    HOOKS + "/{endpoint}/deliveries/{delivery}/retry",
    response={200: DeliveryOut},
    summary="Retry a webhook delivery now",
)
def retry(request: HttpRequest, slug: str, endpoint: Id, delivery: Id) -> Delivery:
    found = _endpoint(request, slug, endpoint)
    row = found.deliveries.filter(pk=delivery).first()
    if row is None:
        raise errors.not_found("No such delivery of this webhook.")
    return services.retry_now(user_of(request), row)
