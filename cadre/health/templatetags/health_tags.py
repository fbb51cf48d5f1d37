"""`{% load health_tags %}`: whether to link a cohort's health page, for the cohort page."""

from typing import Any

from django import template

from cadre.health import policy

register = template.Library()


@register.filter
def may_see_health(user: Any, cohort: Any) -> bool:
    return policy.can_view_health_summary(user, cohort)
