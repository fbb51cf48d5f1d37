from django.contrib import admin
from django.http import HttpRequest

from .models import (
    CodeOfConduct,
    CodeOfConductAcceptance,
    Invitation,
    Network,
    NetworkMembership,
    Skill,
)


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [NetworkMembershipInline]


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "network", "role", "joined_at"]
    list_filter = ["role", "network"]
    list_select_related = ["user", "network"]
    search_fields = ["user__email", "user__name", "network__name"]
    autocomplete_fields = ["network", "user"]


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "network", "slug"]
    list_filter = ["network", "category"]
    list_select_related = ["network"]
    search_fields = ["name", "slug", "category"]
    autocomplete_fields = ["network"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CodeOfConduct)
class CodeOfConductAdmin(admin.ModelAdmin):
    list_display = ["network", "version", "change_note", "published_at", "created_by"]
    list_filter = ["network"]
    list_select_related = ["network", "created_by"]
    search_fields = ["network__name", "change_note"]
    autocomplete_fields = ["network", "created_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: CodeOfConduct | None = None) -> list:
        # A published version is never edited: a change is a new version.
        if obj is not None:
            return ["network", "version", "body", "published_at", "created_by"]
        return []


@admin.register(CodeOfConductAcceptance)
class CodeOfConductAcceptanceAdmin(admin.ModelAdmin):
    list_display = ["user", "code", "accepted_at"]
    list_filter = ["code__network"]
    list_select_related = ["user", "code__network"]
    search_fields = ["user__email", "user__name", "code__network__name"]
    autocomplete_fields = ["user"]
    raw_id_fields = ["code"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "network", "role", "status", "created_at", "invited_by"]
    list_filter = ["network", "role"]
    list_select_related = ["network", "invited_by"]
    search_fields = ["email", "network__name"]
    autocomplete_fields = ["network", "invited_by", "accepted_by"]
    readonly_fields = ["status"]
    date_hierarchy = "created_at"
