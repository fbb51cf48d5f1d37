from django.contrib import admin

from .models import Programme, ProgrammeWeek, SessionWeek


class WeekInline(admin.TabularInline):
    model = ProgrammeWeek
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "network", "session_minutes", "created_at"]
    list_filter = ["network"]
    inlines = [WeekInline]


@admin.register(SessionWeek)
class SessionWeekAdmin(admin.ModelAdmin):
    list_display = ["session", "week", "applied_at"]
    raw_id_fields = ["session", "week", "applied_by"]
