from django.contrib import admin

from .models import Metric, MetricReporter, Observation


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "network", "cohort", "kind", "unit", "direction", "target"]
    list_filter = ["kind", "direction"]
    search_fields = ["name"]
    raw_id_fields = ["network", "cohort", "created_by"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["metric", "observed_on", "value", "person", "recorded_by"]
    raw_id_fields = ["metric", "person", "recorded_by"]


@admin.register(MetricReporter)
class MetricReporterAdmin(admin.ModelAdmin):
    list_display = ["user", "metric", "cohort", "created_at"]
    raw_id_fields = ["network", "metric", "cohort", "user", "granted_by"]
