"""The commitment, update, blocker, offer, kudos and experiment endpoints: the same rules as
the board's pages."""

from datetime import UTC, date, datetime, timedelta

import pytest

from cadre.accountability.models import Commitment, HelpOffer
from cadre.accountability.tests.helpers import block, commit
from cadre.api.tests.helpers import assert_error

COHORT = "/networks/northwind/cohorts/reliability"


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_the_board_is_listed_for_members_and_organizers(cast, api_as, who):
    commit(cast.member, cast.cohort)
    caller = api_as(getattr(cast, who))
    assert caller.get(f"{COHORT}/commitments").json()["count"] == 1
    for path in ("updates", "blockers", "experiments"):
        assert caller.get(f"{COHORT}/{path}").status_code == 200


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404(cast, api_as, who):
    caller = api_as(getattr(cast, who))
    for path in ("commitments", "updates", "blockers", "experiments"):
        assert_error(caller.get(f"{COHORT}/{path}"), 404, "not_found")
    assert_error(caller.post(f"{COHORT}/commitments", {"text": "x"}), 404, "not_found")


def test_anonymous_and_newcomer_are_refused(cast, api_as):
    assert_error(api_as(None).get(f"{COHORT}/commitments"), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(f"{COHORT}/commitments"), 403, "conduct_not_accepted")


def test_a_vague_commitment_gets_422_with_the_suggestion_unless_kept(cast, api_as):
    caller = api_as(cast.member)
    error = assert_error(
        caller.post(f"{COHORT}/commitments", {"text": "work on the prototype"}),
        422,
        "validation_error",
    )
    assert error["detail"]["problems"] and error["detail"]["suggestion"] == "Finish the prototype."
    # What the rewrite cannot say, the caller is asked for: here, the due date.
    assert error["detail"]["rewrite"]["missing"] == ["due"]
    assert not Commitment.objects.exists()
    undated = assert_error(
        caller.post(f"{COHORT}/commitments", {"text": error["detail"]["suggestion"]}),
        422,
        "validation_error",
    )
    assert undated["fields"]["due_on"][0].startswith("Every commitment has a due date")
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    good = caller.post(
        f"{COHORT}/commitments", {"text": error["detail"]["suggestion"], "due_on": due}
    )
    assert good.status_code == 201, good.content
    assert good.json()["kept_anyway"] is False and good.json()["due_on"] == due
    kept = caller.post(
        f"{COHORT}/commitments",
        {"text": "work on the prototype", "keep_anyway": True, "due_on": due},
    )
    assert kept.status_code == 201 and kept.json()["kept_anyway"] is True
    refused = assert_error(
        caller.post(
            f"{COHORT}/commitments", {"text": "work on the prototype", "keep_anyway": True}
        ),
        422,
        "validation_error",
    )
    assert list(refused["fields"]) == ["due_on"]


def test_a_blank_commitment_is_refused_naming_the_text(cast, api_as):
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    error = assert_error(
        api_as(cast.member).post(f"{COHORT}/commitments", {"text": "   ", "due_on": due}),
        422,
        "validation_error",
    )
    assert error["fields"]["text"] == ["Write what you commit to."]
    assert not Commitment.objects.exists()


@pytest.mark.time_machine(datetime(2027, 3, 27, 23, 30, tzinfo=UTC), tick=False)
def test_tomorrow_is_counted_from_the_cohorts_today_as_on_the_board(cast, api_as):
    # 00:30 on the 28th in Berlin, the cohort's time zone, while UTC is still on the 27th.
    text = "Share the incident review template with the cohort by tomorrow"
    made = api_as(cast.member).post(f"{COHORT}/commitments", {"text": text})
    assert made.status_code == 201, made.content
    assert made.json()["due_on"] == date(2027, 3, 29).isoformat()


def test_organizers_do_not_make_commitments(cast, api_as):
    response = api_as(cast.organizer).post(f"{COHORT}/commitments", {"text": "x"})
    assert_error(response, 403, "forbidden")


