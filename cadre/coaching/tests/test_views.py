"""The coaching and feedback pages tried by the people who may and may not use them."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.accountability.models import Commitment
from cadre.coaching.models import CoachingSession, CoachPrompt, Feedback
from cadre.schedule.models import MentorMatch
from cadre.schedule.tests.helpers import add_members

from .helpers import GOOD, PERSONAL, feedback, rotation, session

CAN_SEE = ["admin", "organizer", "host", "member"]
CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]
PAGES = ["sessions", "session_new", "reciprocity", "prompts", "feedback", "feedback_given"]
SECRET_FOCUS = "My private worry about the on-call rota"


@pytest.fixture
def url(cast):
    def build(name, *extra, cohort=None):
        cohort = cohort or cast.cohort
        return reverse(f"peer_coaching:{name}", args=[cohort.network.slug, cohort.slug, *extra])

    return build


# --- who reaches the pages ------------------------------------------------------------------


@pytest.mark.parametrize("person", CAN_SEE)
@pytest.mark.parametrize("page", ["sessions", "reciprocity", "feedback", "feedback_given"])
def test_cohort_members_and_organizers_reach_the_pages(cast, client_for, url, person, page):
    assert client_for(getattr(cast, person)).get(url(page)).status_code == 200


@pytest.mark.parametrize("person", CANNOT_SEE)
@pytest.mark.parametrize("page", [*PAGES, "feedback_new"])
def test_people_outside_the_cohort_get_404(cast, client_for, url, person, page):
    assert client_for(getattr(cast, person)).get(url(page)).status_code == 404


@pytest.mark.parametrize("page", [*PAGES, "feedback_new"])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, url, page):
    response = client_for(None).get(url(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", ["sessions", "feedback"])
def test_newcomer_must_accept_the_code_of_conduct_first(cast, client_for, url, page):
    response = client_for(cast.newcomer).get(url(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert quote(url(page)) in response.url


def test_a_shared_cohort_still_keeps_coaching_to_members(cast, client_for, url):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    assert client_for(cast.other_cohort_member).get(url("reciprocity")).status_code == 404


@pytest.mark.parametrize("person", ["admin", "organizer"])
@pytest.mark.parametrize("page", ["session_new", "feedback_new"])
def test_organizers_see_counts_but_do_not_coach(cast, client_for, url, person, page):
    assert client_for(getattr(cast, person)).get(url(page)).status_code == 403


def test_the_rotation_pages_still_answer_at_the_same_prefix(cast, client_for):
    response = client_for(cast.member).get("/n/northwind/c/reliability/coaching/")
    assert response.status_code == 200
    assert "Coaching rotation" in response.content.decode()


# --- sessions -------------------------------------------------------------------------------


def test_a_coachee_opens_an_ad_hoc_session_with_a_coach_they_choose(cast, client_for, url):
    client = client_for(cast.member)
    page = client.get(url("session_new")).content.decode()
    assert "Hana Host" in page and "Oscar" not in page
    response = client.post(
        url("session_new"),
        {"coach": cast.host.pk, "focus": SECRET_FOCUS, "help_wanted": "challenge"},
    )
    s = CoachingSession.objects.get()
    assert response.status_code == 302 and response.url == s.get_absolute_url()
    assert (s.coachee, s.coach, s.group) == (cast.member, cast.host, None)
    assert len(s.prompts) == 6


def test_opening_a_session_with_bad_input_names_the_field(cast, client_for, url):
    client = client_for(cast.member)
    response = client.post(url("session_new"), {"coach": cast.other_cohort_member.pk})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Select a valid choice" in body and "This field is required" in body
    assert not CoachingSession.objects.exists()


def test_in_a_running_round_the_coachee_opens_the_session_with_their_group(cast, client_for, url):
    rotation(cast.cohort, {"coachee": cast.member, "coach": cast.host})
    client = client_for(cast.member)
    page = client.get(url("sessions")).content.decode()
    assert "you are <strong>coachee</strong>" in page and "Open a coaching session" in page
    response = client.post(url("session_new"), {"focus": SECRET_FOCUS, "help_wanted": "ideas"})
    assert response.status_code == 302
    s = CoachingSession.objects.get()
    assert s.coach == cast.host and s.group is not None
    # The coach of the round does not open one.
    assert client_for(cast.host).get(url("session_new")).status_code == 403
    assert (
        "Open a coaching session" not in client_for(cast.host).get(url("sessions")).content.decode()
    )


@pytest.mark.parametrize("person", ["member", "host"])
def test_participants_read_the_session(cast, client_for, url, person):
    s = session(cast.cohort, cast.member, cast.host, focus=SECRET_FOCUS)
    response = client_for(getattr(cast, person)).get(url("session", s.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert SECRET_FOCUS in body and s.prompts[0]["text"] in body


@pytest.mark.parametrize(
    "person",
    ["admin", "organizer", "newcomer", "other_cohort_member", "mentor", "partner", "outsider"],
)
def test_nobody_else_reads_or_writes_a_session(cast, client_for, url, person):
    (extra,) = add_members(cast.cohort, 1)
    s = session(cast.cohort, cast.member, extra, focus=SECRET_FOCUS)
    client = client_for(getattr(cast, person))
    response = client.get(url("session", s.pk))
    # The newcomer is sent to the code of conduct first; nobody sees the content.
    assert response.status_code == (302 if person == "newcomer" else 404)
    assert SECRET_FOCUS.encode() not in response.content
    client.post(url("session", s.pk), {"notes": "Sneaky", "observer_notes": "Sneaky"})
    s.refresh_from_db()
    assert s.notes == "" and s.observer_notes == ""


def test_a_host_who_is_not_in_the_session_gets_404(cast, client_for, url):
    (extra,) = add_members(cast.cohort, 1)
    s = session(cast.cohort, cast.member, extra, focus=SECRET_FOCUS)
    assert client_for(cast.host).get(url("session", s.pk)).status_code == 404
    assert SECRET_FOCUS not in client_for(cast.host).get(url("sessions")).content.decode()


def test_each_participant_writes_only_their_own_fields(cast, client_for, url):
    (extra,) = add_members(cast.cohort, 1)
    rotation(cast.cohort, {"coachee": cast.member, "coach": cast.host, "observer": extra})
    s = CoachingSession.objects.create(
        cohort=cast.cohort, coachee=cast.member, coach=cast.host, observer=extra, focus="F"
    )
    client_for(cast.host).post(url("session", s.pk), {"notes": "Coach notes", "next_step": "X"})
    client_for(extra).post(url("session", s.pk), {"observer_notes": "Saw a calm coach"})
    client_for(cast.member).post(
        url("session", s.pk),
        {"focus": "F2", "help_wanted": "ideas", "notes": "Both", "next_step": "Send it by Friday"},
    )
    s.refresh_from_db()
    assert s.notes == "Both" and s.observer_notes == "Saw a calm coach"
    assert s.next_step == "Send it by Friday" and s.focus == "F2"
    page = client_for(cast.member).get(url("session", s.pk)).content.decode()
    assert "Saw a calm coach" in page


def test_an_empty_focus_is_refused_and_nothing_changes(cast, client_for, url):
    s = session(cast.cohort, cast.member, cast.host)
    response = client_for(cast.member).post(
        url("session", s.pk), {"focus": "", "help_wanted": "ideas", "next_step": "Y"}
    )
    assert response.status_code == 422 and "Say what you want to work on." in (
        response.content.decode()
    )
    s.refresh_from_db()
    assert s.focus == "Running calmer incident reviews" and s.next_step == ""


def test_the_next_step_becomes_a_commitment_through_the_commitment_check(cast, client_for, url):
    s = session(cast.cohort, cast.member, cast.host)
    s.next_step = "work on the runbook"
    s.save()
    client = client_for(cast.member)
    form_url = url("session_commitment", s.pk)
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"text": "work on the runbook", "visibility": "cohort"})
    assert response.status_code == 422 and "What is missing" in response.content.decode()
    assert not Commitment.objects.exists()
    kept = {"text": "work on the runbook", "visibility": "cohort", "keep_anyway": "on"}
    response = client.post(form_url, kept)
    # Kept anyway, but never without a due date.
    assert response.status_code == 422 and "fill in “Due on”" in response.content.decode()
    assert not Commitment.objects.exists()
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    response = client.post(form_url, {**kept, "due_on": due})
    assert response.status_code == 302
    s.refresh_from_db()
    c = s.commitment
    assert (c.owner, c.cohort, c.kept_anyway, c.text) == (
        cast.member,
        cast.cohort,
        True,
        "work on the runbook",
    )
    assert (
        "work on the runbook"
        in client.get(
            reverse("accountability:board", args=["northwind", "reliability"])
        ).content.decode()
    )
    # Only once.
    assert client.post(form_url, {"text": "again", "keep_anyway": "on"}).status_code == 302
    assert Commitment.objects.count() == 1


def test_a_good_next_step_is_saved_without_confirmation(cast, client_for, url):
    s = session(cast.cohort, cast.member, cast.host)
    response = client_for(cast.member).post(
        url("session_commitment", s.pk),
        {"text": "Send the new runbook to the on-call team by Friday", "visibility": "cohort"},
    )
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.commitment.kept_anyway is False and s.commitment.due_on is not None


def test_a_private_next_step_commitment_is_shown_to_its_owner_not_to_the_coach(
    cast, client_for, url
):
    s = session(cast.cohort, cast.member, cast.host)
    s.commitment = Commitment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        text="Ask my manager for a raise",
        visibility="private",
    )
    s.save(update_fields=["commitment"])
    mine = client_for(cast.member).get(url("session", s.pk)).content.decode()
    assert "Ask my manager for a raise" in mine and 'id="commitment-link"' in mine
    coach = client_for(cast.host).get(url("session", s.pk)).content.decode()
    assert "Ask my manager for a raise" not in coach and 'id="commitment-link"' not in coach
    assert "The coachee made the next step a commitment." in coach


@pytest.mark.parametrize("person", ["host", "organizer"])
def test_only_the_coachee_commits_the_next_step(cast, client_for, url, person):
    s = session(cast.cohort, cast.member, cast.host)
    response = client_for(getattr(cast, person)).post(
        url("session_commitment", s.pk), {"text": "x", "keep_anyway": "on"}
    )
    assert response.status_code == (403 if person == "host" else 404)
    assert not Commitment.objects.exists()


def test_the_session_list_costs_the_same_queries_for_more_sessions(cast, client_for, url):
    others = add_members(cast.cohort, 6)
    client = client_for(cast.member)
    for other in others[:2]:
        session(cast.cohort, cast.member, other)
    client.get(url("sessions"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("sessions"))
    for other in others[2:]:
        session(cast.cohort, other, cast.member)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("sessions")).content.decode().count("<tr>") == 7
    assert len(many) == len(few)


def test_the_session_list_names_my_role_in_each_session(cast, client_for, url):
    (other,) = add_members(cast.cohort, 1)
    session(cast.cohort, cast.member, other)
    session(cast.cohort, other, cast.member)
    body = client_for(cast.member).get(url("sessions")).content.decode()
    assert body.count("<td>coachee</td>") == 1 and body.count("<td>coach</td>") == 1


# --- reciprocity ----------------------------------------------------------------------------


@pytest.mark.parametrize("person", ["organizer", "host", "newcomer_accepted"])
def test_reciprocity_shows_counts_but_never_content(cast, client_for, url, person):
    (extra,) = add_members(cast.cohort, 1)
    session(cast.cohort, cast.member, extra, focus=SECRET_FOCUS)
    session(cast.cohort, cast.member, extra, focus=SECRET_FOCUS)
    viewer = extra if person == "newcomer_accepted" else getattr(cast, person)
    body = client_for(viewer).get(url("reciprocity")).content.decode()
    assert "2 sessions in all" in body and "One-sided" in body
    assert SECRET_FOCUS not in body


def test_reciprocity_queries_stay_bounded(cast, client_for, url):
    people = add_members(cast.cohort, 8)
    client = client_for(cast.organizer)
    session(cast.cohort, people[0], people[1])
    with CaptureQueriesContext(connection) as few:
        client.get(url("reciprocity"))
    for a, b in zip(people, people[1:], strict=False):
        session(cast.cohort, b, a)
    with CaptureQueriesContext(connection) as many:
        client.get(url("reciprocity"))
    assert len(many) == len(few)


# --- prompts --------------------------------------------------------------------------------


def test_organizers_add_edit_and_retire_prompts(cast, client_for, url):
    client = client_for(cast.organizer)
    assert "What would make the next half hour" in client.get(url("prompts")).content.decode()
    response = client.post(
        url("prompts"),
        {"text": "What would you do with twice the time?", "stage": "reflection", "position": 9},
    )
    assert response.status_code == 302
    prompt = CoachPrompt.objects.get(text__startswith="What would you do")
    assert prompt.active is False  # an unticked checkbox: the organizer adds it retired
    response = client.post(
        url("prompt_edit", prompt.pk),
        {
            f"p{prompt.pk}-text": "Edited?",
            f"p{prompt.pk}-stage": "opening",
            f"p{prompt.pk}-position": 1,
            f"p{prompt.pk}-active": "on",
        },
    )
    assert response.status_code == 302
    prompt.refresh_from_db()
    assert (prompt.text, prompt.stage, prompt.active) == ("Edited?", "opening", True)
    response = client.post(url("prompts"), {"text": " ", "stage": "nope"})
    assert response.status_code == 422


@pytest.mark.parametrize("person", ["host", "member"])
def test_members_do_not_edit_prompts(cast, client_for, url, person):
    CoachPrompt.objects.ensure_defaults(cast.network)
    prompt = CoachPrompt.objects.first()
    client = client_for(getattr(cast, person))
    assert client.get(url("prompts")).status_code == 403
    assert (
        client.post(url("prompt_edit", prompt.pk), {f"p{prompt.pk}-text": "x"}).status_code == 403
    )


def test_another_networks_prompt_is_not_found(cast, client_for, url):
    CoachPrompt.objects.ensure_defaults(cast.other_network)
    prompt = CoachPrompt.objects.filter(network=cast.other_network).first()
    assert client_for(cast.organizer).post(url("prompt_edit", prompt.pk), {}).status_code == 404


# --- feedback -------------------------------------------------------------------------------


def _post(parts, **extra):
    return {**parts, **extra}


def test_flagged_feedback_needs_confirmation_and_nothing_is_saved_before(cast, client_for, url):
    client = client_for(cast.host)
    response = client.post(url("feedback_new"), _post(PERSONAL, receiver=cast.member.pk))
    assert response.status_code == 422
    body = response.content.decode()
    assert "Before you give it" in body and 'id="missing"' in body and "Give it as written" in body
    assert not Feedback.objects.exists()
    response = client.post(
        url("feedback_new"), _post(PERSONAL, receiver=cast.member.pk, give_anyway="on")
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.kept_anyway is True and {p["code"] for p in item.problems} >= {"about_the_person"}
    assert item.visibility == "private"


def test_good_feedback_is_given_at_once(cast, client_for, url):
    response = client_for(cast.host).post(url("feedback_new"), _post(GOOD, receiver=cast.member.pk))
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert item.kept_anyway is False and item.problems == []


CARELESS = {
    "situation": "",
    "behaviour": "You're so careless. On Friday you deployed the hotfix without telling on-call",
    "impact": "",
    "suggestion": "",
}


def test_the_rewrite_fills_the_fields_it_could_and_asks_for_the_rest(cast, client_for, url):
    client = client_for(cast.host)
    first = client.post(url("feedback_new"), _post(CARELESS, receiver=cast.member.pk))
    assert first.context["lint"].missing == ("impact",)
    assert 'id="missing"' in first.content.decode()
    response = client.post(
        url("feedback_new"), _post(CARELESS, use_rewrite="1", receiver=cast.member.pk)
    )
    assert response.status_code == 200 and not Feedback.objects.exists()
    form = response.context["form"]
    assert form.initial["situation"] == "On Friday"
    assert form.initial["behaviour"] == "you deployed the hotfix without telling on-call"
    assert form.initial["impact"] == "" and form.missing == ("impact",)
    body = response.content.decode()
    assert "Still to write: what it changed" in body and "careless" not in body


def test_a_rewrite_with_nothing_to_keep_leaves_the_fields_empty(cast, client_for, url):
    client = client_for(cast.host)
    response = client.post(
        url("feedback_new"), _post(PERSONAL, use_rewrite="1", receiver=cast.member.pk)
    )
    form = response.context["form"]
    assert form.initial["behaviour"] == "" and form.missing == ("behaviour", "impact")
    assert "rude" not in response.content.decode()


def test_the_live_check_answers_a_fragment(cast, client_for, url):
    client = client_for(cast.host)
    response = client.post(url("feedback_check"), PERSONAL, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "Before you give it" in body and "<html" not in body
    body = client.post(url("feedback_check"), GOOD, HTTP_HX_REQUEST="true").content.decode()
    assert "Good to give" in body
    assert client_for(cast.organizer).post(url("feedback_check"), GOOD).status_code == 403
    assert client_for(cast.outsider).post(url("feedback_check"), GOOD).status_code == 404


@pytest.mark.parametrize("receiver", ["other_cohort_member", "host", "organizer"])
def test_feedback_goes_only_to_another_active_member(cast, client_for, url, receiver):
    response = client_for(cast.host).post(
        url("feedback_new"), _post(GOOD, receiver=getattr(cast, receiver).pk)
    )
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    assert not Feedback.objects.exists()


def test_feedback_in_a_session_is_for_the_people_in_it(cast, client_for, url):
    (extra,) = add_members(cast.cohort, 1)
    s = session(cast.cohort, cast.member, cast.host)
    client = client_for(cast.host)
    response = client.post(url("feedback_new"), _post(GOOD, receiver=extra.pk, session=s.pk))
    assert response.status_code == 422 and not Feedback.objects.exists()
    response = client.post(url("feedback_new"), _post(GOOD, receiver=cast.member.pk, session=s.pk))
    assert response.status_code == 302 and response.url == s.get_absolute_url()
    assert Feedback.objects.get().coaching_session == s
    # Someone outside the session cannot attach feedback to it.
    response = client_for(extra).post(
        url("feedback_new"), _post(GOOD, receiver=cast.member.pk, session=s.pk)
    )
    assert response.status_code == 404


def test_private_feedback_is_for_giver_and_receiver_only(cast, client_for, url):
    item = feedback(cast.cohort, cast.host, cast.member, behaviour="you sent the secret memo")
    assert "secret memo" in client_for(cast.member).get(url("feedback")).content.decode()
    assert "secret memo" in client_for(cast.host).get(url("feedback_given")).content.decode()
    for person in ("organizer", "admin", "newcomer"):
        client = client_for(getattr(cast, person))
        for page in ("feedback", "feedback_given"):
            assert "secret memo" not in client.get(url(page)).content.decode()
    assert item.visibility == "private"


def test_only_the_receiver_changes_visibility(cast, client_for, url):
    item = feedback(cast.cohort, cast.host, cast.member, behaviour="you sent the secret memo")
    path = url("feedback_visibility", item.pk)
    assert client_for(cast.host).post(path, {f"f{item.pk}-visibility": "cohort"}).status_code == 403
    assert (
        client_for(cast.organizer).post(path, {f"f{item.pk}-visibility": "cohort"}).status_code
        == 404
    )
    assert (
        client_for(cast.outsider).post(path, {f"f{item.pk}-visibility": "cohort"}).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.visibility == "private"
    response = client_for(cast.member).post(path, {f"f{item.pk}-visibility": "cohort"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.visibility == "cohort"


def test_shared_feedback_reaches_the_named_mentor_and_no_one_else(cast, client_for, url):
    MentorMatch.objects.create(network=cast.network, mentor=cast.mentor, newcomer=cast.member)
    item = feedback(cast.cohort, cast.host, cast.member, behaviour="you sent the secret memo")
    client = client_for(cast.member)
    page = client.get(url("feedback")).content.decode()
    assert "Mei Mentor" in page
    path = url("feedback_visibility", item.pk)
    response = client.post(path, {f"f{item.pk}-visibility": "shared"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.visibility == "private"  # nobody named: refused
    client.post(
        path, {f"f{item.pk}-visibility": "shared", f"f{item.pk}-shared_with": [cast.mentor.pk]}
    )
    item.refresh_from_db()
    assert item.visibility == "shared"
    assert "secret memo" in client_for(cast.mentor).get(url("feedback")).content.decode()
    assert client_for(cast.partner).get(url("feedback")).status_code == 404
    assert "secret memo" not in client_for(cast.organizer).get(url("feedback")).content.decode()


def test_cohort_visible_feedback_is_read_by_active_members_not_organizers(cast, client_for, url):
    (extra,) = add_members(cast.cohort, 1)
    feedback(
        cast.cohort,
        cast.host,
        cast.member,
        behaviour="you sent the secret memo",
        visibility="cohort",
    )
    assert "secret memo" in client_for(extra).get(url("feedback")).content.decode()
    assert "secret memo" not in client_for(cast.organizer).get(url("feedback")).content.decode()
    assert client_for(cast.other_cohort_member).get(url("feedback")).status_code == 404


def test_the_feedback_page_costs_the_same_queries_for_more_feedback(cast, client_for, url):
    people = add_members(cast.cohort, 5)
    client = client_for(cast.member)
    feedback(cast.cohort, people[0], cast.member)
    with CaptureQueriesContext(connection) as few:
        client.get(url("feedback"))
    for p in people[1:]:
        feedback(cast.cohort, p, cast.member, visibility="cohort")
    with CaptureQueriesContext(connection) as many:
        client.get(url("feedback"))
    assert len(many) == len(few)
