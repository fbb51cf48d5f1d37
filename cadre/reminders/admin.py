from django.contrib import admin

from .models import NotificationPreference, Reminder


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "session_reminders", "commitment_reminders", "weekly_digest"]
    raw_id_fields = ["user"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "user", "key", "created_at", "message"]
    list_filter = ["kind", "message__status"]
    list_select_related = ["user", "message"]
    raw_id_fields = ["user", "message"]
