from django.contrib import admin

from .models import Application, FormationRun, Intake


@admin.register(Intake)
class IntakeAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "status", "opens_on", "closes_on"]
    list_filter = ["status", "network"]
    list_select_related = ["network"]
    search_fields = ["title", "slug", "network__name"]
    autocomplete_fields = ["network"]
    raw_id_fields = ["created_by"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["user", "intake", "submitted_at", "withdrawn"]
    list_filter = ["withdrawn", "intake__network"]
    list_select_related = ["user", "intake"]
    search_fields = ["user__email", "user__name", "intake__title"]
    raw_id_fields = ["user", "intake"]


@admin.register(FormationRun)
class FormationRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "intake", "status", "progress", "best_objective", "created_at"]
    list_filter = ["status"]
    list_select_related = ["intake"]
    raw_id_fields = ["intake", "created_by"]
    readonly_fields = ["result", "task_id", "started_at", "finished_at"]
