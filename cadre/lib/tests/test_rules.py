from django import forms

from cadre.api.errors import from_refusal
from cadre.lib.rules import Refused, show_on_form


class DueForm(forms.Form):
    due_on = forms.CharField(required=False)


def test_a_refusal_about_a_field_lands_on_that_field_of_the_form():
    form = DueForm(data={})
    assert form.is_valid()
    show_on_form(form, Refused("Give a due date.", field="due_on"))
    assert form.errors == {"due_on": ["Give a due date."]}


def test_a_refusal_about_something_the_form_lacks_lands_at_the_top():
    form = DueForm(data={})
    form.is_valid()
    show_on_form(form, Refused("This ritual is paused.", kind="conflict"))
    assert form.non_field_errors() == ["This ritual is paused."]


def test_the_api_answers_a_refusal_with_its_status_code_and_the_same_sentence():
    invalid = from_refusal(Refused("Give a due date.", field="due_on"))
    assert (invalid.status, invalid.code, invalid.message) == (
        422,
        "validation_error",
        "Give a due date.",
    )
    assert invalid.fields == {"due_on": ["Give a due date."]}
    paused = from_refusal(Refused("This ritual is paused.", kind="conflict", code="ritual_paused"))
    assert (paused.status, paused.code, paused.fields) == (409, "ritual_paused", None)
    assert from_refusal(Refused("No.", kind="forbidden")).status == 403
    assert from_refusal(Refused("Gone.", kind="not_found")).status == 404
