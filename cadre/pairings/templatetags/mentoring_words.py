"""Say the mentor matching engine's English again in the reader's language (see
cadre.pairings.wording)."""

from __future__ import annotations

from typing import Any

from django import template

from cadre.pairings import wording

register = template.Library()


@register.simple_tag
def match_why(match: Any) -> str:
    """`match`'s explanation (a stored match or a proposal: .explanation, .mentor and
    .newcomer) in the active language."""
    return wording.explanation(match.explanation, match.mentor, match.newcomer)


@register.filter
def matching_summary(text: str) -> str:
    """The engine's summary of a matching in the active language."""
    return wording.summary(text)
