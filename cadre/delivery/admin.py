from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import Message, Status
from .services import wake_after_commit


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Message._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Try the selected failed messages again now")
    def send_again(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = queryset.filter(status=Status.FAILED).update(
            status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        wake_after_commit()
        self.message_user(request, f"{count} message(s) queued again.")
