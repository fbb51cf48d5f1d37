"""Cadre's Django admin site: Django's own, except that it signs people in through Cadre's one
sign-in, never with a password form of its own. INSTALLED_APPS names AdminSiteConfig in place of
"django.contrib.admin", so that `admin.site` is this site."""

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest, HttpResponse

from .views import admin_login


class AdminSite(admin.AdminSite):
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return admin_login(request, extra_context)


class AdminSiteConfig(AdminConfig):
    """django.contrib.admin (autodiscovery included), with the site above as `admin.site`."""

    default_site = "cadre.accounts.sites.AdminSite"
