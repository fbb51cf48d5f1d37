"""`{% load health_tags %}`: whether to link a cohort's health page, for the cohort page."""

from typing import Any

from django import template

from cadre.lib import permissions

register = template.Library()


@register.filter
def may_see_health(user: Any, cohort: Any) -> bool:
    return permissions.can_view_health_summary(user, cohort)
