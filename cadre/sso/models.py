"""Single sign-on: an identity provider (OpenID Connect or SAML 2.0) that a network, or one of
its partner organizations, signs its people in with.

The protocol work is django-allauth's: each enabled provider has one allauth `SocialApp`
(provider "openid_connect" or "saml"), written by `cadre.sso.services` from this row. This row
is what Cadre decides with: which e-mail domains the provider speaks for, and whether anyone
at those domains may get an account on first sign-in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cadre.networks.models import Network
from cadre.repository.models import PartnerGroup


class Protocol(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


class IdentityProvider(models.Model):
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="identity_providers"
    )
    partner_group = models.ForeignKey(
        PartnerGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="identity_providers",
        help_text="A partner organization's provider: the people it creates join this group.",
    )
    protocol = models.CharField(max_length=4, choices=Protocol.choices)
    name = models.CharField(max_length=40, help_text='Shown as "Sign in with <name>".')
    # allauth's provider id (OIDC) and organization slug (SAML): in the provider's URLs.
    slug = models.SlugField(max_length=80, unique=True, editable=False)
    domains = models.JSONField(default=list, help_text="E-mail domains routed to it.")
    allow_domain_signup = models.BooleanField(
        default=False,
        help_text="Anyone at these domains gets an account (and joins the network) on first "
        "sign-in; otherwise only people with a pending invitation do.",
    )
    enabled = models.BooleanField(default=True)
    # OpenID Connect
    server_url = models.URLField(blank=True)
    client_id = models.CharField(max_length=191, blank=True)
    # Kept here so that switching the provider off and on again needs no new secret; allauth's
    # SocialApp gets a copy while the provider is on.
    client_secret = models.CharField(max_length=191, blank=True, editable=False)
    # SAML 2.0
    entity_id = models.CharField(max_length=300, blank=True)
    sso_url = models.URLField(blank=True)
    x509cert = models.TextField(blank=True)
    metadata_url = models.URLField(blank=True)
    # The last "Test connection"
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(null=True, blank=True)
    check_message = models.CharField(max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["network", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()}) for {self.network}"

    @property
    def allauth_provider(self) -> str:
        return "openid_connect" if self.protocol == Protocol.OIDC else "saml"

    def speaks_for(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains
