"""The single sign-on pages: routing an e-mail address to its provider on the way in, and the
network admins' settings page. Writes are services (cadre.sso.services)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.error import URLError

import requests
from allauth.account.views import LogoutView
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.saml.views import FinishACSView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from onelogin.saml2.errors import OneLogin_Saml2_Error

from cadre.accounts.http import AuthenticatedRequest
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import get_network_or_404
from cadre.sso import policy, saml, services
from cadre.sso.forms import ProviderForm, RouteForm
from cadre.sso.models import IdentityProvider, Protocol

logger = logging.getLogger(__name__)

# --- signing in ---------------------------------------------------------------------------


def _next(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if safe else ""


@require_GET
def route(request: HttpRequest) -> HttpResponse:
    """The sign-in page's "work e-mail" box: an address whose domain has a provider is
    offered "Sign in with <name>"; any other goes back to the password form."""
    form = RouteForm(request.GET)
    login = reverse("account_login")
    nxt = _next(request)
    if not form.is_valid():
        messages.error(request, _("Enter your work e-mail address to find its sign-in."))
        return redirect(login + (f"?{urlencode({'next': nxt})}" if nxt else ""))
    email = form.cleaned_data["email"]
    provider = services.provider_for_email(email)
    if provider is None:
        messages.info(
            request,
            _("No single sign-on is set up for %(domain)s: sign in with your password.")
            % {"domain": email.rpartition("@")[2]},
        )
        return redirect(login + "?" + urlencode({"email": email, **({"next": nxt} if nxt else {})}))
    return render(request, "sso/route.html", {"provider": provider, "email": email, "next": nxt})


@require_POST
def start(request: HttpRequest, provider: int) -> HttpResponse:
    """Hand over to allauth's provider, which redirects to the identity provider. A provider
    that does not answer gets a page that says so (password sign-in still works)."""
    found = get_object_or_404(IdentityProvider, pk=provider, enabled=True)
    app = SocialApp.objects.filter(provider=found.allauth_provider, provider_id=found.slug).first()
    if app is None:
        raise Http404("No such sign-in.")
    try:
        return app.get_provider(request).redirect_from_request(request)
    except (requests.RequestException, URLError, OSError) as exc:
        logger.warning("Single sign-on with %s could not start: %r", found.slug, exc)
        context = {"provider": found, "down": True}
        return render(request, "sso/unavailable.html", context, status=502)
    except (OneLogin_Saml2_Error, ValueError, KeyError) as exc:
        logger.error("Single sign-on with %s is misconfigured: %r", found.slug, exc)
        context = {"provider": found, "broken": True}
        return render(request, "sso/unavailable.html", context, status=500)


# --- SAML single logout (cadre.sso.saml), at allauth's addresses and under its names -------


class SignOut(LogoutView):
    """allauth's sign-out, which then sends someone who signed in through a SAML provider with
    single logout to their IdP, with Cadre's LogoutRequest."""

    def post(self, *args: Any, **kwargs: Any) -> HttpResponse:
        away = saml.sign_out_redirect(self.request) if self.request.user.is_authenticated else None
        response: HttpResponse = super().post(*args, **kwargs)
        return HttpResponseRedirect(away) if away else response


class SamlFinishAcs(FinishACSView):
    """allauth's end of a SAML sign-in, which also keeps the NameID and SessionIndex of the
    IdP's (checked) answer for single logout."""

    def get_provider(self, organization_slug: str) -> Any:
        provider = super().get_provider(organization_slug)
        build = provider.sociallogin_from_response

        def remembering(request: HttpRequest, auth: Any) -> Any:
            login = build(request, auth)
            saml.remember_answer(request, organization_slug, auth)
            return login

        provider.sociallogin_from_response = remembering
        return provider


def _metadata_down(
    request: HttpRequest, provider: IdentityProvider, exc: Exception
) -> HttpResponse:
    """The IdP's metadata (a provider set up by metadata URL) could not be fetched."""
    logger.warning("The metadata of %s could not be read: %r", provider.slug, exc)
    context = {"provider": provider, "down": True}
    return render(request, "sso/unavailable.html", context, status=502)


