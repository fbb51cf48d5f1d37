"""/networks/{slug}/sso/providers: a network's single sign-on providers, for its admins (the
settings page's rule, cadre.sso.policy). Each endpoint calls the service the pages call
(cadre.sso.services). The client secret is write-only, as on the page: no answer holds it,
nor Cadre's SAML signing key."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from cadre.api import errors
from cadre.api.routers import user_of
from cadre.api.schemas import Id
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.repository.models import PartnerGroup
from cadre.sso import policy, services
from cadre.sso.models import IdentityProvider

router = Router(tags=["single sign-on"])

PROVIDERS = "/networks/{slug}/sso/providers"


def _help(field: str) -> str:
    """The model field's help text (a sentence is written once)."""
    return str(getattr(IdentityProvider._meta.get_field(field), "help_text", ""))


class ProviderIn(Schema):
    protocol: str = Field(..., description="oidc (OpenID Connect) or saml (SAML 2.0).")
    name: str = Field(..., description=_help("name"))
    domains: list[str] = Field(..., description="The e-mail domains routed to it (contoso.com).")
    allow_domain_signup: bool = Field(False, description=_help("allow_domain_signup"))
    partner_group: Id | None = Field(None, description=_help("partner_group"))
    enabled: bool = Field(True, description="Off: nobody signs in through it; kept as it is.")
    server_url: str = Field("", description="OpenID Connect: the issuer URL.")
    client_id: str = Field("", description="OpenID Connect: the client ID.")
    client_secret: str = Field(
        "",
        description="OpenID Connect: the client secret. Write-only; empty on a change keeps "
        "the stored one.",
    )
    entity_id: str = Field("", description="SAML: the IdP's entity ID.")
    sso_url: str = Field("", description="SAML: the IdP's sign-in URL (without metadata_url).")
    x509cert: str = Field("", description="SAML: the IdP's signing certificate, PEM.")
    metadata_url: str = Field("", description="SAML: the IdP's metadata URL.")
    slo_url: str = Field("", description="SAML: the IdP's single logout URL (optional).")


class ProviderOut(Schema):
    id: int
    provider_id: str = Field(..., description="In the provider's URLs at Cadre (/accounts/…).")
    protocol: str
    name: str
    domains: list[str]
    allow_domain_signup: bool
    partner_group: int | None
    enabled: bool
    server_url: str
    client_id: str
    has_client_secret: bool = Field(..., description="The secret itself is never shown.")
    entity_id: str
    sso_url: str
    x509cert: str
    metadata_url: str
    slo_url: str
    sp_x509cert: str = Field(
        ..., description="SAML single logout: the certificate Cadre signs logout messages with."
    )
    checked_at: datetime | None
    check_ok: bool | None
    created_at: datetime


def _out(provider: IdentityProvider) -> dict[str, Any]:
    return {
        "id": provider.pk,
        "provider_id": provider.slug,
        "protocol": provider.protocol,
        "name": provider.name,
        "domains": list(provider.domains),
        "allow_domain_signup": provider.allow_domain_signup,
        "partner_group": provider.partner_group_id,
        "enabled": provider.enabled,
        "server_url": provider.server_url,
        "client_id": provider.client_id,
        "has_client_secret": bool(provider.client_secret),
        "entity_id": provider.entity_id,
        "sso_url": provider.sso_url,
        "x509cert": provider.x509cert,
        "metadata_url": provider.metadata_url,
        "slo_url": provider.slo_url,
        "sp_x509cert": provider.sp_x509cert,
        "checked_at": provider.checked_at,
        "check_ok": provider.check_ok,
        "created_at": provider.created_at,
    }


def _network(request: HttpRequest, slug: str) -> Network:
    network = get_network_or_404(user_of(request), slug)
    services.require_sso_admin(user_of(request), network)
    return network


def _provider(request: HttpRequest, slug: str, provider: int) -> IdentityProvider:
    network = _network(request, slug)
    found = policy.manageable_providers(user_of(request), network).filter(pk=provider).first()
    if found is None:
        raise errors.not_found(f"No such single sign-on provider in {network.name}.")
    return found


def _save(
    request: HttpRequest,
    network: Network,
    payload: ProviderIn,
    provider: IdentityProvider | None = None,
) -> IdentityProvider:
    data = payload.model_dump()
    enabled = data.pop("enabled")
    group = data.pop("partner_group")
    partner_group = None
    if group is not None:
        partner_group = PartnerGroup.objects.filter(pk=group, network=network).first()
        if partner_group is None:
            raise errors.invalid({"partner_group": [_(services.NOT_OUR_PARTNER_GROUP)]})
    data["domains"] = "\n".join(data["domains"])
    saved = services.save_provider(
        user_of(request), network, provider=provider, partner_group=partner_group, **data
    )
    if saved.enabled != enabled:
        saved = services.set_enabled(user_of(request), saved, enabled=enabled)
    return saved


@router.get(
    PROVIDERS, response={200: list[ProviderOut]}, summary="A network's single sign-on (admins)"
)
def list_providers(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    network = _network(request, slug)
    return [_out(p) for p in policy.manageable_providers(user_of(request), network)]


@router.post(PROVIDERS, response={201: ProviderOut}, summary="Add a single sign-on provider")
def add_provider(request: HttpRequest, slug: str, payload: ProviderIn) -> Status[dict[str, Any]]:
    network = _network(request, slug)
    return Status(201, _out(_save(request, network, payload)))


@router.get(PROVIDERS + "/{provider}", response={200: ProviderOut}, summary="A sign-on provider")
def get_provider(request: HttpRequest, slug: str, provider: Id) -> dict[str, Any]:
    return _out(_provider(request, slug, provider))


@router.put(
    PROVIDERS + "/{provider}", response={200: ProviderOut}, summary="Change a sign-on provider"
)
def update_provider(
    request: HttpRequest, slug: str, provider: Id, payload: ProviderIn
) -> dict[str, Any]:
    """Every field, as the settings form has them; an empty `client_secret` keeps the stored
    one."""
    found = _provider(request, slug, provider)
    return _out(_save(request, found.network, payload, provider=found))


@router.delete(PROVIDERS + "/{provider}", response={204: None}, summary="Remove a sign-on provider")
def delete_provider(request: HttpRequest, slug: str, provider: Id) -> Status[None]:
    """The provider and every account's link to it; the accounts stay."""
    services.delete_provider(user_of(request), _provider(request, slug, provider))
    return Status(204, None)
