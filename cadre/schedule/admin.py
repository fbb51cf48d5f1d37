from django.contrib import admin

from .models import (
    Absence,
    AgendaBlock,
    CohortSchedule,
    MentorMatch,
    MentorSettings,
    RoleAssignment,
    Session,
    SessionReport,
)


@admin.register(CohortSchedule)
class CohortScheduleAdmin(admin.ModelAdmin):
    list_display = ["cohort", "weekday", "local_time", "roles"]
    raw_id_fields = ["cohort"]


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    raw_id_fields = ["user"]
    extra = 0


class AgendaBlockInline(admin.TabularInline):
    model = AgendaBlock
    raw_id_fields = ["presenter"]
    extra = 0


class AbsenceInline(admin.TabularInline):
    model = Absence
    raw_id_fields = ["user"]
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["cohort", "starts_at", "kind", "title", "cancelled"]
    list_filter = ["kind", "cancelled"]
    raw_id_fields = ["cohort"]
    date_hierarchy = "starts_at"
    inlines = [RoleAssignmentInline, AbsenceInline, AgendaBlockInline]


@admin.register(MentorSettings)
class MentorSettingsAdmin(admin.ModelAdmin):
    list_display = ["membership", "capacity", "accepting"]
    raw_id_fields = ["membership"]


@admin.register(MentorMatch)
class MentorMatchAdmin(admin.ModelAdmin):
    list_display = ["network", "mentor", "newcomer", "created_at", "ended_at"]
    raw_id_fields = ["mentor", "newcomer", "confirmed_by"]
    list_filter = ["network"]


@admin.register(SessionReport)
class SessionReportAdmin(admin.ModelAdmin):
    list_display = ["session", "status", "share_with_network", "published_at"]
    list_filter = ["status", "share_with_network"]
    raw_id_fields = ["session", "published_by"]
