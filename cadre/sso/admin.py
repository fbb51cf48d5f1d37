"""The operators' view of single sign-on. Network admins set providers up on the network's
settings pages (cadre.sso.views); the admin shows them without their secrets, and allauth's
SocialApp (written from each provider by cadre.sso.services) is shown read-only, without its
secret: change a provider on its settings page, never here."""

from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from cadre.sso.models import IdentityProvider

for model in (SocialApp, SocialToken):  # Cadre keeps no provider tokens (STORE_TOKENS off)
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "protocol", "enabled"]
    list_filter = ["protocol", "enabled"]
    readonly_fields = ["slug", "check_message"]
    # As on the settings page's form: an address typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(SocialApp)
class SocialAppAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "provider_id"]
    fields = ("provider", "provider_id", "name", "client_id", "settings")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
