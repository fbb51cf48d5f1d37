"""`{% may "can_view_directory" user network as shown %}` asks an app's policy, from a
template, the same question the linked view asks, so a link is shown only to the people it
opens for. A template builtin, like `|markdown`.

The rule is looked up by name among the `policy.py` modules of Cadre's apps (`policies`),
so a template names a rule without knowing which app owns it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from django import template
from django.apps import apps

register = template.Library()


@cache
def policies() -> dict[str, Callable[..., Any]]:
    """Every public function defined in a Cadre app's policy module, by name."""
    found: dict[str, Callable[..., Any]] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("cadre."):
            continue
        name = f"{config.name}.policy"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as missing:
            if missing.name == name:
                continue
            raise
        for attr, value in vars(module).items():
            if (
                callable(value)
                and not attr.startswith("_")
                and getattr(value, "__module__", "") == name
            ):
                found[attr] = value
    return found


@register.simple_tag
def may(rule: str, *args: Any) -> bool:
    """The answer of the policy rule `rule(*args)`; only the `can_…` questions may be asked."""
    check = policies().get(rule) if rule.startswith("can_") else None
    if check is None:
        raise template.TemplateSyntaxError(f"No app's policy has a rule {rule!r} to ask.")
    return bool(check(*args))
