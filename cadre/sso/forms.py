from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cadre.repository.models import PartnerGroup
from cadre.sso.models import IdentityProvider, Protocol


class ProviderForm(forms.Form):
    protocol = forms.ChoiceField(label=_("Kind"), choices=Protocol.choices)
    name = forms.CharField(
        label=_("Name people know it by"), max_length=40, help_text=_('Shown as "Sign in with …".')
    )
    domains = forms.CharField(
        label=_("E-mail domains"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One per line, as contoso.com. Addresses there are sent to this provider."),
    )
    allow_domain_signup = forms.BooleanField(
        label=_("Anyone at these domains may join on first sign-in"),
        required=False,
        help_text=_("Off: only people with a pending invitation get an account."),
    )
    partner_group = forms.ModelChoiceField(
        label=_("For a partner organization"),
        queryset=PartnerGroup.objects.none(),
        required=False,
        empty_label=_("No: the network's own provider"),
        help_text=_("The people it lets in join the network as partners, in this group."),
    )
    server_url = forms.URLField(
        assume_scheme="https",
        label=_("Issuer URL (OpenID Connect)"),
        required=False,
        help_text=_("Where /.well-known/openid-configuration is found."),
    )
    client_id = forms.CharField(label=_("Client ID (OpenID Connect)"), required=False)
    client_secret = forms.CharField(
        label=_("Client secret (OpenID Connect)"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Leave empty to keep the stored secret."),
    )
    entity_id = forms.CharField(label=_("IdP entity ID (SAML)"), required=False)
    sso_url = forms.URLField(
        assume_scheme="https", label=_("IdP sign-in URL (SAML)"), required=False
    )
    x509cert = forms.CharField(
        label=_("IdP signing certificate, PEM (SAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    metadata_url = forms.URLField(
        assume_scheme="https",
        label=_("IdP metadata URL (SAML)"),
        required=False,
        help_text=_("Instead of the sign-in URL and certificate."),
    )
    slo_url = forms.URLField(
        assume_scheme="https",
        label=_("IdP single logout (SLO) URL (SAML)"),
        required=False,
        help_text=_(
            "Optional. When set, signing out of Cadre also signs people out at the IdP, and the "
            "IdP can sign them out of Cadre."
        ),
    )

    def __init__(self, *args: Any, network: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partner_group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PartnerGroup.objects.filter(network=network)

    @staticmethod
    def initial_of(provider: IdentityProvider) -> dict[str, Any]:
        return {
            "protocol": provider.protocol,
            "name": provider.name,
            "domains": "\n".join(provider.domains),
            "allow_domain_signup": provider.allow_domain_signup,
            "partner_group": provider.partner_group_id,
            "server_url": provider.server_url,
            "client_id": provider.client_id,
            "entity_id": provider.entity_id,
            "sso_url": provider.sso_url,
            "x509cert": provider.x509cert,
            "metadata_url": provider.metadata_url,
            "slo_url": provider.slo_url,
        }


class RouteForm(forms.Form):
    email = forms.EmailField(label=_("Your work e-mail address"))
