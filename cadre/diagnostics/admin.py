from django.contrib import admin

from .models import AssessmentRound, TargetSkill


@admin.register(TargetSkill)
class TargetSkillAdmin(admin.ModelAdmin):
    list_display = ["skill", "cohort", "target_level"]
    raw_id_fields = ["cohort", "skill"]


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["cohort", "number", "label", "opens_on", "peer_assessments_enabled"]
    raw_id_fields = ["cohort", "opened_by"]


# Assessments have no admin screen: a peer's score is never shown with who gave it.
