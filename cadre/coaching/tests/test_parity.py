"""The pages and the API are two doors to the same coaching services: each write, made once
through the page (as the person, with the form's fields) and once through the API (with their
token) on the same fresh set-up, leaves the same rows; and a refusal reads the same."""

from collections.abc import Callable, Iterable
from html import unescape
from typing import Any

import pytest
from django.db import models, transaction
from django.urls import reverse

from cadre.accountability.models import Commitment
from cadre.coaching import services
from cadre.coaching.models import CoachingSession, CoachPrompt, Feedback
from cadre.schedule.models import MentorMatch

from .helpers import GOOD, PERSONAL, feedback, session

C = "/networks/northwind/cohorts/reliability/coaching"
GOOD_STEP = "Send the new runbook to the on-call team by Friday"


@pytest.fixture
def url(cast: Any) -> Callable[..., str]:
    def build(name: str, *extra: Any) -> str:
        return reverse(f"peer_coaching:{name}", args=["northwind", "reliability", *extra])

    return build


def rows(model: type[models.Model], *, many: Iterable[str] = (), **where: Any) -> list[dict]:
    """The model's rows as their field values: ids of the rows themselves and times left out,
    a foreign key to a row made by the write read as whether it is set."""
    made_here = {Commitment, CoachingSession, Feedback, CoachPrompt}
    found = []
    for row in model._default_manager.filter(**where).order_by("pk"):
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or isinstance(field, models.DateTimeField):
                continue
            value = getattr(row, field.attname)
            if field.is_relation and field.related_model in made_here:
                value = value is not None
            values[field.name] = value
        for name in many:
            values[name] = sorted(getattr(row, name).values_list("pk", flat=True))
        found.append(values)
    return found


def both_doors(
    page: Callable[[], Any], api: Callable[[], Any], snapshot: Callable[[], Any]
) -> tuple[Any, Any]:
    """Run the page's write, read the rows, put the database back as it was, then run the
    API's write and read them again."""
    before = transaction.savepoint()
    page()
    by_page = snapshot()
    transaction.savepoint_rollback(before)
    api()
    by_api = snapshot()
    return by_page, by_api


def page_says(response: Any, message: str) -> bool:
    return message in unescape(response.content.decode())


def api_says(response: Any, message: str) -> bool:
    error = response.json()["error"]
    said = [error["message"], *(m for ms in (error.get("fields") or {}).values() for m in ms)]
    return message in said


# --- sessions -------------------------------------------------------------------------------


def test_opening_a_session(cast, client_for, api_as, url):
    fields = {"coach": cast.host.pk, "focus": "Saying no", "help_wanted": "challenge"}
    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(url("session_new"), fields),
        lambda: api_as(cast.member).post(f"{C}/sessions", fields),
        lambda: rows(CoachingSession),
    )
    assert by_page == by_api and len(by_page) == 1
    assert by_page[0]["coach"] == cast.host.pk

    page = client_for(cast.organizer).post(url("session_new"), fields)
    api = api_as(cast.organizer).post(f"{C}/sessions", fields)
    assert (page.status_code, api.status_code) == (403, 403)
    assert page_says(page, services.MEMBERS_ONLY) and api_says(api, services.MEMBERS_ONLY)


def test_writing_in_a_session(cast, client_for, api_as, url):
    s = session(cast.cohort, cast.member, cast.host)
    fields = {
        "focus": "Saying no, kindly",
        "help_wanted": "ideas",
        "notes": "We looked at the last three requests.",
        "next_step": "Ask for a due date first",
    }
    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(url("session", s.pk), fields),
        lambda: api_as(cast.member).patch(f"{C}/sessions/{s.pk}", fields),
        lambda: rows(CoachingSession),
    )
    assert by_page == by_api and by_page[0]["next_step"] == "Ask for a due date first"

    page = client_for(cast.member).post(url("session", s.pk), {**fields, "focus": "  "})
    api = api_as(cast.member).patch(f"{C}/sessions/{s.pk}", {"focus": "  "})
    assert (page.status_code, api.status_code) == (422, 422)
    assert page_says(page, services.FOCUS_MISSING) and api_says(api, services.FOCUS_MISSING)


def test_making_the_next_step_a_commitment(cast, client_for, api_as, url):
    s = session(cast.cohort, cast.member, cast.host)
    fields = {"text": GOOD_STEP, "visibility": "cohort"}

    def snapshot() -> Any:
        return rows(Commitment), rows(CoachingSession)

    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(url("session_commitment", s.pk), fields),
        lambda: api_as(cast.member).post(f"{C}/sessions/{s.pk}/commitment", fields),
        snapshot,
    )
    assert by_page == by_api
    assert by_page[0][0]["text"] == GOOD_STEP and by_page[1][0]["commitment"] is True

    page = client_for(cast.host).post(url("session_commitment", s.pk), fields)
    api = api_as(cast.host).post(f"{C}/sessions/{s.pk}/commitment", fields)
    assert (page.status_code, api.status_code) == (403, 403)
    message = services.next_step_refusal(cast.host, s).message
    assert page_says(page, message) and api_says(api, message)


# --- prompts --------------------------------------------------------------------------------


