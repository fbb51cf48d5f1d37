"""Cadre's rules inside allauth's social sign-in (SOCIALACCOUNT_ADAPTER): a provider speaks
only for its own e-mail domains, and a new account is made only for someone invited or at a
domain the provider lets in (cadre.sso.services)."""

from __future__ import annotations

from typing import Any

import requests
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest
from django.shortcuts import render

from cadre.sso import services
from cadre.sso.models import IdentityProvider


def _refuse(request: HttpRequest, provider: IdentityProvider | None, reason: str) -> None:
    response = render(
        request, "sso/refused.html", {"provider": provider, "reason": reason}, status=403
    )
    raise ImmediateHttpResponse(response)


def _email_of(sociallogin: SocialLogin) -> str:
    for address in sociallogin.email_addresses:
        if address.email:
            return str(address.email).strip().lower()
    user = sociallogin.user
    return str(getattr(user, "email", "") or "").strip().lower()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _provider(self, sociallogin: SocialLogin) -> IdentityProvider | None:
        app = getattr(sociallogin.provider, "app", None)
        return services.provider_of_app(app.provider_id) if app is not None else None

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = self._provider(sociallogin)
        if provider is None:
            _refuse(request, None, "off")
            return
        email = _email_of(sociallogin)
        if not email or not provider.speaks_for(email):
            _refuse(request, provider, "domain")
        if not sociallogin.is_existing and not services.may_sign_up(provider, email):
            _refuse(request, provider, "no-account")

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        provider = self._provider(sociallogin)
        return provider is not None and services.may_sign_up(provider, _email_of(sociallogin))

    def is_email_verified(self, provider: Any, email: str) -> bool:
        found = services.provider_of_app(provider.app.provider_id) if provider.app else None
        return found is not None and found.speaks_for(email)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: Any) -> Any:
        user = super().populate_user(request, sociallogin, data)
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        if name and hasattr(user, "name"):
            user.name = str(name)[:150]
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form: Any = None) -> Any:
        user = super().save_user(request, sociallogin, form)
        provider = self._provider(sociallogin)
        if provider is not None:
            services.join_after_sign_up(user, provider, _email_of(sociallogin))
        return user

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        found = services.provider_of_app(provider.app.provider_id) if provider.app else None
        down = isinstance(exception, requests.RequestException | OSError)
        response = render(
            request,
            "sso/unavailable.html",
            {"provider": found, "down": down},
            status=502 if down else 403,
        )
        raise ImmediateHttpResponse(response)
