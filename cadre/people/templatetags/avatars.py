"""`{% load avatars %}{% avatar person size=32 %}`: the person's picture for viewers who may
see it (`cadre.people.policy.can_view_avatar`), else their initials on a coloured circle.
Sizes and colours are classes in cadre.css (no inline styles under the CSP)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from cadre.people import avatars
from cadre.people.policy import can_view_avatar

register = template.Library()

SIZES = (24, 32, 48, 96)


def _size_class(size: int) -> int:
    return min(SIZES, key=lambda s: abs(s - size))


@register.simple_tag(takes_context=True)
def avatar(context: template.Context, user: Any, size: int = 32, decorative: bool = False) -> str:
    """`decorative=True` where the person's name is written beside the picture: then the
    picture has no text of its own, so a screen reader does not say the name twice."""
    if user is None:
        return ""
    viewer = context.get("user") or getattr(context.get("request"), "user", None)
    px = _size_class(int(size))
    label = "" if decorative else getattr(user, "name", "") or getattr(user, "email", "")
    url = avatars.avatar_url(user) if viewer is not None and can_view_avatar(viewer, user) else ""
    if url:
        return format_html(
            '<img class="avatar avatar-s{}" src="{}" width="{}" height="{}" alt="{}" loading="lazy">',
            px,
            url,
            px,
            px,
            label,
        )
    if decorative:
        return format_html(
            '<span class="avatar avatar-s{} avatar-c{}" aria-hidden="true"><span>{}</span></span>',
            px,
            avatars.colour_of(user),
            avatars.initials(user),
        )
    return format_html(
        '<span class="avatar avatar-s{} avatar-c{}" role="img" aria-label="{}">'
        '<span aria-hidden="true">{}</span></span>',
        px,
        avatars.colour_of(user),
        label,
        avatars.initials(user),
    )
