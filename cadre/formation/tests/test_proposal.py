"""The proposal page: cohorts with their composition, scores and reasons; moves, locks and
re-runs around the locks."""

from typing import Any

import pytest

from cadre.formation import proposals
from cadre.formation.models import FormationRun, RunStatus

from .helpers import run_worker


@pytest.fixture
def run(cast: Any, intake: Any, applied: Any) -> FormationRun:
    started = proposals.start_run(intake, cast.organizer, seconds=1, seed=5)
    run_worker()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def test_organizer_sees_one_card_per_cohort_with_composition_scores_and_reasons(
    cast, client_for, url, run
):
    response = client_for(cast.organizer).get(url("proposal"))
    assert response.status_code == 200
    cohorts = response.context["cohorts"]
    assert len(cohorts) == len(run.assignment)
    content = response.content.decode()
    for cohort in cohorts:
        assert f"Cohort {cohort.number}" in content
        titles = [title for title, _ in cohort.composition]
        assert titles == ["Function", "Industry", "Organization", "Seniority"]
        assert sum(bar.count for bar in cohort.composition[0][1]) == len(cohort.members)
        for reason in cohort.score["reasons"]:
            assert reason.replace("'", "&#x27;") in content or reason in content
    assert "Shared goals" in content and "Complementary skills" in content
    assert "Mo Member" in content


@pytest.mark.parametrize("who", ["member", "mentor", "host"])
def test_members_may_not_see_or_change_the_proposal(cast, client_for, url, run, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("proposal")).status_code == 403
    pk = run.assignment[0][0]
    assert client.post(url("move"), {"application": pk, "cohort": 2}).status_code == 403
    assert client.post(url("lock"), {"application": pk, "locked": "on"}).status_code == 403
    assert client.post(url("rerun"), {"seconds": 1, "seed": 1}).status_code == 403
    assert client.post(url("publish")).status_code == 403
    run.refresh_from_db()
    assert run.locked == [] and pk in run.assignment[0]


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_partners_and_outsiders_get_404_for_the_proposal(cast, client_for, url, run, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("proposal")).status_code == 404
    assert client.post(url("publish")).status_code == 404


def test_no_proposal_before_a_run(cast, client_for, url, applied):
    assert client_for(cast.organizer).get(url("proposal")).status_code == 404


