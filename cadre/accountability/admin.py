from django.contrib import admin
from django.http import HttpRequest

from .models import Blocker, Commitment, Experiment, HelpOffer, Kudos, ProgressUpdate


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "cohort", "due_on", "status", "visibility", "kept_anyway"]
    list_filter = ["status", "visibility"]
    raw_id_fields = ["cohort", "owner", "session"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A commitment is its owner's, made through accountability.services.make_commitment
        # (its check and due date) from the board, a session, coaching or the API.
        return False


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["commitment", "giver", "created_at"]
    raw_id_fields = ["commitment", "giver"]


class BlockerInline(admin.StackedInline):
    model = Blocker
    extra = 0


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    list_display = ["author", "cohort", "commitment", "created_at"]
    raw_id_fields = ["cohort", "author", "commitment"]
    inlines = [BlockerInline]


@admin.register(HelpOffer)
class HelpOfferAdmin(admin.ModelAdmin):
    list_display = ["blocker", "helper", "created_at", "accepted_at"]
    raw_id_fields = ["blocker", "helper"]


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "cohort", "starts_on", "ends_on", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["cohort", "owner", "skill"]
