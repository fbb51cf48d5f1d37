"""Template helpers for other apps' pages: whether to offer "Promote to a case study"."""

from typing import Any

from django import template

from cadre.repository import policy

register = template.Library()


@register.simple_tag
def can_promote_experiment(user: Any, experiment: Any) -> bool:
    return policy.can_promote_experiment(user, experiment)


@register.simple_tag
def can_promote_report(user: Any, report: Any) -> bool:
    return bool(report) and policy.can_promote_report(user, report)
