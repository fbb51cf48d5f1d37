from django.contrib import admin

from .models import NotificationPreference, Reminder


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "session_reminders", "commitment_reminders", "weekly_digest"]
    raw_id_fields = ["user"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "user", "key", "created_at", "sent_at"]
    list_filter = ["kind"]
    raw_id_fields = ["user"]