def test_done_needs_evidence_and_only_the_owner_closes(cast, api_as):
    commitment = commit(cast.member, cast.cohort)
    path = f"{COHORT}/commitments/{commitment.pk}"
    assert_error(api_as(cast.member).patch(path, {"status": "done"}), 422, "validation_error")
    assert_error(api_as(cast.host).patch(path, {"status": "dropped"}), 403, "forbidden")
    done = api_as(cast.member).patch(path, {"status": "done", "evidence": "https://x.test"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    commitment.refresh_from_db()
    assert commitment.completed_at is not None


def test_kudos_are_for_peers(cast, api_as):
    commitment = commit(cast.member, cast.cohort, status="done", evidence="ok")
    path = f"{COHORT}/commitments/{commitment.pk}/kudos"
    assert_error(api_as(cast.member).post(path), 403, "forbidden")
    assert api_as(cast.host).post(path).status_code == 201
    assert api_as(cast.host).post(path).status_code == 200


def test_private_commitments_are_hidden_from_everyone_else(cast, api_as):
    mine = commit(cast.member, cast.cohort, visibility="private")
    assert api_as(cast.organizer).get(f"{COHORT}/commitments").json()["count"] == 0
    assert api_as(cast.member).get(f"{COHORT}/commitments").json()["count"] == 1
    path = f"{COHORT}/commitments/{mine.pk}"
    assert_error(api_as(cast.host).patch(path, {"status": "missed"}), 404, "not_found")


def test_update_blocker_offer_and_accept(cast, api_as):
    commitment = commit(cast.member, cast.cohort)
    posted = api_as(cast.member).post(
        f"{COHORT}/updates",
        {
            "commitment": commitment.pk,
            "done": "Drafted",
            "blocker": "No access to the logs",
            "skills": ["data-analysis"],
        },
    )
    assert posted.status_code == 201, posted.content
    blocker = api_as(cast.host).get(f"{COHORT}/blockers").json()["items"][0]
    assert blocker["skills"] == ["data-analysis"]
    offer_path = f"{COHORT}/blockers/{blocker['id']}/offers"
    assert_error(api_as(cast.member).post(offer_path, {}), 403, "forbidden")
    offered = api_as(cast.host).post(offer_path, {"message": "I have access"})
    assert offered.status_code == 201
    accept = f"{COHORT}/offers/{offered.json()['id']}/accept"
    assert_error(api_as(cast.host).post(accept), 403, "forbidden")
    assert api_as(cast.member).post(accept).status_code == 200
    offer = HelpOffer.objects.select_related("blocker").get()
    assert offer.accepted_at and offer.blocker.resolved_at and offer.blocker.first_offer_at


def test_unknown_skills_are_refused(cast, api_as):
    response = api_as(cast.member).post(
        f"{COHORT}/updates", {"blocker": "Stuck", "skills": ["welding"]}
    )
    assert_error(response, 422, "validation_error")


def test_experiments_are_time_bound(cast, api_as):
    body = {
        "title": "Game day",
        "capability": "Incident response",
        "hypothesis": "Faster recovery",
        "plan": "Break things",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-01",
        "measure": "Minutes",
    }
    caller = api_as(cast.member)
    assert_error(caller.post(f"{COHORT}/experiments", body), 422, "validation_error")
    created = caller.post(f"{COHORT}/experiments", {**body, "ends_on": "2026-12-08"})
    assert created.status_code == 201, created.content
    assert_error(api_as(cast.organizer).post(f"{COHORT}/experiments", body), 403, "forbidden")


def test_resolved_blockers_are_left_out_by_default(cast, api_as):
    blocker = block(cast.member, cast.cohort)
    blocker.offer(cast.host).accept()
    assert api_as(cast.member).get(f"{COHORT}/blockers").json()["count"] == 0
    body = api_as(cast.member).get(f"{COHORT}/blockers", include_resolved="true").json()
    assert body["count"] == 1
