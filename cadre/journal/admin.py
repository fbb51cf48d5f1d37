"""Operators see that entries exist (to answer "why is my entry gone?" or remove abuse), not
what a private journal says: the admin shows no title or body."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import JournalEntry

# Every field the admin shows, all of them read-only.
SHOWN = ("author", "network", "cohort", "visibility", "created_at", "updated_at")


@admin.register(JournalEntry)
class JournalEntryAdmin(admin.ModelAdmin):
    list_display = ["pk", "author", "network", "visibility", "created_at", "updated_at"]
    list_filter = ["visibility", "network"]
    fields = SHOWN
    readonly_fields = SHOWN

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
