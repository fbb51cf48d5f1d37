from django.contrib import admin

from .models import CohortHealth, HealthSettings


@admin.register(HealthSettings)
class HealthSettingsAdmin(admin.ModelAdmin):
    list_display = ["network", *HealthSettings.FIELDS, "updated_at"]
    raw_id_fields = ["network"]


@admin.register(CohortHealth)
class CohortHealthAdmin(admin.ModelAdmin):
    list_display = ["cohort", "network", "status", "members", "open_blockers", "computed_at"]
    list_filter = ["status"]
    raw_id_fields = ["cohort", "network"]
