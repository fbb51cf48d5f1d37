"""Markdown written by people, rendered for other people to read.

User text is rendered with markdown-it-py (CommonMark, raw HTML switched off, plus tables and
strikethrough) and the result is then cleaned by nh3 (the Ammonia sanitizer) against a short
allow-list. The sanitizer is the safety boundary, not the renderer: whatever the renderer
emits, only the tags and attributes below survive.

- No script, style, iframe, form or any other tag outside ALLOWED_TAGS.
- No event handler, no `style`, no htmx (`hx-*`) or other `data-*` attribute: only the
  attributes in ALLOWED_ATTRIBUTES.
- Links keep only http, https and mailto targets (relative links too) and always carry
  rel="nofollow noopener noreferrer"; `javascript:` and `data:` URLs are dropped.
- No remote image: Markdown images become a plain link to the image, so reading a page never
  makes the reader's browser fetch something from a place the author chose.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})

# Longest text we render; longer input is cut (model fields cap their own lengths anyway).
MAX_SOURCE_CHARS = 100_000


@lru_cache(maxsize=1)
def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])

    def image_as_link(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        label = renderer.renderInlineAsText(token.children or [], options, env) or src
        return f'<a href="{escapeHtml(src)}">{escapeHtml(label)}</a>'

    md.add_render_rule("image", image_as_link)
    return md


def sanitize(html: str) -> str:
    """Clean HTML against the allow-list (used on rendered Markdown, never skipped)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener noreferrer",
        strip_comments=True,
    )


def render(text: str | None) -> SafeString:
    """Markdown source -> sanitized HTML, safe to put in a template."""
    if not text:
        return mark_safe("")
    html = _renderer().render(text[:MAX_SOURCE_CHARS])
    return mark_safe(sanitize(html))  # sanitized by nh3 just above


register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: Any) -> SafeString:
    """`{{ entry.body|markdown }}`: available in every template (a template builtin)."""
    return render(str(value) if value is not None else "")
