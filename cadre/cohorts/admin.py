from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Charter, CharterAcknowledgement, Cohort, CohortMembership

# Charter versions are the cohort's history: the admin can add one, never rewrite one.
CHARTER_FIELDS = [
    "cohort",
    "version",
    "mission",
    "weekly_hours",
    "learning_formats",
    "project_kinds",
    "norms",
    "next_review_on",
    "change_note",
    "created_by",
    "created_at",
]


class CharterInline(admin.TabularInline):
    model = Charter
    fields = readonly_fields = (
        "version",
        "weekly_hours",
        "next_review_on",
        "change_note",
        "created_by",
    )
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ["-version"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CohortMembershipInline(admin.TabularInline):
    model = CohortMembership
    fields = ["user", "role", "joined_on", "left_on", "learning_statement"]
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "status", "cadence", "shared_with_network", "starts_on"]
    list_filter = ["status", "cadence", "shared_with_network", "network"]
    list_select_related = ["network"]
    search_fields = ["name", "slug", "objective", "network__name"]
    prepopulated_fields = {"slug": ["name"]}
    raw_id_fields = ["network"]
    inlines = [CharterInline, CohortMembershipInline]


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = [
        "cohort",
        "version",
        "weekly_hours",
        "next_review_on",
        "created_by",
        "created_at",
    ]
    list_filter = ["cohort__network", "next_review_on"]
    list_select_related = ["cohort", "created_by"]
    search_fields = ["cohort__name", "mission", "change_note"]
    raw_id_fields = ["cohort", "created_by"]
    ordering = ["cohort", "-version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return CHARTER_FIELDS if obj is not None else []


@admin.register(CharterAcknowledgement)
class CharterAcknowledgementAdmin(admin.ModelAdmin):
    list_display = ["user", "charter", "acknowledged_at"]
    list_filter = ["charter__cohort__network"]
    list_select_related = ["user", "charter__cohort"]
    search_fields = ["user__name", "user__email", "charter__cohort__name"]
    raw_id_fields = ["charter", "user"]
    date_hierarchy = "acknowledged_at"


@admin.register(CohortMembership)
class CohortMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "role", "joined_on", "left_on"]
    list_filter = ["role", "cohort__network", ("left_on", admin.EmptyFieldListFilter)]
    list_select_related = ["user", "cohort"]
    search_fields = ["user__name", "user__email", "cohort__name"]
    raw_id_fields = ["cohort", "user"]
