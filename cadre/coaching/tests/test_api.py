"""The coaching endpoints: the same rules as the pages."""

import pytest

from cadre.accountability.models import Commitment
from cadre.api.tests.helpers import assert_error
from cadre.coaching.models import CoachingSession, CoachPrompt, Feedback
from cadre.schedule.models import MentorMatch
from cadre.schedule.tests.helpers import add_members

from .helpers import GOOD, PERSONAL, feedback, rotation, session


def put(caller, path, body):
    """PUT with the shared caller (it has no put of its own)."""
    return caller._send("put", path, body)


C = "/networks/northwind/cohorts/reliability/coaching"
SECRET = "My private worry about the on-call rota"


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_members_and_organizers_read_counts_and_prompts(cast, api_as, who):
    session(cast.cohort, cast.member, cast.host, focus=SECRET)
    caller = api_as(getattr(cast, who))
    counts = caller.get(f"{C}/reciprocity")
    assert counts.status_code == 200 and counts.json()["sessions"] == 1
    assert SECRET not in counts.content.decode()
    assert caller.get(f"{C}/prompts").json()["count"] == 15
    assert caller.get(f"{C}/sessions").status_code == 200
    assert caller.get(f"{C}/feedback").status_code == 200


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404(cast, api_as, who):
    s = session(cast.cohort, cast.member, cast.host)
    caller = api_as(getattr(cast, who))
    for path in ("sessions", "reciprocity", "prompts", "feedback", f"sessions/{s.pk}"):
        assert_error(caller.get(f"{C}/{path}"), 404, "not_found")
    assert_error(caller.post(f"{C}/sessions", {"focus": "x"}), 404, "not_found")
    assert_error(caller.post(f"{C}/feedback", {"receiver": 1, "behaviour": "x"}), 404, "not_found")


def test_anonymous_and_newcomer_are_refused(cast, api_as):
    assert_error(api_as(None).get(f"{C}/sessions"), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(f"{C}/sessions"), 403, "conduct_not_accepted")
    assert_error(api_as(cast.newcomer).get(f"{C}/feedback"), 403, "conduct_not_accepted")


