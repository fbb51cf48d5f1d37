"""Setting up single sign-on, and the rules of signing in through it.

Every write of an `IdentityProvider` is here, and so is the allauth `SocialApp` that does the
protocol work: it exists exactly while the provider is enabled, and its settings are written
from the provider's row. The sign-in rules (which provider an e-mail goes to, who gets an
account on first sign-in) are here too; `cadre.sso.adapter` applies them inside allauth's flow.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cadre.accounts.models import User
from cadre.lib.rules import Refused
from cadre.networks import invitations
from cadre.networks import policy as network_policy
from cadre.networks.models import Invitation, Network, NetworkMembership, Role
from cadre.networks.policy import Person
from cadre.people.models import Profile
from cadre.repository.models import PartnerGroup
from cadre.sso import policy
from cadre.sso.models import (
    ANSWERED,
    ANSWERED_STATUS,
    NO_ANSWER,
    NOT_OPENID,
    OPENID_OF,
    IdentityProvider,
    Protocol,
)

NOT_SSO_ADMIN = gettext_noop("Only the network's admins can set up single sign-on.")
NOT_OUR_PARTNER_GROUP = gettext_noop("Choose one of this network's partner groups.")
CHECK_TIMEOUT = 5  # seconds: a "Test connection" waits no longer for the provider

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def require_sso_admin(by: Person, network: Network) -> None:
    if not policy.can_manage_sso(by, network):
        raise Refused(_(NOT_SSO_ADMIN), kind="forbidden")


def parse_domains(text: str) -> list[str]:
    """E-mail domains, one per line or separated by commas or spaces ("@" allowed)."""
    found: list[str] = []
    for piece in re.split(r"[\s,;]+", text.strip().lower()):
        domain = piece.removeprefix("@")
        if not domain:
            continue
        if not _DOMAIN.match(domain):
            raise Refused(
                _("“%(piece)s” is not an e-mail domain: write it as contoso.com.")
                % {"piece": piece},
                field="domains",
            )
        if domain not in found:
            found.append(domain)
    if not found:
        raise Refused(
            _("Name at least one e-mail domain to route to this provider."), field="domains"
        )
    return found


def _check_free_domains(domains: list[str], provider: IdentityProvider | None) -> None:
    """One provider per domain across Cadre: the sign-in page must know where to send an
    address."""
    others = IdentityProvider.objects.all()
    if provider is not None and provider.pk is not None:
        others = others.exclude(pk=provider.pk)
    for other in others:
        taken = sorted(set(other.domains) & set(domains))
        if taken:
            raise Refused(
                _(
                    "%(domains)s already signs in through another identity provider; remove it"
                    " there first."
                )
                % {"domains": ", ".join(taken)},
                field="domains",
            )


def _required(value: str, field: str, missing: str) -> str:
    """`value` stripped; Refused with the sentence `missing` when it is empty."""
    value = value.strip()
    if not value:
        raise Refused(missing, field=field)
    return value


_URL = URLValidator(schemes=["http", "https"])
URL_MAX_LENGTH = 200  # the URLFields of IdentityProvider
_URL_FIELDS = ("server_url", "sso_url", "metadata_url", "slo_url")


def _check_urls(values: dict[str, str]) -> None:
    """Each address given is a web address that fits its column (the form checks this too;
    the API's input comes here unchecked)."""
    for field, value in values.items():
        value = value.strip()
        if not value:
            continue
        try:
            _URL(value)
            if len(value) > URL_MAX_LENGTH:
                raise ValidationError(_URL.message)
        except ValidationError:
            raise Refused(str(_URL.message), field=field) from None


@transaction.atomic
def save_provider(
    by: User,
    network: Network,
    *,
    provider: IdentityProvider | None = None,
    protocol: str,
    name: str,
    domains: str,
    allow_domain_signup: bool = False,
    partner_group: PartnerGroup | None = None,
    server_url: str = "",
    client_id: str = "",
    client_secret: str = "",
    entity_id: str = "",
    sso_url: str = "",
    x509cert: str = "",
    metadata_url: str = "",
    slo_url: str = "",
) -> IdentityProvider:
    """Add a provider (`provider` None) or change one; an empty `client_secret` on a change
    keeps the secret that is stored."""
    require_sso_admin(by, network)
    if protocol not in Protocol.values:
        raise Refused(_("Choose OpenID Connect or SAML 2.0."), field="protocol")
    name = name.strip()
    if not name:
        raise Refused(_("Give the provider the name people know it by."), field="name")
    if partner_group is not None and partner_group.network_id != network.pk:
        raise Refused(_(NOT_OUR_PARTNER_GROUP), field="partner_group")
    found = parse_domains(domains)
    _check_urls(dict(zip(_URL_FIELDS, (server_url, sso_url, metadata_url, slo_url), strict=True)))
    if provider is None:
        provider = IdentityProvider(network=network, created_by=by)
        provider.slug = _unique_slug(network, name)
    elif provider.network_id != network.pk:
        raise Refused(_(NOT_SSO_ADMIN), kind="forbidden")
    _check_free_domains(found, provider)
    provider.protocol = protocol
    provider.name = name
    provider.domains = found
    provider.allow_domain_signup = allow_domain_signup
    provider.partner_group = partner_group
    if protocol == Protocol.OIDC:
        provider.server_url = _required(
            server_url, "server_url", _("The issuer URL is needed for this kind of provider.")
        )
        provider.client_id = _required(
            client_id, "client_id", _("The client ID is needed for this kind of provider.")
        )
        provider.client_secret = client_secret.strip() or provider.client_secret
        _required(
            provider.client_secret,
            "client_secret",
            _("The client secret is needed for this kind of provider."),
        )
        provider.entity_id = provider.sso_url = provider.x509cert = provider.metadata_url = ""
        provider.slo_url = provider.sp_private_key = provider.sp_x509cert = ""
    else:
        provider.entity_id = _required(
            entity_id, "entity_id", _("The IdP's entity ID is needed for this kind of provider.")
        )
        provider.metadata_url = metadata_url.strip()
        if not provider.metadata_url:
            provider.sso_url = _required(
                sso_url,
                "sso_url",
                _("The IdP's sign-in (SSO) URL is needed for this kind of provider."),
            )
            provider.x509cert = _required(
                x509cert,
                "x509cert",
                _("The IdP's signing certificate is needed for this kind of provider."),
            )
        else:
            provider.sso_url, provider.x509cert = sso_url.strip(), x509cert.strip()
        provider.slo_url = slo_url.strip()
        if provider.slo_url and not provider.sp_private_key:
            provider.sp_private_key, provider.sp_x509cert = sp_key_pair(provider.slug)
        provider.server_url = provider.client_id = provider.client_secret = ""
    provider.save()
    _sync_app(provider)
    return provider


def sp_key_pair(name: str) -> tuple[str, str]:
    """A private key and a self-signed certificate (PEM) that Cadre signs one provider's logout
    messages with; the certificate is in Cadre's SP metadata for the IdP to check them by."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"cadre-{name}"[:64])])
    now = timezone.now()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def _unique_slug(network: Network, name: str) -> str:
    base = slugify(f"{network.slug}-{name}")[:70] or f"{network.slug}-idp"
    slug, n = base, 2
    while IdentityProvider.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def app_of(provider: IdentityProvider) -> SocialApp | None:
    return SocialApp.objects.filter(
        provider=provider.allauth_provider, provider_id=provider.slug
    ).first()


def app_settings(provider: IdentityProvider) -> dict[str, Any]:
    """The allauth SocialApp's settings: the provider speaks for its own domains only (an
    address there counts as verified, and signs in the account that has it)."""
    common: dict[str, Any] = {
        "verified_email": list(provider.domains),
        "email_authentication": True,
    }
    if provider.protocol == Protocol.OIDC:
        return {**common, "server_url": provider.server_url, "oauth_pkce_enabled": True}
    idp: dict[str, Any] = {"entity_id": provider.entity_id}
    if provider.metadata_url:
        idp["metadata_url"] = provider.metadata_url
    else:
        idp.update(sso_url=provider.sso_url, x509cert=provider.x509cert)
    if provider.slo_url:
        idp["slo_url"] = provider.slo_url
    return {
        **common,
        "idp": idp,
        "advanced": {"want_assertion_signed": True, "reject_idp_initiated_sso": True},
    }


def _sync_app(provider: IdentityProvider) -> None:
    """The SocialApp exists exactly while the provider is enabled."""
    SocialApp.objects.filter(provider_id=provider.slug).exclude(
        provider=provider.allauth_provider
    ).delete()
    app = app_of(provider)
    if not provider.enabled:
        if app is not None:
            app.delete()
        return
    if app is None:
        app = SocialApp(provider=provider.allauth_provider, provider_id=provider.slug)
    app.name = provider.name[:40]
    # SAML finds its app by client_id (the organization slug in its URLs).
    app.client_id = provider.client_id if provider.protocol == Protocol.OIDC else provider.slug
    app.secret = provider.client_secret
    app.settings = app_settings(provider)
    app.save()


@transaction.atomic
def set_enabled(by: User, provider: IdentityProvider, *, enabled: bool) -> IdentityProvider:
    require_sso_admin(by, provider.network)
    provider.enabled = enabled
    provider.save(update_fields=["enabled"])
    _sync_app(provider)
    return provider


@transaction.atomic
def delete_provider(by: User, provider: IdentityProvider) -> None:
    """Remove the provider, its SocialApp and every link of a Cadre account to it. The
    accounts stay (with their memberships); their people sign in with a password from then
    on (a password reset sets one)."""
    require_sso_admin(by, provider.network)
    SocialAccount.objects.filter(provider=provider.slug).delete()
    SocialApp.objects.filter(provider_id=provider.slug).delete()
    provider.delete()


def check_connection(by: User, provider: IdentityProvider) -> IdentityProvider:
    """Ask the provider for its published configuration and record what it answered: in
    English (check_message, for the admin and the logs) and as words and values
    (check_result), which each page says in its reader's language."""
    require_sso_admin(by, provider.network)
    ok, words, values = probe(provider)
    provider.checked_at = timezone.now()
    provider.check_ok = ok
    provider.check_message = (words % values)[:300]
    provider.check_result = {"words": words, "values": values}
    provider.save(update_fields=["checked_at", "check_ok", "check_message", "check_result"])
    return provider


