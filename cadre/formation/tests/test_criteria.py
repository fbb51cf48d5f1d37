"""What the organizer says matters: plain choices per score part, "every cohort must be able
to meet" and the session length, turned into the engine's weights in one place and stored on
the run."""

from typing import Any
from unittest import mock

import pytest

from cadre.formation import criteria, proposals
from cadre.formation.models import Application, FormationRun, RunStatus

from .helpers import run_worker

ALL_MATTER = dict.fromkeys(criteria.PARTS, "matters")


def test_matters_most_counts_twice_as_much_as_matters_and_ignore_not_at_all(intake):
    chosen = criteria.build(
        intake,
        importance={**ALL_MATTER, "diversity": "matters_most", "balance": "ignore"},
    )
    weights = chosen.weights()
    assert weights.diversity == pytest.approx(0.4)
    assert weights.complementarity == weights.curiosity == weights.schedule == pytest.approx(0.2)
    assert weights.balance == 0
    assert sum(weights.of(p) for p in criteria.PARTS) == pytest.approx(1)


def test_the_defaults_put_diversity_first_and_follow_the_intake(intake, applied):
    chosen = criteria.defaults_for(intake)
    assert chosen.importance == {
        "diversity": "matters_most",
        "complementarity": "matters",
        "curiosity": "matters",
        "schedule": "matters",
        "balance": "matters",
    }
    assert chosen.session_minutes == intake.session_minutes
    assert chosen.require_common_slot  # the applicants said when they can meet


def test_meeting_is_not_required_by_default_when_nobody_said_when(intake, applied):
    Application.objects.filter(intake=intake).update(availability=[])
    assert not criteria.defaults_for(intake).require_common_slot


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"importance": dict.fromkeys(criteria.PARTS, "ignore")}, "importance"),
        ({"importance": {"diversity": "a lot"}}, "importance.diversity"),
        ({"importance": {"charisma": "matters"}}, "importance"),
        ({"session_minutes": 10}, "session_minutes"),
        ({"session_minutes": 600}, "session_minutes"),
    ],
)
def test_choices_that_cannot_be_used_are_refused_by_field(intake, changes, field):
    with pytest.raises(criteria.CriteriaProblem) as refused:
        criteria.build(intake, **changes)
    assert field in refused.value.fields


def test_the_summary_says_it_in_words(intake):
    chosen = criteria.build(
        intake,
        importance={**ALL_MATTER, "schedule": "matters_most", "balance": "ignore"},
        require_common_slot=True,
        session_minutes=90,
    )
    assert chosen.summary() == (
        "Meeting time matters most; diversity, complementary skills and shared goals matter; "
        "balance is ignored. Every cohort must be able to meet for a 90-minute session."
    )


# --- on the page and in the run ----------------------------------------------------------


def start(client: Any, url: Any, **changes: Any) -> Any:
    data = {
        "seconds": "1",
        "seed": "3",
        "session_minutes": "90",
        "require_common_slot": "on",
        **{f"importance_{part}": value for part, value in ALL_MATTER.items()},
        **changes,
    }
    return client.post(url("run_start"), data)


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_the_run_is_formed_for_what_the_organizer_chose(cast, client_for, url, applied, who):
    client = client_for(getattr(cast, who))
    page = client.get(url("detail"))
    assert page.context["run_form"]["importance_diversity"].value() == "matters_most"
    assert page.context["run_form"]["require_common_slot"].value() is True
    content = page.content.decode()
    assert "What matters" in content and "Every cohort must be able to meet" in content

    from cadre.engine.formation import solve_formation

    with mock.patch("cadre.engine.formation.solve_formation", wraps=solve_formation) as solve:
        response = start(
            client, url, importance_curiosity="matters_most", importance_balance="ignore"
        )
        run = FormationRun.objects.get()
        assert response["Location"] == run.get_absolute_url()
        assert run.importance == {
            **ALL_MATTER,
            "curiosity": "matters_most",
            "balance": "ignore",
        }
        assert run.require_common_slot and run.session_minutes == 90
        run_worker()
    problem = solve.call_args.args[0]
    assert problem.require_common_slot and problem.session_minutes == 90
    assert problem.weights.curiosity == pytest.approx(0.4)
    assert problem.weights.balance == 0
    run.refresh_from_db()
    assert run.status == RunStatus.DONE

    words = "Shared goals matters most"
    assert words in client.get(run.get_absolute_url()).content.decode()
    proposal = client.get(url("proposal")).content.decode()
    assert words in proposal
    assert "Every cohort must be able to meet for a 90-minute session." in proposal


def test_moves_are_rescored_with_the_runs_own_weights(cast, intake, applied):
    chosen = criteria.build(intake, importance={**ALL_MATTER, "diversity": "ignore"})
    run = proposals.start_run(intake, cast.organizer, seconds=1, seed=1, criteria=chosen)
    run_worker()
    run.refresh_from_db()
    person = run.assignment[0][0]
    proposals.move(run=run, by=cast.organizer, application=person, cohort=2)
    for score in run.scores:
        parts = score["parts"]
        expected = sum(chosen.weights().of(p) * parts[p] for p in criteria.PARTS)
        assert score["total"] == pytest.approx(expected)


def test_a_rerun_keeps_the_choices_unless_changed(cast, client_for, url, intake, applied):
    client = client_for(cast.organizer)
    start(client, url, importance_balance="ignore")
    run_worker()
    page = client.get(url("proposal"))
    form = page.context["run_form"]
    assert form["importance_balance"].value() == "ignore"
    assert form["session_minutes"].value() == 90
    client.post(url("rerun"), {"seconds": "1", "seed": "4", "session_minutes": "60"})
    rerun = FormationRun.objects.order_by("-pk").first()
    assert rerun.importance["balance"] == "ignore"
    assert rerun.session_minutes == 60
    assert not rerun.require_common_slot  # an unticked box says no


def test_ignoring_everything_starts_no_run(cast, client_for, url, applied):
    response = start(
        client_for(cast.organizer),
        url,
        **{f"importance_{part}": "ignore" for part in criteria.PARTS},
    )
    assert response.status_code == 200
    assert "Let at least one part matter" in response.content.decode()
    assert not FormationRun.objects.exists()


@pytest.mark.parametrize("who", ["member", "host", "other_cohort_member"])
def test_members_may_not_choose_what_matters(cast, client_for, url, applied, who):
    assert start(client_for(getattr(cast, who)), url).status_code == 403
    assert not FormationRun.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "partner"])
def test_other_networks_organizers_get_404(cast, client_for, url, applied, who):
    assert start(client_for(getattr(cast, who)), url).status_code == 404
    assert not FormationRun.objects.exists()


def test_anonymous_visitors_choose_nothing(client_for, url, applied):
    assert start(client_for(None), url).status_code == 302
    assert not FormationRun.objects.exists()
