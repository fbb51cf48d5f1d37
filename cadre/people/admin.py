from django.contrib import admin

from .models import Profile, ProfileSkill


class ProfileSkillInline(admin.TabularInline):
    model = ProfileSkill
    extra = 0
    autocomplete_fields = ["skill"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "function", "organization", "seniority", "time_zone"]
    list_filter = ["seniority"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name", "headline", "organization", "function"]
    autocomplete_fields = ["user"]
    inlines = [ProfileSkillInline]


@admin.register(ProfileSkill)
class ProfileSkillAdmin(admin.ModelAdmin):
    list_display = ["profile", "skill", "level"]
    list_filter = ["level", "skill__network"]
    list_select_related = ["profile__user", "skill"]
    search_fields = ["profile__user__email", "profile__user__name", "skill__name"]
    autocomplete_fields = ["profile", "skill"]