def probe(provider: IdentityProvider) -> tuple[bool, str, dict[str, str]]:
    """Whether the provider answers: its OpenID configuration, its SAML metadata, or (SAML
    without metadata) its sign-in URL; with the words that say so (one of
    models.CHECK_WORDS) and their values."""
    if provider.protocol == Protocol.OIDC:
        url = provider.server_url.rstrip("/")
        if "/.well-known/" not in url:
            url += "/.well-known/openid-configuration"
    else:
        url = provider.metadata_url or provider.sso_url
    try:
        response = requests.get(url, timeout=CHECK_TIMEOUT)
    except requests.RequestException as exc:
        return False, NO_ANSWER, {"url": url, "error": type(exc).__name__}
    status = str(response.status_code)
    if provider.protocol == Protocol.OIDC:
        if response.status_code != 200:
            return False, ANSWERED_STATUS, {"url": url, "status": status}
        try:
            config = response.json()
        except ValueError:
            config = None
        if not isinstance(config, dict) or "authorization_endpoint" not in config:
            return False, NOT_OPENID, {"url": url}
        return True, OPENID_OF, {"url": url, "issuer": str(config.get("issuer", url))}
    if response.status_code >= 500:
        return False, ANSWERED_STATUS, {"url": url, "status": status}
    return True, ANSWERED, {"url": url, "status": status}


