"""The board's pages tried by the people who may and may not use them."""

from datetime import UTC, date, datetime, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.accountability.models import (
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Kudos,
    ProgressUpdate,
)
from cadre.people.models import ProfileSkill
from cadre.schedule.tests.helpers import add_members

from .helpers import GOOD, block, commit

# 00:30 on Sunday 28 March 2027 in Berlin, the cohort's time zone; still the 27th in UTC.
BERLIN_NIGHT = datetime(2027, 3, 27, 23, 30, tzinfo=UTC)
CAN_SEE = ["admin", "organizer", "host", "member"]
CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]
PAGES = ["board", "commitment_new", "update_new", "experiments", "experiment_new"]


@pytest.fixture
def url(cast):
    def build(name, *extra, cohort=None):
        cohort = cohort or cast.cohort
        return reverse(f"accountability:{name}", args=[cohort.network.slug, cohort.slug, *extra])

    return build


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("person", CAN_SEE)
def test_cohort_members_and_organizers_see_the_board(cast, client_for, url, person):
    commit(cast.member, cast.cohort)
    response = client_for(getattr(cast, person)).get(url("board"))
    assert response.status_code == 200
    assert GOOD in response.content.decode()


@pytest.mark.parametrize("person", CANNOT_SEE)
@pytest.mark.parametrize("page", PAGES)
def test_people_outside_the_cohort_get_404(cast, client_for, url, person, page):
    assert client_for(getattr(cast, person)).get(url(page)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, url, page):
    response = client_for(None).get(url(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_newcomer_must_accept_the_code_of_conduct_first(cast, client_for, url):
    response = client_for(cast.newcomer).get(url("board"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert quote(url("board")) in response.url


def test_a_shared_cohort_still_keeps_its_board_to_members(cast, client_for, url):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    assert client_for(cast.other_cohort_member).get(url("board")).status_code == 404


@pytest.mark.parametrize("person", ["admin", "organizer"])
@pytest.mark.parametrize("page", ["commitment_new", "update_new", "experiment_new"])
def test_organizers_see_but_do_not_take_part(cast, client_for, url, person, page):
    assert client_for(getattr(cast, person)).get(url(page)).status_code == 403


@pytest.mark.parametrize("person", ["admin", "organizer", "host", "other_cohort_member"])
def test_private_commitments_are_for_their_owner_alone(cast, client_for, url, person):
    mine = commit(cast.member, cast.cohort, "Secret goal: ship the runbook by Friday")
    mine.visibility = "private"
    mine.save()
    client = client_for(getattr(cast, person))
    assert "Secret goal" not in client.get(url("board")).content.decode()
    assert client.get(url("commitment", mine.pk)).status_code == 404
    owner = client_for(cast.member)
    assert "Secret goal" in owner.get(url("board")).content.decode()
    assert owner.get(url("commitment", mine.pk)).status_code == 200


def test_a_commitment_of_another_cohort_is_not_found_here(cast, client_for, url):
    theirs = commit(cast.other_cohort_member, cast.other_cohort)
    assert client_for(cast.member).get(url("commitment", theirs.pk)).status_code == 404


# --- making a commitment --------------------------------------------------------------------


def test_a_vague_commitment_is_flagged_and_not_saved(cast, client_for, url):
    response = client_for(cast.member).post(
        url("commitment_new"), {"text": "work on the prototype", "visibility": "cohort"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "What is missing" in text and "Use this rewrite" in text
    assert "keep it anyway" in text.lower()
    assert response.context["lint"].suggestion in text
    assert not Commitment.objects.exists()


def test_use_this_rewrite_fills_the_field_and_asks_for_the_date(cast, client_for, url):
    client = client_for(cast.member)
    first = client.post(
        url("commitment_new"), {"text": "work on the prototype", "visibility": "cohort"}
    )
    suggestion = first.context["lint"].suggestion
    assert suggestion == "Finish the prototype."
    assert "When will it be done?" in first.content.decode()
    again = client.post(
        url("commitment_new"),
        {"text": "work on the prototype", "visibility": "cohort", "use_rewrite": suggestion},
    )
    form = again.context["form"]
    assert form.initial["text"] == suggestion and form.initial["due_on"] is None
    # The date is the writer's to give: the field is left empty, required, with the question.
    assert form.fields["due_on"].help_text.startswith("When will it be done?")
    assert form.fields["due_on"].widget.attrs["required"] is True
    assert not Commitment.objects.exists()
    undated = client.post(url("commitment_new"), {"text": suggestion, "visibility": "cohort"})
    assert undated.status_code == 200 and not Commitment.objects.exists()
    assert "Every commitment has a due date: fill in “Due on”" in undated.content.decode()
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    saved = client.post(
        url("commitment_new"), {"text": suggestion, "due_on": due, "visibility": "cohort"}
    )
    assert saved.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.text == suggestion and commitment.owner == cast.member
    assert commitment.due_on.isoformat() == due and commitment.kept_anyway is False
    assert commitment.lint_problems == []


def test_a_vague_commitment_is_saved_when_kept_anyway_but_never_without_a_date(
    cast, client_for, url
):
    client = client_for(cast.member)
    fields = {"text": "work on the prototype", "visibility": "cohort", "keep_anyway": "on"}
    refused = client.post(url("commitment_new"), fields)
    assert refused.status_code == 200 and not Commitment.objects.exists()
    assert (
        refused.context["form"]
        .errors["due_on"][0]
        .startswith("Every commitment has a due date: fill in “Due on”")
    )
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    response = client.post(url("commitment_new"), {**fields, "due_on": due})
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    commitment.refresh_from_db()
    assert commitment.kept_anyway is True and commitment.due_on.isoformat() == due
    assert {p["code"] for p in commitment.lint_problems} == {"not_specific", "not_observable"}


def test_the_deliverable_field_answers_what_people_will_see(cast, client_for, url):
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    fields = {"text": "Practice the incident briefing", "due_on": due, "visibility": "cohort"}
    client = client_for(cast.member)
    asked = client.post(url("commitment_new"), fields)
    assert "What will people see when it&#x27;s done?" in asked.content.decode()
    response = client.post(
        url("commitment_new"), {**fields, "deliverable": "a recording shared with the cohort"}
    )
    assert response.status_code == 302
    made = Commitment.objects.get()
    assert made.kept_anyway is False and made.deliverable == "a recording shared with the cohort"


# --- the cohort's calendar ------------------------------------------------------------------


@pytest.mark.time_machine(BERLIN_NIGHT, tick=False)
def test_the_board_counts_overdue_on_the_cohorts_calendar(cast, client_for, url):
    yesterday = commit(
        cast.member, cast.cohort, text="Send the postmortem", due_on=date(2027, 3, 27)
    )
    today = commit(cast.member, cast.cohort, text="Book the game day", due_on=date(2027, 3, 28))
    response = client_for(cast.member).get(url("board"))
    rows = [row for p in response.context["people"] for row in p["commitments"]]
    flags = {row.commitment.pk: row.overdue for row in rows}
    assert flags == {yesterday.pk: True, today.pk: False}
    assert response.content.decode().count(">Overdue</span>") == 1
    page = client_for(cast.member).get(url("commitment", yesterday.pk)).content.decode()
    assert "Open (overdue)" in page


@pytest.mark.time_machine(BERLIN_NIGHT, tick=False)
def test_tomorrow_in_a_commitment_is_the_day_after_the_cohorts_today(cast, client_for, url):
    text = "Share the incident review template with the cohort by tomorrow"
    response = client_for(cast.member).post(
        url("commitment_new"), {"text": text, "visibility": "cohort"}
    )
    assert response.status_code == 302
    assert Commitment.objects.get().due_on == date(2027, 3, 29)


@pytest.mark.time_machine(BERLIN_NIGHT, tick=False)
def test_a_commitment_made_at_a_session_after_midnight_is_linked_to_it(cast, client_for, url):
    from cadre.schedule.models import Session

    # 00:00 in Berlin, so the 27th in UTC: the session is on the cohort's 28th.
    session = Session.objects.create(cohort=cast.cohort, starts_at=BERLIN_NIGHT.replace(minute=0))
    Session.objects.create(cohort=cast.cohort, starts_at=datetime(2027, 3, 27, 12, tzinfo=UTC))
    client_for(cast.member).post(url("commitment_new"), {"text": GOOD, "visibility": "cohort"})
    assert Commitment.objects.get().session == session


# --- statuses and kudos ---------------------------------------------------------------------


def test_done_needs_evidence(cast, client_for, url):
    commitment = commit(cast.member, cast.cohort)
    client = client_for(cast.member)
    response = client.post(url("commitment_status", commitment.pk), {"status": "done"})
    assert response.status_code == 422
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.OPEN
    response = client.post(
        url("commitment_status", commitment.pk),
        {"status": "done", "evidence": "https://x.test/doc"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.status == "done" and commitment.completed_at is not None


@pytest.mark.parametrize("person", ["host", "organizer"])
def test_hosts_and_organizers_mark_missed_but_not_done(cast, client_for, url, person):
    commitment = commit(cast.member, cast.cohort)
    client = client_for(getattr(cast, person))
    done = client.post(url("commitment_status", commitment.pk), {"status": "done", "evidence": "x"})
    assert done.status_code == 403
    assert (
        client.post(url("commitment_status", commitment.pk), {"status": "missed"}).status_code
        == 302
    )
    commitment.refresh_from_db()
    assert commitment.status == "missed"


def test_another_member_cannot_drop_my_commitment(cast, client_for, url):
    commitment = commit(cast.host, cast.cohort)
    response = client_for(cast.member).post(
        url("commitment_status", commitment.pk), {"status": "dropped"}
    )
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_peers_give_kudos_but_not_to_themselves(cast, client_for, url):
    commitment = commit(cast.member, cast.cohort, status="done", evidence="Shared")
    assert client_for(cast.member).post(url("kudos", commitment.pk)).status_code == 403
    response = client_for(cast.host).post(
        url("kudos", commitment.pk), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert 'id="completions"' in response.content.decode()
    assert "<html" not in response.content.decode()
    assert Kudos.objects.get().giver == cast.host
    assert client_for(cast.organizer).post(url("kudos", commitment.pk)).status_code == 403


def test_kudos_are_only_for_commitments_that_are_done(cast, client_for, url):
    commitment = commit(cast.member, cast.cohort)
    assert client_for(cast.host).post(url("kudos", commitment.pk)).status_code == 403
    assert not Kudos.objects.exists()


def test_recently_done_shows_each_commitments_kudos_and_whether_i_gave_them(cast, client_for, url):
    thanked = commit(cast.host, cast.cohort, "Send the report by Friday", status="done")
    other = commit(cast.host, cast.cohort, "Share the runbook by Friday", status="done")
    for giver in (cast.member, *add_members(cast.cohort, 1)):
        Kudos.objects.create(commitment=thanked, giver=giver)
    html = client_for(cast.member).get(url("board")).content.decode()
    done = html[html.index('id="completions"') :]
    thanked_row = done[done.index("Send the report") :][:600]
    other_row = done[done.index("Share the runbook") :][:600]
    assert "2 kudos" in thanked_row and "You gave kudos." in thanked_row
    assert "0 kudos" in other_row and url("kudos", other.pk) in other_row


# --- updates, blockers and help -------------------------------------------------------------


def test_an_update_with_a_blocker_shows_on_the_board(cast, client_for, url):
    skill = cast.network.skills.get(name="Data analysis")
    commitment = commit(cast.member, cast.cohort)
    client = client_for(cast.member)
    response = client.post(
        url("update_new"),
        {
            "commitment": commitment.pk,
            "done": "Sketched the screens",
            "remaining": "Wire the data",
            "blocker": "Cannot read the metrics export",
            "skills": [skill.pk],
        },
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    assert update.commitment == commitment
    assert list(update.blocker.skills.all()) == [skill]
    assert (
        "Cannot read the metrics export" in client_for(cast.host).get(url("board")).content.decode()
    )


def test_an_empty_update_is_refused(cast, client_for, url):
    response = client_for(cast.member).post(url("update_new"), {"done": " "})
    assert response.status_code == 200
    assert not ProgressUpdate.objects.exists()


def test_blockers_matching_my_skills_come_first(cast, client_for, url):
    skill = cast.network.skills.get(name="Data analysis")
    block(cast.member, cast.cohort, skills=[skill])
    ProfileSkill.objects.create(profile=cast.host.profile, skill=skill, level=3)
    host_page = client_for(cast.host).get(url("board")).content.decode()
    assert "Blockers you could help with" in host_page
    member_page = client_for(cast.member).get(url("board")).content.decode()
    assert "Blockers you could help with" not in member_page


def test_help_is_offered_timed_and_accepted(cast, client_for, url):
    blocker = block(cast.member, cast.cohort)
    response = client_for(cast.host).post(
        url("offer", blocker.pk), {"message": "I know that export"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'id="blockers"' in response.content.decode()
    blocker.refresh_from_db()
    first = blocker.first_offer_at
    assert first is not None and blocker.time_to_first_offer.total_seconds() >= 0
    offer = HelpOffer.objects.get()
    assert offer.helper == cast.host and offer.message == "I know that export"
    # Only the blocked person accepts.
    assert client_for(cast.host).post(url("accept", offer.pk)).status_code == 403
    assert client_for(cast.member).post(url("accept", offer.pk)).status_code == 302
    blocker.refresh_from_db()
    offer.refresh_from_db()
    assert blocker.resolved_at is not None and offer.accepted_at is not None
    assert blocker.first_offer_at == first


def test_nobody_offers_help_with_their_own_blocker_and_organizers_do_not(cast, client_for, url):
    blocker = block(cast.member, cast.cohort)
    assert client_for(cast.member).post(url("offer", blocker.pk)).status_code == 403
    assert client_for(cast.organizer).post(url("offer", blocker.pk)).status_code == 403
    assert client_for(cast.other_cohort_member).post(url("offer", blocker.pk)).status_code == 404
    assert client_for(None).post(url("offer", blocker.pk)).status_code == 302
    assert not HelpOffer.objects.exists()


def test_newcomer_cannot_offer_help_before_accepting_the_code(cast, client_for, url):
    blocker = block(cast.member, cast.cohort)
    assert client_for(cast.newcomer).post(url("offer", blocker.pk)).status_code == 302
    assert not HelpOffer.objects.exists()


# --- experiments ----------------------------------------------------------------------------


def experiment_post(**changes):
    return {
        "title": "Game day in staging",
        "capability": "Incident response",
        "hypothesis": "A game day halves our recovery time",
        "plan": "Break the cache on purpose",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-15",
        "measure": "Minutes to recover",
        "baseline": "45",
        "outcome": "running",
        "visibility": "cohort",
        **changes,
    }


def test_a_member_starts_views_and_edits_an_experiment(cast, client_for, url):
    client = client_for(cast.member)
    assert client.post(url("experiment_new"), experiment_post()).status_code == 302
    experiment = Experiment.objects.get()
    assert experiment.owner == cast.member
    assert "Game day in staging" in client_for(cast.host).get(url("experiments")).content.decode()
    assert client_for(cast.host).get(url("experiment", experiment.pk)).status_code == 200
    assert (
        client_for(cast.host)
        .post(url("experiment_edit", experiment.pk), experiment_post())
        .status_code
        == 403
    )
    response = client_for(cast.member).post(
        url("experiment_edit", experiment.pk),
        experiment_post(outcome="failed", learnings="Staging is not production"),
    )
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert experiment.outcome == "failed" and experiment.learnings


def test_an_experiment_must_end_after_it_starts(cast, client_for, url):
    response = client_for(cast.member).post(
        url("experiment_new"), experiment_post(ends_on="2026-11-30")
    )
    assert response.status_code == 200
    assert "must end after it starts" in response.content.decode()
    assert not Experiment.objects.exists()


def test_private_experiments_are_hidden_from_others(cast, client_for, url):
    client_for(cast.member).post(url("experiment_new"), experiment_post(visibility="private"))
    experiment = Experiment.objects.get()
    assert client_for(cast.organizer).get(url("experiment", experiment.pk)).status_code == 404
    assert "Game day" not in client_for(cast.host).get(url("experiments")).content.decode()


# --- cost -----------------------------------------------------------------------------------


def _fill(cast, people):
    for n, person in enumerate(people):
        commit(person, cast.cohort, f"Share runbook {n} with the cohort by Friday")
        commit(person, cast.cohort, f"Send report {n} by Friday", status="done", evidence="ok")
        blocker = block(person, cast.cohort, skills=list(cast.network.skills.all()))
        blocker.offer(cast.host)


def _board_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url("board")).status_code == 200
    return len(ctx.captured_queries)


def test_the_board_costs_the_same_queries_at_two_sizes(cast, client_for, url):
    _fill(cast, add_members(cast.cohort, 2))
    client = client_for(cast.member)
    small = _board_queries(client, url)
    _fill(cast, add_members(cast.cohort, 8, start=2))
    assert _board_queries(client, url) == small


def test_a_nul_character_in_a_form_is_refused_by_the_form_itself(cast, client_for, url):
    # Django's form fields refuse it (ProhibitNullCharactersValidator); this checks that the
    # pages need nothing of their own (on PostgreSQL the text could not be saved).
    response = client_for(cast.member).post(
        url("commitment_new"),
        {"text": "Send the postmortem to the team\x00 by Friday", "visibility": "cohort"},
    )
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.context["form"].errors["text"]
    assert not Commitment.objects.exists()


@pytest.mark.parametrize("due_on", ["9999-12-31", "0001-01-01"])
def test_a_due_date_outside_the_range_is_refused_on_the_page(cast, client_for, url, due_on):
    from cadre.lib.dates import RANGE_MESSAGE

    response = client_for(cast.member).post(
        url("commitment_new"),
        {"text": "Send the postmortem to the team", "visibility": "cohort", "due_on": due_on},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == [RANGE_MESSAGE]
    assert not Commitment.objects.exists()
