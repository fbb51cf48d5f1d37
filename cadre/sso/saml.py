"""SAML single logout (SLO) for Cadre's SAML providers, beside allauth's SAML provider (which
signs people in but keeps nothing of the SAML session, and always advertises a logout
endpoint).

The rules:

- Single logout is on for a provider exactly while its IdP's SLO URL is set
  (`IdentityProvider.slo_url`): only then does Cadre's SP metadata name a SingleLogoutService,
  answer on `sls/`, and send people to the IdP when they sign out.
- A SAML sign-in is remembered in the person's session (which provider, the NameID and the
  SessionIndex the IdP sent), so that signing out of Cadre can ask the IdP to end that same
  session (SP-initiated), and so that the IdP can end only sessions it started
  (IdP-initiated). Someone signed in with a password, or through another provider, is never
  sent to an IdP and is never signed out by one.
- Cadre signs its LogoutRequests and LogoutResponses with the provider's own key pair
  (`sp_private_key`, published as a certificate in the SP metadata), and refuses a
  LogoutRequest that is unsigned or whose signature does not check against the IdP's
  certificate (python3-saml's `wantMessagesSigned`): any web page could otherwise sign people
  out of Cadre. Only the HTTP-Redirect binding is spoken (python3-saml's only one for logout).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.error import URLError

import requests
from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.providers.saml.utils import build_saml_config, prepare_django_request
from django.http import HttpRequest
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from cadre.sso import services
from cadre.sso.models import IdentityProvider, Protocol

logger = logging.getLogger(__name__)

# The SAML session of the person signed in (a dict: provider, name_id, name_id_format, nq,
# spnq, session_index); PENDING holds it between the IdP's answer and the sign-in itself (a
# second factor may come in between).
SESSION_KEY = "cadre_saml_session"
PENDING_KEY = "cadre_saml_pending"

# What fetching the IdP's metadata (a provider set up by metadata URL) can raise.
PROVIDER_DOWN = (requests.RequestException, URLError, OSError)


class SingleLogoutOff(Exception):
    """The provider is not a SAML provider with single logout on."""


def _request_data(request: HttpRequest) -> dict[str, Any]:
    """The request as python3-saml reads it; a signature on the query string is checked
    against the query string exactly as the IdP sent it."""
    data: dict[str, Any] = prepare_django_request(request)
    data["query_string"] = request.META.get("QUERY_STRING", "")
    data["validate_signature_from_qs"] = True
    return data


def slo_provider(slug: str) -> IdentityProvider:
    """The enabled SAML provider `slug` with single logout on."""
    provider = services.provider_of_app(slug)
    if provider is None or provider.protocol != Protocol.SAML or not provider.slo_url:
        raise SingleLogoutOff(slug)
    return provider


def config(request: HttpRequest, provider: IdentityProvider) -> dict[str, Any]:
    """python3-saml's settings for `provider`: allauth's, with single logout as Cadre's rules
    have it (the SLO URLs on both sides only while the IdP's is set; Cadre's logout messages
    signed, the IdP's required to be)."""
    app = services.app_of(provider)
    settings = app.settings if app is not None else services.app_settings(provider)
    built = build_saml_config(request, settings, provider.slug)
    idp, sp, security = built["idp"], built["sp"], built["security"]
    if not provider.slo_url:
        idp.pop("singleLogoutService", None)
        sp.pop("singleLogoutService", None)
        return built
    # Set here also for a provider set up by metadata URL: the form's SLO URL is the one used.
    idp["singleLogoutService"] = {
        "url": provider.slo_url,
        "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
    }
    if provider.sp_private_key:
        sp["x509cert"] = provider.sp_x509cert
        sp["privateKey"] = provider.sp_private_key
        security["logoutRequestSigned"] = True
        security["logoutResponseSigned"] = True
    security["wantMessagesSigned"] = True
    return built


def sp_metadata(request: HttpRequest, provider: IdentityProvider) -> tuple[str, list[str]]:
    """Cadre's SP metadata for `provider` and what python3-saml finds wrong with it."""
    saml_settings = OneLogin_Saml2_Settings(
        settings=config(request, provider), sp_validation_only=True
    )
    metadata = saml_settings.get_sp_metadata()
    if isinstance(metadata, bytes):
        metadata = metadata.decode()
    return metadata, list(saml_settings.validate_metadata(metadata))


# --- remembering a SAML sign-in ----------------------------------------------------------------


def remember_answer(request: HttpRequest, slug: str, auth: OneLogin_Saml2_Auth) -> None:
    """The IdP's answer checked out: keep its NameID and SessionIndex until the sign-in
    completes (`on_signed_in`)."""
    request.session[PENDING_KEY] = {
        "provider": slug,
        "name_id": auth.get_nameid(),
        "name_id_format": auth.get_nameid_format(),
        "nq": auth.get_nameid_nq(),
        "spnq": auth.get_nameid_spnq(),
        "session_index": auth.get_session_index(),
    }


def on_signed_in(request: HttpRequest, sociallogin: Any = None, **kwargs: Any) -> None:
    """allauth's user_logged_in: a sign-in by a SAML provider keeps the answer it came with;
    any other sign-in (a password, OpenID Connect) leaves no SAML session behind."""
    pending = request.session.pop(PENDING_KEY, None)
    account = getattr(sociallogin, "account", None)
    if (
        isinstance(pending, dict)
        and account is not None
        and pending["provider"] == account.provider
    ):
        request.session[SESSION_KEY] = pending
    else:
        request.session.pop(SESSION_KEY, None)


# --- SP-initiated: signing out of Cadre -----------------------------------------------------


def sign_out_redirect(request: HttpRequest) -> str | None:
    """Where to send someone who signs out of Cadre: their IdP's SLO URL with Cadre's
    LogoutRequest when they signed in through a SAML provider with single logout on; None
    otherwise (and when the IdP's settings cannot be read: signing out of Cadre still works)."""
    remembered = request.session.get(SESSION_KEY)
    if not isinstance(remembered, dict):
        return None
    try:
        provider = slo_provider(str(remembered.get("provider", "")))
        auth = OneLogin_Saml2_Auth(_request_data(request), config(request, provider))
        return str(
            auth.logout(
                return_to=get_account_adapter(request).get_logout_redirect_url(request),
                name_id=remembered.get("name_id"),
                session_index=remembered.get("session_index"),
                nq=remembered.get("nq"),
                name_id_format=remembered.get("name_id_format"),
                spnq=remembered.get("spnq"),
            )
        )
    except SingleLogoutOff:
        return None
    except (OneLogin_Saml2_Error, ValueError, KeyError, *PROVIDER_DOWN) as exc:
        logger.warning("Single logout at %s could not start: %r", remembered.get("provider"), exc)
        return None


# --- the sls/ endpoint ---------------------------------------------------------------------------


class LogoutRefused(Exception):
    """A logout message that is not one (wrong binding) or does not check out."""


def _ends_this_session(request: HttpRequest, provider: IdentityProvider, xml: str) -> bool:
    """Whether the IdP's (checked) LogoutRequest is about the SAML session of this browser."""
    remembered = request.session.get(SESSION_KEY)
    if not isinstance(remembered, dict) or remembered.get("provider") != provider.slug:
        return False
    if OneLogin_Saml2_Logout_Request.get_nameid(xml) != remembered.get("name_id"):
        return False
    indexes = OneLogin_Saml2_Logout_Request.get_session_indexes(xml)
    return not indexes or remembered.get("session_index") in indexes


def answer_logout(request: HttpRequest, provider: IdentityProvider) -> str:
    """The IdP's LogoutRequest (IdP-initiated) or LogoutResponse (to Cadre's request), on the
    HTTP-Redirect binding. A signed LogoutRequest about this browser's session signs the person
    out; the answer is the URL to send the browser to (the IdP, with Cadre's LogoutResponse).
    A LogoutResponse only leads to the signed-out page: Cadre signed the person out before
    sending them to the IdP. Raises LogoutRefused."""
    auth = OneLogin_Saml2_Auth(_request_data(request), config(request, provider))
    account_adapter = get_account_adapter(request)
    is_request = "SAMLRequest" in request.GET

    def end_session() -> None:
        xml = auth.get_last_request_xml()
        if (
            is_request
            and request.user.is_authenticated
            and _ends_this_session(request, provider, xml)
        ):
            account_adapter.logout(request)

    try:
        away = auth.process_slo(keep_local_session=not is_request, delete_session_cb=end_session)
    except OneLogin_Saml2_Error as exc:
        raise LogoutRefused(str(exc)) from exc
    errors = auth.get_errors()
    if errors:
        reason = auth.get_last_error_reason() or ", ".join(errors)
        if is_request:
            raise LogoutRefused(reason)
        logger.warning("The LogoutResponse from %s did not check out: %s", provider.slug, reason)
    return str(away) if is_request and away else account_adapter.get_logout_redirect_url(request)