# --- signing in ---------------------------------------------------------------------------


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider that `email`'s domain is routed to, if any."""
    domain = email.strip().rpartition("@")[2].lower()
    if not domain:
        return None
    for provider in IdentityProvider.objects.filter(enabled=True).select_related("network"):
        if domain in provider.domains:
            return provider
    return None


def provider_of_app(provider_id: str) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.filter(slug=provider_id, enabled=True)
        .select_related("network", "partner_group")
        .first()
    )


def pending_invitations(email: str) -> list[Invitation]:
    """The usable invitations to `email`, in any network."""
    usable = []
    for invitation in Invitation.objects.pending().filter(email__iexact=email.strip()):
        try:
            invitations.check_usable(invitation)
        except invitations.InvitationProblem:
            continue
        usable.append(invitation)
    return usable


def may_sign_up(provider: IdentityProvider, email: str) -> bool:
    """Just-in-time accounts: for an address the provider speaks for, with a pending
    invitation or at a domain the provider lets in."""
    if not provider.speaks_for(email):
        return False
    return provider.allow_domain_signup or bool(pending_invitations(email))


def join_after_sign_up(user: User, provider: IdentityProvider, email: str) -> None:
    """A new account joins what it was invited to (the invitation flow's own `accept`), or,
    without an invitation, the provider's network (a partner group's provider: as a partner,
    in that group)."""
    invited = pending_invitations(email)
    for invitation in invited:
        invitations.accept(invitation, user)
    if invited or not provider.allow_domain_signup:
        return
    with transaction.atomic():
        role = Role.PARTNER if provider.partner_group_id else Role.MEMBER
        NetworkMembership.objects.get_or_create(
            network_id=provider.network_id, user=user, defaults={"role": role}
        )
        Profile.objects.get_or_create(user=user)
        if provider.partner_group is not None:
            provider.partner_group.members.add(user)
    network_policy.forget(user)
