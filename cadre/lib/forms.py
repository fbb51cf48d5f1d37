"""How every form of Cadre renders (FORM_RENDERER): through the project's templates, so the
label template marks required fields, and with a bound field that points the textarea of a
Markdown field at the preview (cadre/static/cadre/forms.js shows the rendered text)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.urls import reverse
from django.utils.translation import gettext_noop

from cadre.lib import markdown

# What a page says once a person's answer to a question (a survey, a check-in) is saved, in
# whichever app asked it.
ANSWER_SAVED = gettext_noop("Thank you: your answer is saved.")


class CadreBoundField(BoundField):
    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> dict[str, Any]:
        built = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        # A field is Markdown when its help says so: markdown.HELP_TEXT is the one sentence
        # every form of a Markdown field shows.
        if isinstance(widget, forms.Textarea) and str(markdown.HELP_TEXT) in str(self.help_text):
            built.setdefault("data-markdown-preview", reverse("markdown_preview"))
        return built


class Renderer(TemplatesSetting):
    bound_field_class = CadreBoundField
