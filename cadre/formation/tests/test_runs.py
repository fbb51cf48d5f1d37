"""Formation runs: started by organizers, solved by the real database worker."""

from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from cadre.formation import proposals
from cadre.formation.models import FormationRun, Intake, RunStatus

from .helpers import run_worker


def start(client: Any, url: Any, seconds: str = "1", seed: str = "3") -> Any:
    return client.post(url("run_start"), {"seconds": seconds, "seed": seed})


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_start_a_run_that_the_worker_solves(cast, client_for, url, applied, who):
    response = start(client_for(getattr(cast, who)), url)
    run = FormationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert run.status == RunStatus.QUEUED
    assert run.created_by == getattr(cast, who)
    assert DBTaskResult.objects.count() == 0  # queued once the run is committed

    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.progress == 1.0
    placed = sorted(pk for group in run.assignment for pk in group)
    assert placed == sorted(a.pk for a in applied)
    assert all(3 <= len(group) <= 4 for group in run.assignment)
    assert len(run.scores) == len(run.assignment)
    assert set(run.scores[0]["parts"]) == set(proposals.SCORE_PARTS)
    assert run.scores[0]["reasons"]
    assert run.result["groups"] == run.assignment
    assert run.best_objective == pytest.approx(run.result["objective"])


@pytest.mark.parametrize("who", ["member", "mentor", "other_cohort_member"])
def test_members_may_not_start_runs(cast, client_for, url, applied, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("run_start")).status_code == 403
    assert start(client, url).status_code == 403
    assert not FormationRun.objects.exists()


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_partners_and_outsiders_get_404_for_runs(cast, client_for, url, applied, who):
    assert start(client_for(getattr(cast, who)), url).status_code == 404
    assert not FormationRun.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client_for, url, applied):
    assert start(client_for(None), url).status_code == 302
    assert not FormationRun.objects.exists()


@pytest.mark.parametrize("seconds, seed", [("0", "1"), ("500", "1"), ("2", "-1"), ("x", "y")])
def test_bad_run_settings_start_nothing(cast, client_for, url, applied, seconds, seed):
    response = start(client_for(cast.organizer), url, seconds, seed)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not FormationRun.objects.exists()


def test_the_run_page_polls_until_done_then_sends_the_organizer_to_the_proposal(
    cast, client_for, url, applied
):
    client = client_for(cast.organizer)
    start(client, url)
    run = FormationRun.objects.get()
    page = client.get(run.get_absolute_url())
    assert b'hx-trigger="every 1s"' in page.content
    assert b"Waiting for the background worker" in page.content
    fragment = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
    assert b'hx-trigger="every 1s"' in fragment.content
    run_worker()
    done = client.get(run.get_absolute_url(), headers={"HX-Request": "true"})
    assert done["HX-Redirect"] == url("proposal")
    full = client.get(run.get_absolute_url())
    assert b"every 1s" not in full.content
    assert b"See the proposed cohorts" in full.content


def test_progress_is_written_to_the_run_while_it_searches(
    cast: Any, intake: Intake, applied: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, float]] = []
    queryset_class = type(FormationRun.objects.all())
    real_update = queryset_class.update

    def spy(queryset: Any, **fields: Any) -> int:
        if "progress" in fields:
            seen.append((fields.get("status", ""), fields["progress"]))
        return real_update(queryset, **fields)

    monkeypatch.setattr(queryset_class, "update", spy)
    run = proposals.start_run(intake, cast.organizer, seconds=1.2, seed=1)
    proposals.execute_run(run.pk, report_every=0.0)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    during = [p for status, p in seen if status == ""]
    assert during, "the search reported its progress"
    assert all(0 <= p <= 1 for p in during)


def test_a_run_that_cannot_be_solved_fails_with_a_readable_error(cast, intake, applied):
    intake.min_size, intake.max_size = 4, 4  # ten people do not split into fours
    intake.save()
    run = proposals.start_run(intake, cast.organizer, seconds=1, seed=0)
    run_worker()
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert "10" in run.error and "4" in run.error
    assert run.assignment == []


def test_a_run_already_done_is_not_run_again(cast, intake, applied):
    run = proposals.start_run(intake, cast.organizer, seconds=1, seed=0)
    run_worker()
    run.refresh_from_db()
    finished_at, assignment = run.finished_at, run.assignment
    assert proposals.execute_run(run.pk) == RunStatus.DONE
    run.refresh_from_db()
    assert run.finished_at == finished_at and run.assignment == assignment


def test_no_run_without_applications(cast, client_for, url):
    response = start(client_for(cast.organizer), url)
    assert response.status_code == 302
    assert not FormationRun.objects.exists()