def test_moving_a_person_changes_the_scores(cast, client_for, url, run):
    before = [s["total"] for s in run.scores]
    pk = run.assignment[0][0]
    response = client_for(cast.organizer).post(
        url("move"), {"application": pk, "cohort": 2}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert b"<html" not in response.content  # the cards only
    assert b'id="cohorts"' in response.content
    run.refresh_from_db()
    assert pk not in run.assignment[0] and pk in run.assignment[1]
    after = [s["total"] for s in run.scores]
    assert after != before
    groups = [[str(p) for p in g] for g in run.assignment]
    problem = proposals.build_problem(
        run.intake, proposals.applications_for(run.intake), groups=len(groups)
    )
    from cadre.engine.formation import score_groups

    assert after == pytest.approx([s.total for s in score_groups(problem, groups)])
    assert run.result["groups"][0][0] == pk  # the engine's answer is kept as it was


def test_a_move_without_htmx_redirects_back_to_the_proposal(cast, client_for, url, run):
    pk = run.assignment[1][0]
    response = client_for(cast.organizer).post(url("move"), {"application": pk, "cohort": 1})
    assert response.status_code == 302 and response["Location"] == url("proposal")
    run.refresh_from_db()
    assert pk in run.assignment[0]


@pytest.mark.parametrize(
    "body",
    [{"cohort": 9}, {"cohort": 0}, {"application": 999999, "cohort": 1}, {"cohort": "x"}],
)
def test_bad_moves_are_refused_with_a_reason(cast, client_for, url, run, body):
    data = {"application": run.assignment[0][0], **body}
    response = client_for(cast.organizer).post(url("move"), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"Not done." in response.content
    before = run.assignment
    run.refresh_from_db()
    assert run.assignment == before


def test_a_locked_person_cannot_be_moved_until_unlocked(cast, client_for, url, run):
    client = client_for(cast.organizer)
    pk = run.assignment[0][0]
    client.post(url("lock"), {"application": pk, "locked": "on"})
    run.refresh_from_db()
    assert run.locked == [pk]
    response = client.post(
        url("move"), {"application": pk, "cohort": 2}, headers={"HX-Request": "true"}
    )
    assert b"locked" in response.content
    run.refresh_from_db()
    assert pk in run.assignment[0]
    client.post(url("lock"), {"application": pk})
    run.refresh_from_db()
    assert run.locked == []


def test_rerun_keeps_locked_people_in_their_cohorts(cast, client_for, url, run):
    client = client_for(cast.organizer)
    first, second = run.assignment[0][0], run.assignment[1][0]
    # Lock two people in each other's cohort, so the re-run must keep a non-default choice.
    client.post(url("move"), {"application": first, "cohort": 2})
    client.post(url("move"), {"application": second, "cohort": 1})
    for pk in (first, second):
        client.post(url("lock"), {"application": pk, "locked": "on"})
    response = client.post(url("rerun"), {"seconds": "1", "seed": "11"})
    new = FormationRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == new.get_absolute_url()
    assert new.pinned == {str(first): 1, str(second): 0}
    assert sorted(new.locked) == sorted([first, second])
    run_worker()
    new.refresh_from_db()
    assert new.status == RunStatus.DONE, new.error
    assert first in new.assignment[1] and second in new.assignment[0]
    assert sorted(new.locked) == sorted([first, second])
    assert run.intake.proposal() == new


def test_an_older_proposal_no_longer_changes(cast, intake, run):
    newer = proposals.start_run(intake, cast.organizer, seconds=1, seed=9)
    run_worker()
    with pytest.raises(proposals.ProposalProblem, match="newer run"):
        proposals.move(run=run, by=cast.organizer, application=run.assignment[0][0], cohort=2)
    newer.refresh_from_db()
    assert intake.proposal() == newer


def test_proposal_page_takes_a_bounded_number_of_queries(
    cast, client_for, url, run, django_assert_max_num_queries
):
    client = client_for(cast.organizer)
    client.get(url("proposal"))
    with django_assert_max_num_queries(14):
        client.get(url("proposal"))


# --- when each cohort can meet -------------------------------------------------------------


def test_a_slot_is_shown_in_the_time_zone_it_is_read_in():
    assert proposals.local_slot(9, "Europe/Berlin", 60) == "Mon 10:00–11:00"
    assert proposals.local_slot(167, "Asia/Tokyo", 90) == "Mon 08:00–09:30"  # around the week
    assert proposals.local_slot(0, "America/Chicago", 30) == "Sun 18:00–18:30"


def test_each_cohort_says_when_it_can_meet_in_my_time_and_each_members(cast, client_for, url, run):
    cast.organizer.profile.time_zone = "America/New_York"
    cast.organizer.profile.save()
    response = client_for(cast.organizer).get(url("proposal"))
    content = response.content.decode()
    cohorts = response.context["cohorts"]
    assert all(c.can_meet for c in cohorts)
    assert "Every cohort can meet" in content
    for cohort in cohorts:
        first = cohort.common_slots[0]
        assert cohort.times[0] == proposals.local_slot(first, "America/New_York", 60)
        assert cohort.times[0] in content
        for seat in cohort.seats:
            zone = seat.member.time_zone
            assert seat.meets_at == proposals.local_slot(first, zone, 60)
            assert f'Meets <span class="time">{seat.meets_at}</span> their time ({zone})' in content
    assert "your time (America/New_York)" in content


def test_the_engines_explanation_is_shown_when_cohorts_cannot_meet(cast, client_for, url, run):
    from cadre.formation.models import Application

    lonely = Application.objects.get(user=cast.member)
    lonely.availability = [6 * 24 + 3]
    lonely.save()
    proposals.rescore(run)
    run.result["explanation"] = ["Mo Member has no hour in common with anyone else."]
    run.save()
    content = client_for(cast.organizer).get(url("proposal")).content.decode()
    assert "cohorts cannot meet:" in content
    assert "Mo Member has no hour in common with anyone else." in content


def test_the_explanation_is_read_from_the_engines_meeting_report():
    from cadre.engine.formation.model import MeetingReport

    def solved(cannot_meet):
        report = MeetingReport(
            cohorts=3,
            can_meet=3 - len(cannot_meet),
            cannot_meet=cannot_meet,
            fewest_unable=len(cannot_meet),
            isolated=("7",),
            explanation=("Mo has too few hours in common.", "At best 1 cohort cannot meet."),
        )
        return type("Solved", (), {"meeting": report})()

    assert proposals.explanation_of(solved((2,))) == [
        "Mo has too few hours in common.",
        "At best 1 cohort cannot meet.",
    ]
    assert proposals.explanation_of(solved(())) == []
    assert proposals.explanation_of(object()) == []
