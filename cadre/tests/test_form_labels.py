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
