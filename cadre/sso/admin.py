from django.contrib import admin

from cadre.sso.models import IdentityProvider


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "protocol", "enabled"]
    list_filter = ["protocol", "enabled"]
    readonly_fields = ["slug", "check_message"]
