"""Every form marks the fields that must be filled: the label of a required field says
"required" (cadre/templates/django/forms/label.html, through FORM_RENDERER) and its input
carries the `required` attribute; an optional field says neither."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.urls import reverse


class _Sample(forms.Form):
    title = forms.CharField()
    notes = forms.CharField(required=False)


def _label(html: str, field: str) -> str:
    found = re.search(rf'<label for="id_{field}"[^>]*>(.*?)</label>', html, re.S)
    assert found, f"no label for {field}"
    return found.group(1)


def test_a_required_field_is_marked_and_an_optional_one_is_not() -> None:
    html = str(_Sample().as_div())
    assert 'class="required-mark">required</span>' in _label(html, "title")
    assert "required" not in _label(html, "notes")
    assert re.search(r'<input[^>]*name="title"[^>]*required', html)
    assert not re.search(r'<input[^>]*name="notes"[^>]*required', html)


def test_the_new_cohort_page_marks_its_required_fields(cast: Any, client_for: Any) -> None:
    page = client_for(cast.organizer).get(reverse("cohorts:new", args=[cast.network.slug]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "required-mark" in _label(html, "name")
    assert "required-mark" in _label(html, "objective")
    assert "required-mark" not in _label(html, "outcomes")


# --- the Markdown preview ------------------------------------------------------------------


def test_the_textarea_of_a_markdown_field_points_at_the_preview(cast: Any, client_for: Any) -> None:
    html = client_for(cast.member).get(reverse("journal:new", args=[cast.network.slug]))
    body = re.search(r"<textarea[^>]*name=\"body\"[^>]*>", html.content.decode())
    assert body and f'data-markdown-preview="{reverse("markdown_preview")}"' in body.group(0)
    # A plain-text field's textarea does not (the cohort's outcomes, one a line).
    page = client_for(cast.organizer).get(reverse("cohorts:new", args=[cast.network.slug]))
    outcomes = re.search(r"<textarea[^>]*name=\"outcomes\"[^>]*>", page.content.decode())
    assert outcomes and "data-markdown-preview" not in outcomes.group(0)


def test_the_preview_is_the_pages_sanitized_markdown(cast: Any, client_for: Any) -> None:
    url = reverse("markdown_preview")
    text = "## Plan\n\n- **Ask** first\n\n<script>alert(1)</script>"
    answer = client_for(cast.member).post(url, {"text": text})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "<h2>Plan</h2>" in html and "<strong>Ask</strong>" in html
    assert "<script" not in html
    assert (
        "Nothing to preview" in client_for(cast.member).post(url, {"text": "  "}).content.decode()
    )


def test_the_preview_is_for_signed_in_people_and_only_by_post(cast: Any, client_for: Any) -> None:
    url = reverse("markdown_preview")
    anonymous = client_for(None).post(url, {"text": "**x**"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(cast.member).get(url).status_code == 405
