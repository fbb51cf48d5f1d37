from django.contrib import admin

from .models import CoachingSession, CoachPrompt, Feedback


@admin.register(CoachPrompt)
class CoachPromptAdmin(admin.ModelAdmin):
    list_display = ["text", "network", "stage", "position", "active"]
    list_filter = ["stage", "active"]
    raw_id_fields = ["network"]


# Session and feedback content is private to the people in it: the admin lists only that
# they exist, never what was said.
@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "created_at"]
    fields = ["cohort", "created_at"]
    readonly_fields = ["cohort", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "visibility", "created_at"]
    fields = ["cohort", "visibility", "created_at"]
    readonly_fields = ["cohort", "visibility", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