def test_adding_a_prompt(cast, client_for, api_as, url):
    fields = {"text": "What would you tell a friend?", "stage": "reflection", "position": 3}
    by_page, by_api = both_doors(
        lambda: client_for(cast.organizer).post(url("prompts"), {**fields, "active": "on"}),
        lambda: api_as(cast.organizer).post(f"{C}/prompts", {**fields, "active": True}),
        lambda: rows(CoachPrompt, network=cast.network),
    )
    assert by_page == by_api and len(by_page) == 16

    page = client_for(cast.host).post(url("prompts"), fields)
    api = api_as(cast.host).post(f"{C}/prompts", fields)
    assert (page.status_code, api.status_code) == (403, 403)
    message = services.PROMPTS_ARE_THE_ORGANIZERS
    assert page_says(page, message) and api_says(api, message)


def test_editing_a_prompt(cast, client_for, api_as, url):
    CoachPrompt.objects.ensure_defaults(cast.network)
    prompt = CoachPrompt.objects.filter(network=cast.network).first()
    fields = {"text": "What else is true?", "stage": "next_step", "position": 9}
    form = {f"p{prompt.pk}-{name}": value for name, value in fields.items()}  # not "active"
    by_page, by_api = both_doors(
        lambda: client_for(cast.organizer).post(url("prompt_edit", prompt.pk), form),
        lambda: api_as(cast.organizer).patch(
            f"{C}/prompts/{prompt.pk}", {**fields, "active": False}
        ),
        lambda: rows(CoachPrompt, pk=prompt.pk),
    )
    assert by_page == by_api and by_page[0]["active"] is False

    page = client_for(cast.organizer).post(
        url("prompt_edit", prompt.pk), {**form, f"p{prompt.pk}-text": "  "}
    )
    api = api_as(cast.organizer).patch(f"{C}/prompts/{prompt.pk}", {"text": "  "})
    assert (page.status_code, api.status_code) == (422, 422)
    # The form asks for the question as any required field; the API's schema takes the
    # spaces, and the service refuses them.
    assert api_says(api, services.QUESTION_MISSING)
    page = client_for(cast.host).post(url("prompt_edit", prompt.pk), form)
    api = api_as(cast.host).patch(f"{C}/prompts/{prompt.pk}", fields)
    assert (page.status_code, api.status_code) == (403, 403)
    message = services.PROMPTS_ARE_THE_ORGANIZERS
    assert page_says(page, message) and api_says(api, message)


# --- feedback -------------------------------------------------------------------------------


def test_giving_feedback(cast, client_for, api_as, url):
    fields = {"receiver": cast.member.pk, **GOOD}
    by_page, by_api = both_doors(
        lambda: client_for(cast.host).post(url("feedback_new"), fields),
        lambda: api_as(cast.host).post(f"{C}/feedback", fields),
        lambda: rows(Feedback, many=["shared_with"]),
    )
    assert by_page == by_api and len(by_page) == 1 and by_page[0]["problems"] == []

    flagged = {"receiver": cast.member.pk, **PERSONAL}
    page = client_for(cast.host).post(url("feedback_new"), flagged)
    api = api_as(cast.host).post(f"{C}/feedback", flagged)
    assert (page.status_code, api.status_code) == (422, 422)
    assert page_says(page, services.NOT_YET) and api_says(api, services.NOT_YET)

    by_page, by_api = both_doors(
        lambda: client_for(cast.host).post(url("feedback_new"), {**flagged, "give_anyway": "on"}),
        lambda: api_as(cast.host).post(f"{C}/feedback", {**flagged, "give_anyway": True}),
        lambda: rows(Feedback, many=["shared_with"], behaviour=PERSONAL["behaviour"]),
    )
    assert by_page == by_api and by_page[0]["kept_anyway"] is True


def test_choosing_who_reads_feedback(cast, client_for, api_as, url):
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    item = feedback(cast.cohort, cast.host, cast.member)
    prefix = f"f{item.pk}"
    form = {f"{prefix}-visibility": "shared", f"{prefix}-shared_with": [cast.mentor.pk]}
    body = {"visibility": "shared", "shared_with": [cast.mentor.pk]}
    path = f"{C}/feedback/{item.pk}/visibility"
    by_page, by_api = both_doors(
        lambda: client_for(cast.member).post(url("feedback_visibility", item.pk), form),
        lambda: api_as(cast.member)._send("put", path, body),
        lambda: rows(Feedback, many=["shared_with"]),
    )
    assert by_page == by_api and by_page[0]["shared_with"] == [cast.mentor.pk]

    page = client_for(cast.host).post(url("feedback_visibility", item.pk), form)
    api = api_as(cast.host)._send("put", path, body)
    assert (page.status_code, api.status_code) == (403, 403)
    message = services.visibility_refusal(cast.host, item).message
    assert page_says(page, message) and api_says(api, message)
    page = client_for(cast.member).post(
        url("feedback_visibility", item.pk), {f"{prefix}-visibility": "shared"}, follow=True
    )
    api = api_as(cast.member)._send("put", path, {"visibility": "shared"})
    message = "Name at least one person to share it with."
    assert page_says(page, message) and api_says(api, message)
