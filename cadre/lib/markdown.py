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

import html as htmllib
import re
from functools import lru_cache
from typing import Any

import nh3
from django import template
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy
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

# Every stored field whose text is Markdown ("app_label.Model.field"). Pages show it through
# `|markdown` (short excerpts through `|markdown_text`), the impact PDF through `to_text`;
# plain-text e-mails and the API's raw fields keep the source as written.
# cadre/tests/test_markdown_pages.py fails when a model's text field is in neither this set
# nor its list of plain-text fields, and when a page shows the source of one of these.
MARKDOWN_FIELDS: frozenset[str] = frozenset(
    {
        "networks.Network.description",
        "networks.CodeOfConduct.body",
        "people.Profile.bio",
        "cohorts.Charter.mission",
        "cohorts.Charter.project_kinds",
        "cohorts.Charter.norms",
        "formation.Intake.description",
        "schedule.SessionReport.body",
        "conversation.Comment.body",
        "schedule.SessionReport.what_worked",
        "schedule.SessionReport.what_did_not",
        "rotations.Ritual.description",
        "accountability.Experiment.hypothesis",
        "accountability.Experiment.plan",
        "accountability.Experiment.result_data",
        "accountability.Experiment.learnings",
        "accountability.Experiment.next_steps",
        "coaching.CoachingSession.notes",
        "coaching.CoachingSession.observer_notes",
        "journal.JournalEntry.body",
        "repository.RepositoryItem.body",
        "metrics.Metric.description",
        "programmes.Programme.summary",
        "pairings.Relationship.what",
        "pairings.MentorMeeting.notes",
    }
)

# What a form says under a Markdown field, in the reader's language.
HELP_TEXT = gettext_lazy(
    "Markdown: **bold**, ## headings, - lists, links, `code`, tables. Images show as links."
)


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


# Texts up to this long are kept once rendered (the last RENDERED_KEPT of them, per process):
# a page shows the same charter or description on every request. The HTML is a function of the
# text alone, so what is kept can be neither stale nor anyone else's.
KEPT_SOURCE_CHARS = 4000
RENDERED_KEPT = 512


def _render(text: str) -> str:
    return sanitize(_renderer().render(text[:MAX_SOURCE_CHARS]))


_render_kept = lru_cache(maxsize=RENDERED_KEPT)(_render)


def render(text: str | None) -> SafeString:
    """Markdown source -> sanitized HTML, safe to put in a template."""
    if not text:
        return mark_safe("")
    html = _render_kept(text) if len(text) <= KEPT_SOURCE_CHARS else _render(text)
    return mark_safe(html)  # sanitized by nh3 in _render


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|pre|blockquote|tr)>|<br\s*/?>|<hr\s*/?>")


def to_text(text: str | None) -> str:
    """Markdown source -> the words a reader sees, without markup: for excerpts and the
    PDF. Goes through `render`, so it reads the Markdown exactly as the pages do."""
    html = _BLOCK_END.sub("\n", str(render(text)))
    lines = (" ".join(line.split()) for line in htmllib.unescape(strip_tags(html)).split("\n"))
    return "\n".join(line for line in lines if line)


register = template.Library()


@register.filter(name="markdown")
def markdown_filter(value: Any) -> SafeString:
    """`{{ entry.body|markdown }}`: available in every template (a template builtin)."""
    return render(str(value) if value is not None else "")


@register.filter(name="markdown_text")
def markdown_text_filter(value: Any) -> str:
    """`{{ ritual.description|markdown_text|truncatewords:30 }}`: a Markdown field as plain
    text, for excerpts in lists (escaped as any text is)."""
    return to_text(str(value) if value is not None else "")
