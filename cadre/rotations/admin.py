"""Admin for rotations. Private "please don't pair me with" lists are not registered: the
admin must not become a way to read them."""

from django.contrib import admin

from .models import CoachingRound, CoffeeRound, Ritual


@admin.register(CoachingRound)
class CoachingRoundAdmin(admin.ModelAdmin):
    list_display = ["cohort", "number", "starts_on", "format"]
    list_filter = ["format", "cohort__network"]
    list_select_related = ["cohort"]
    raw_id_fields = ["cohort"]


@admin.register(Ritual)
class RitualAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "cadence", "group_size", "active"]
    list_filter = ["active", "cadence", "network"]
    list_select_related = ["network"]
    search_fields = ["name", "network__name"]
    raw_id_fields = ["network", "created_by"]


@admin.register(CoffeeRound)
class CoffeeRoundAdmin(admin.ModelAdmin):
    list_display = ["ritual", "number", "scheduled_for", "announced_at"]
    list_select_related = ["ritual"]
    raw_id_fields = ["ritual", "created_by"]
    readonly_fields = ["announced_at"]
