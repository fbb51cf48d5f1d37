"""Every long text a model stores is either Markdown (rendered through cadre.lib.markdown on
every page) or plain text on purpose; a new text field must be put on one side. That no page
shows the source of a Markdown field is checked by the crawler (test_crawl.py), which seeds
each of them with a heading, bold words and a list."""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.template import Context, Template

from cadre.lib.markdown import MARKDOWN_FIELDS, to_text

# Text kept as written, each with the reason.
PLAIN_TEXT_FIELDS = {
    "networks.Skill.description": "one line shown beside a skill",
    "networks.Invitation.message": "a personal note sent in a plain-text e-mail",
    "cohorts.Cohort.objective": "one focused sentence, shown on cohort cards",
    "cohorts.Cohort.outcomes": "one outcome a line, shown as a list",
    "cohorts.CohortMembership.learning_statement": "a member's sentence about their work",
    "cohorts.SurveyAnswer.changed": "a survey answer, listed without names (line breaks kept)",
    "cohorts.SurveyAnswer.keep_or_change": "a survey answer, listed without names (line breaks kept)",
    "formation.Intake.objective": "one sentence, as a cohort's objective",
    "formation.Application.statement": "an applicant's answer, read by organizers",
    "formation.FormationRun.error": "written by Cadre",
    "schedule.MentorMatch.explanation": "written by Cadre",
    "accountability.ProgressUpdate.done": "a short progress note",
    "accountability.ProgressUpdate.remaining": "a short progress note",
    "accountability.Blocker.text": "a short plea for help",
    "coaching.Feedback.behaviour": "structured feedback, checked sentence by sentence",
    "coaching.Feedback.impact": "structured feedback",
    "coaching.Feedback.suggestion": "structured feedback",
    "delivery.Message.body": "a plain-text e-mail, never shown as a page",
    "delivery.Message.last_error": "written by the mail server",
    "delivery.Message.calendar": "an iCalendar file attached to an e-mail, written by Cadre",
    "reminders.Invitation.event": "the iCalendar event a person was last sent, written by Cadre",
    "chat.SlackWorkspace.token": "an encrypted bot token, never shown",
    "sso.IdentityProvider.x509cert": "a PEM certificate, shown as it is",
    "sso.IdentityProvider.sp_x509cert": "Cadre's own PEM certificate, shown as it is",
    "sso.IdentityProvider.sp_private_key": "a PEM private key, shown to no one",
}


def text_fields() -> set[str]:
    return {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("cadre.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField)
    }


def test_every_text_field_is_markdown_or_plain_text_on_purpose() -> None:
    fields = text_fields()
    undecided = fields - MARKDOWN_FIELDS - set(PLAIN_TEXT_FIELDS)
    assert not undecided, f"Add these to MARKDOWN_FIELDS or PLAIN_TEXT_FIELDS: {undecided}"
    assert not MARKDOWN_FIELDS & set(PLAIN_TEXT_FIELDS)
    assert fields >= MARKDOWN_FIELDS, f"No such fields: {MARKDOWN_FIELDS - fields}"
    assert fields >= set(PLAIN_TEXT_FIELDS), f"No such fields: {set(PLAIN_TEXT_FIELDS) - fields}"


def test_excerpts_and_the_pdf_read_the_words_without_the_markup() -> None:
    source = "## Attendance\n\n- Present: **Ann**, Bo & Co\n- Absent: <b>Cy</b>\n\nSee [notes](https://x.example)."
    assert to_text(source) == "Attendance\nPresent: Ann, Bo & Co\nAbsent: <b>Cy</b>\nSee notes."
    # In a template the excerpt is escaped like any other text.
    html = Template("{{ s|markdown_text|truncatewords:8 }}").render(Context({"s": source}))
    assert html == "Attendance Present: Ann, Bo &amp; Co Absent: &lt;b&gt;Cy&lt;/b&gt; …"