def test_a_coachee_opens_and_runs_a_session(cast, api_as):
    member = api_as(cast.member)
    response = member.post(
        f"{C}/sessions", {"focus": SECRET, "help_wanted": "challenge", "coach": cast.host.pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["coach"]["id"] == cast.host.pk and len(body["prompts"]) == 6
    path = f"{C}/sessions/{body['id']}"
    assert member.get(f"{C}/sessions").json()["count"] == 1
    host = api_as(cast.host)
    assert host.patch(path, {"notes": "Asked about the rota"}).status_code == 200
    assert_error(host.patch(path, {"next_step": "mine"}), 403, "forbidden")
    assert member.patch(path, {"next_step": "work on the rota"}).json()["next_step"] == (
        "work on the rota"
    )
    assert_error(member.patch(path, {"focus": ""}), 422, "validation_error")
    s = CoachingSession.objects.get()
    assert s.notes == "Asked about the rota" and s.focus == SECRET


@pytest.mark.parametrize("who", ["organizer", "admin", "newcomer_other"])
def test_nobody_but_participants_reads_a_session(cast, api_as, who):
    (extra,) = add_members(cast.cohort, 1)
    s = session(cast.cohort, cast.member, extra, focus=SECRET)
    person = cast.host if who == "newcomer_other" else getattr(cast, who)
    assert_error(api_as(person).get(f"{C}/sessions/{s.pk}"), 404, "not_found")
    assert_error(api_as(person).patch(f"{C}/sessions/{s.pk}", {"notes": "x"}), 404, "not_found")
    assert api_as(person).get(f"{C}/sessions").json()["count"] == 0


def test_bad_session_input_names_the_field(cast, api_as):
    member = api_as(cast.member)
    error = assert_error(member.post(f"{C}/sessions", {"focus": "x"}), 422, "validation_error")
    assert "coach" in error["fields"]
    error = assert_error(
        member.post(f"{C}/sessions", {"focus": "x", "coach": cast.outsider.pk}),
        422,
        "validation_error",
    )
    assert "coach" in error["fields"]
    assert_error(api_as(cast.organizer).post(f"{C}/sessions", {"focus": "x"}), 403, "forbidden")
    rotation(cast.cohort, {"coachee": cast.member, "coach": cast.host})
    error = assert_error(
        api_as(cast.host).post(f"{C}/sessions", {"focus": "x"}), 422, "validation_error"
    )
    assert "coach" in error["fields"]
    assert not CoachingSession.objects.exists()


def test_next_step_to_commitment_follows_the_commitment_check(cast, api_as):
    s = session(cast.cohort, cast.member, cast.host)
    s.next_step = "work on the runbook"
    s.save()
    path = f"{C}/sessions/{s.pk}/commitment"
    assert_error(api_as(cast.host).post(path, {}), 403, "forbidden")
    error = assert_error(api_as(cast.member).post(path, {}), 422, "validation_error")
    assert error["detail"]["problems"] and error["detail"]["suggestion"]
    assert not Commitment.objects.exists()
    made = api_as(cast.member).post(path, {"keep_anyway": True})
    assert made.status_code == 201 and made.json()["kept_anyway"] is True
    s.refresh_from_db()
    assert s.commitment.owner == cast.member and s.commitment.cohort == cast.cohort
    assert_error(api_as(cast.member).post(path, {"keep_anyway": True}), 409, "conflict")


def test_a_good_next_step_needs_no_confirmation(cast, api_as):
    s = session(cast.cohort, cast.member, cast.host)
    made = api_as(cast.member).post(
        f"{C}/sessions/{s.pk}/commitment",
        {"text": "Send the new runbook to the on-call team by Friday"},
    )
    assert made.status_code == 201 and made.json()["kept_anyway"] is False


def test_organizers_edit_the_prompt_bank_and_members_do_not(cast, api_as):
    organizer = api_as(cast.organizer)
    made = organizer.post(f"{C}/prompts", {"text": "What else?", "stage": "reflection"})
    assert made.status_code == 201
    pk = made.json()["id"]
    assert organizer.patch(f"{C}/prompts/{pk}", {"active": False}).json()["active"] is False
    assert organizer.get(f"{C}/prompts").json()["count"] == 15
    assert organizer.get(f"{C}/prompts", include_retired=True).json()["count"] == 16
    assert_error(
        organizer.post(f"{C}/prompts", {"text": "x", "stage": "nope"}), 422, "validation_error"
    )
    assert_error(organizer.patch(f"{C}/prompts/{pk}", {"text": "  "}), 422, "validation_error")
    host = api_as(cast.host)
    assert_error(host.post(f"{C}/prompts", {"text": "x", "stage": "opening"}), 403, "forbidden")
    assert_error(host.patch(f"{C}/prompts/{pk}", {"active": True}), 403, "forbidden")
    CoachPrompt.objects.ensure_defaults(cast.other_network)
    foreign = CoachPrompt.objects.filter(network=cast.other_network).first()
    assert_error(organizer.patch(f"{C}/prompts/{foreign.pk}", {"active": False}), 404, "not_found")


def test_flagged_feedback_gets_422_unless_given_anyway(cast, api_as):
    host = api_as(cast.host)
    body = {"receiver": cast.member.pk, **PERSONAL}
    error = assert_error(host.post(f"{C}/feedback", body), 422, "validation_error")
    assert "about_the_person" in {p["code"] for p in error["detail"]["problems"]}
    assert error["detail"]["missing"] == ["behaviour", "impact"] and "behaviour" in error["fields"]
    assert set(error["detail"]["parts"]) == {"situation", "behaviour", "impact", "suggestion"}
    assert not Feedback.objects.exists()
    made = host.post(f"{C}/feedback", {**body, "give_anyway": True})
    assert made.status_code == 201 and made.json()["kept_anyway"] is True
    good = host.post(f"{C}/feedback", {"receiver": cast.member.pk, **GOOD})
    assert good.status_code == 201 and good.json()["problems"] == []
    assert good.json()["visibility"] == "private"


@pytest.mark.parametrize("receiver", ["host", "other_cohort_member", "organizer"])
def test_feedback_is_for_another_active_member(cast, api_as, receiver):
    response = api_as(cast.host).post(
        f"{C}/feedback", {"receiver": getattr(cast, receiver).pk, **GOOD}
    )
    error = assert_error(response, 422, "validation_error")
    assert "receiver" in error["fields"]
    assert_error(
        api_as(cast.organizer).post(f"{C}/feedback", {"receiver": cast.member.pk, **GOOD}),
        403,
        "forbidden",
    )


def test_received_given_and_shared_lists(cast, api_as):
    feedback(cast.cohort, cast.host, cast.member)
    (extra,) = add_members(cast.cohort, 1)
    feedback(cast.cohort, extra, cast.host, visibility="cohort")
    member = api_as(cast.member)
    assert member.get(f"{C}/feedback").json()["count"] == 1
    assert member.get(f"{C}/feedback", scope="given").json()["count"] == 0
    assert member.get(f"{C}/feedback", scope="shared").json()["count"] == 1
    assert api_as(cast.host).get(f"{C}/feedback", scope="given").json()["count"] == 1
    assert api_as(cast.organizer).get(f"{C}/feedback", scope="shared").json()["count"] == 0
    assert_error(member.get(f"{C}/feedback", scope="all"), 422, "validation_error")


def test_only_the_receiver_sets_visibility(cast, api_as):
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    item = feedback(cast.cohort, cast.host, cast.member)
    path = f"{C}/feedback/{item.pk}/visibility"
    assert_error(put(api_as(cast.host), path, {"visibility": "cohort"}), 403, "forbidden")
    assert_error(put(api_as(cast.organizer), path, {"visibility": "cohort"}), 404, "not_found")
    assert_error(put(api_as(cast.mentor), path, {"visibility": "cohort"}), 404, "not_found")
    member = api_as(cast.member)
    error = assert_error(put(member, path, {"visibility": "shared"}), 422, "validation_error")
    assert "shared_with" in error["fields"]
    error = assert_error(
        put(member, path, {"visibility": "shared", "shared_with": [cast.organizer.pk]}),
        422,
        "validation_error",
    )
    assert "shared_with" in error["fields"]
    done = put(member, path, {"visibility": "shared", "shared_with": [cast.mentor.pk]})
    assert done.status_code == 200 and done.json()["shared_with"] == [
        {"id": cast.mentor.pk, "name": cast.mentor.name}
    ]
    # The mentor, outside the cohort, now reads it, and nothing else.
    mentor = api_as(cast.mentor)
    assert mentor.get(f"{C}/feedback", scope="shared").json()["count"] == 1
    assert_error(mentor.get(f"{C}/sessions"), 404, "not_found")


def test_feedback_list_queries_stay_bounded(cast, api_as, django_assert_max_num_queries):
    people = add_members(cast.cohort, 6)
    for p in people:
        feedback(cast.cohort, p, cast.member)
    caller = api_as(cast.member)
    with django_assert_max_num_queries(12):
        assert caller.get(f"{C}/feedback").json()["count"] == 6
