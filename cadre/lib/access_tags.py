"""`{% may "can_view_directory" user network as shown %}` asks cadre.lib.permissions, from a
template, the same question the linked view asks, so a link is shown only to the people it
opens for. A template builtin, like `|markdown`."""

from __future__ import annotations

from typing import Any

from django import template

from cadre.lib import permissions

register = template.Library()


@register.simple_tag
def may(rule: str, *args: Any) -> bool:
    """The answer of `permissions.<rule>(*args)`; only the `can_…` questions may be asked."""
    check = getattr(permissions, rule, None) if rule.startswith("can_") else None
    if not callable(check):
        raise template.TemplateSyntaxError(f"cadre.lib.permissions has no {rule!r} to ask.")
    return bool(check(*args))