@require_GET
def saml_metadata(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """Cadre's SP metadata for one SAML provider: its ACS, and its SingleLogoutService and
    signing certificate while the IdP's SLO URL is set."""
    provider = services.provider_of_app(organization_slug)
    if provider is None or provider.protocol != Protocol.SAML:
        raise Http404("No such provider.")
    try:
        metadata, errors = saml.sp_metadata(request, provider)
    except saml.PROVIDER_DOWN as exc:
        return _metadata_down(request, provider, exc)
    if errors:
        logger.error("Cadre's SP metadata for %s is not valid: %s", provider.slug, errors)
        return render(
            request, "sso/unavailable.html", {"provider": provider, "broken": True}, status=500
        )
    return HttpResponse(metadata, content_type="text/xml")


@require_GET  # python3-saml speaks only the HTTP-Redirect binding for logout
def saml_sls(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """The IdP's LogoutRequest (it signs the person out of Cadre and answers with a
    LogoutResponse) or its LogoutResponse to Cadre's request."""
    try:
        provider = saml.slo_provider(organization_slug)
    except saml.SingleLogoutOff:
        raise Http404("No single logout here.") from None
    try:
        away = saml.answer_logout(request, provider)
    except saml.LogoutRefused as refusal:
        logger.warning("A logout message for %s was refused: %s", provider.slug, refusal)
        return render(request, "sso/logout_refused.html", {"provider": provider}, status=400)
    except saml.PROVIDER_DOWN as exc:
        return _metadata_down(request, provider, exc)
    return HttpResponseRedirect(away)


# --- the network admins' page ---------------------------------------------------------------


def _network(request: HttpRequest, slug: str) -> Network:
    network = get_network_or_404(request.user, slug)
    if not policy.can_manage_sso(request.user, network):
        raise Http404("No such page.")
    return network


def _provider(request: HttpRequest, network: Network, pk: int) -> IdentityProvider:
    return get_object_or_404(policy.manageable_providers(request.user, network), pk=pk)


def _save(request: AuthenticatedRequest, network: Network, form: ProviderForm, **kw: Any) -> Any:
    data = form.cleaned_data
    return services.save_provider(
        request.user,
        network,
        protocol=data["protocol"],
        name=data["name"],
        domains=data["domains"],
        allow_domain_signup=data["allow_domain_signup"],
        partner_group=data["partner_group"],
        server_url=data["server_url"],
        client_id=data["client_id"],
        client_secret=data["client_secret"],
        entity_id=data["entity_id"],
        sso_url=data["sso_url"],
        x509cert=data["x509cert"],
        metadata_url=data["metadata_url"],
        slo_url=data["slo_url"],
        **kw,
    )


def _sp_details(request: HttpRequest, provider: IdentityProvider) -> dict[str, str]:
    """What the identity provider's admin needs from Cadre."""
    if provider.protocol == Protocol.OIDC:
        path = reverse("openid_connect_callback", kwargs={"provider_id": provider.slug})
        return {_("Redirect URI"): request.build_absolute_uri(path)}
    details = {
        _("SP metadata"): request.build_absolute_uri(
            reverse("saml_metadata", args=[provider.slug])
        ),
        _("ACS URL"): request.build_absolute_uri(reverse("saml_acs", args=[provider.slug])),
        _("SP entity ID"): request.build_absolute_uri(
            reverse("saml_metadata", args=[provider.slug])
        ),
    }
    if provider.slo_url:
        details[_("SLO URL (HTTP-Redirect)")] = request.build_absolute_uri(
            reverse("saml_sls", args=[provider.slug])
        )
    return details


@login_required
@require_http_methods(["GET", "POST"])
def providers(request: AuthenticatedRequest, network: str) -> HttpResponse:
    found = _network(request, network)
    form = ProviderForm(request.POST or None, network=found)
    if request.method == "POST" and form.is_valid():
        try:
            added = _save(request, found, form)
        except Refused as refusal:
            show_on_form(form, refusal)
        else:
            messages.success(
                request,
                _("%(provider)s is set up. Give its admin the details below.")
                % {"provider": added.name},
            )
            return redirect("sso:provider", found.slug, added.pk)
    rows = [(p, _sp_details(request, p)) for p in policy.manageable_providers(request.user, found)]
    context = {"network": found, "form": form, "rows": rows}
    return render(request, "sso/providers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request: AuthenticatedRequest, network: str, idp: int) -> HttpResponse:
    found = _network(request, network)
    provider = _provider(request, found, idp)
    form = ProviderForm(
        request.POST or None, network=found, initial=ProviderForm.initial_of(provider)
    )
    if request.method == "POST" and form.is_valid():
        try:
            _save(request, found, form, provider=provider)
        except Refused as refusal:
            provider.refresh_from_db()
            show_on_form(form, refusal)
        else:
            messages.success(request, _("%(provider)s is saved.") % {"provider": provider.name})
            return redirect("sso:provider", found.slug, provider.pk)
    context = {
        "network": found,
        "provider": provider,
        "form": form,
        "details": _sp_details(request, provider),
    }
    return render(request, "sso/provider.html", context)


@login_required
@require_POST
def provider_enable(request: AuthenticatedRequest, network: str, idp: int) -> HttpResponse:
    found = _network(request, network)
    provider = _provider(request, found, idp)
    enabled = request.POST.get("enabled") == "1"
    services.set_enabled(request.user, provider, enabled=enabled)
    if enabled:
        done = _("Sign-in with %(provider)s is on.")
    else:
        done = _("Sign-in with %(provider)s is off.")
    messages.success(request, done % {"provider": provider.name})
    return redirect("sso:provider", found.slug, provider.pk)


@login_required
@require_POST
def provider_check(request: AuthenticatedRequest, network: str, idp: int) -> HttpResponse:
    found = _network(request, network)
    provider = services.check_connection(request.user, _provider(request, found, idp))
    if provider.check_ok:
        messages.success(request, provider.check_said())
    else:
        messages.warning(request, provider.check_said())
    return redirect("sso:provider", found.slug, provider.pk)


@login_required
@require_POST
def provider_delete(request: AuthenticatedRequest, network: str, idp: int) -> HttpResponse:
    found = _network(request, network)
    provider = _provider(request, found, idp)
    services.delete_provider(request.user, provider)
    messages.success(
        request,
        _("%(provider)s is removed; its people sign in with a password.")
        % {"provider": provider.name},
    )
    return redirect("sso:providers", found.slug)
