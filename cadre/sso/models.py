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
from django.utils.translation import gettext, gettext_noop

from cadre.networks.models import Network
from cadre.repository.models import PartnerGroup


class Protocol(models.TextChoices):
    OIDC = "oidc", "OpenID Connect"
    SAML = "saml", "SAML 2.0"


# What a "Test connection" can answer (cadre.sso.services.probe), marked for the catalogues.
NO_ANSWER = gettext_noop("%(url)s did not answer (%(error)s).")
ANSWERED_STATUS = gettext_noop("%(url)s answered %(status)s.")
NOT_OPENID = gettext_noop("%(url)s did not answer with an OpenID configuration.")
OPENID_OF = gettext_noop("%(url)s answered with the configuration of %(issuer)s.")
ANSWERED = gettext_noop("%(url)s answered (%(status)s).")
CHECK_WORDS = frozenset({NO_ANSWER, ANSWERED_STATUS, NOT_OPENID, OPENID_OF, ANSWERED})


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
    # Single logout: on exactly while the IdP's SLO URL is set. Cadre signs its logout messages
    # with a key pair of its own for this provider, made when the SLO URL is first set; the
    # private key is never shown (not even in the Django admin) and never leaves the server.
    slo_url = models.URLField(blank=True)
    sp_private_key = models.TextField(blank=True, editable=False)
    sp_x509cert = models.TextField(blank=True, editable=False)
    # The last "Test connection"
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(null=True, blank=True)
    check_message = models.CharField(max_length=300, blank=True, editable=False)
    # The same answer as words and their values ({"words": one of CHECK_WORDS, "values":
    # {...}}), so a page says it in its reader's language; empty for a test made before.
    check_result = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["network", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()}) for {self.network}"

    def check_said(self) -> str:
        """The last "Test connection" result in the active language (as stored, in English,
        when it was recorded before results kept their words)."""
        words = self.check_result.get("words") if isinstance(self.check_result, dict) else None
        values = self.check_result.get("values") if isinstance(self.check_result, dict) else None
        if words not in CHECK_WORDS or not isinstance(values, dict):
            return self.check_message
        try:
            return gettext(words) % values
        except (KeyError, TypeError, ValueError):
            return self.check_message

    @property
    def allauth_provider(self) -> str:
        return "openid_connect" if self.protocol == Protocol.OIDC else "saml"

    def speaks_for(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.domains
