"""Promoting a concluded experiment or a published session report to a case study."""

import pytest
from django.urls import reverse

from cadre.repository.models import RepositoryItem

from .conftest import person
from .helpers import experiment, published_report


def url(name, pk):
    return reverse(f"repository:{name}", args=["northwind", pk])


def test_the_owner_promotes_a_concluded_experiment_with_its_data(cast, lib, client_for):
    skill = cast.network.skills.get(slug="facilitation")
    exp = experiment(cast.member, cast.cohort, skill=skill)
    client = client_for(cast.member)
    page = client.get(url("promote_experiment", exp.pk)).content.decode()
    assert "## Hypothesis" in page and "Median 22 minutes" in page
    response = client.post(
        url("promote_experiment", exp.pk),
        {
            "title": "Game days halve recovery",
            "body": "Edited **before** saving.",
            "visibility": "network",
            "skills": [skill.pk],
        },
    )
    assert response.status_code == 302
    made = RepositoryItem.objects.get(source_experiment=exp)
    assert made.kind == "case_study" and made.origin_cohort == cast.cohort
    assert made.title == "Game days halve recovery" and made.body == "Edited **before** saving."
    assert made.data["result_data"] == "Median 22 minutes over 6 incidents"
    assert made.data["outcome"] == "Succeeded" and made.data["skill"] == "Facilitation"
    detail = client.get(made.get_absolute_url()).content.decode()
    assert "Median 22 minutes over 6 incidents" in detail and "Baseline" in detail


@pytest.mark.parametrize("who", ["host", "organizer", "admin"])
def test_hosts_and_organizers_promote_a_cohort_experiment(cast, lib, client_for, who):
    exp = experiment(cast.member, cast.cohort)
    response = client_for(person(cast, lib, who)).post(
        url("promote_experiment", exp.pk), {"title": "T", "body": "B", "visibility": "network"}
    )
    assert response.status_code == 302
    assert RepositoryItem.objects.filter(source_experiment=exp).count() == 1


def test_a_cohort_peer_may_read_but_not_promote(cast, lib, client_for):
    exp = experiment(cast.member, cast.cohort)
    client = client_for(lib.peer)
    assert client.get(url("promote_experiment", exp.pk)).status_code == 403
    assert client.post(url("promote_experiment", exp.pk), {"title": "T"}).status_code == 403


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_board_get_404(cast, lib, client_for, who):
    exp = experiment(cast.member, cast.cohort)
    assert (
        client_for(person(cast, lib, who)).get(url("promote_experiment", exp.pk)).status_code == 404
    )


def test_a_running_experiment_is_not_promoted(cast, lib, client_for):
    exp = experiment(cast.member, cast.cohort, outcome="running")
    response = client_for(cast.member).post(
        url("promote_experiment", exp.pk), {"title": "T", "body": "B", "visibility": "network"}
    )
    assert response.status_code == 403
    assert "record its outcome first" in response.content.decode()
    assert not RepositoryItem.objects.filter(source_experiment=exp).exists()


def test_a_private_experiment_is_its_owners_alone_to_promote(cast, lib, client_for):
    exp = experiment(cast.member, cast.cohort, visibility="private", outcome="failed")
    assert client_for(cast.host).get(url("promote_experiment", exp.pk)).status_code == 404
    assert client_for(cast.organizer).get(url("promote_experiment", exp.pk)).status_code == 404
    response = client_for(cast.member).post(
        url("promote_experiment", exp.pk),
        {"title": "Failed well", "body": "B", "visibility": "network"},
    )
    assert response.status_code == 302
    assert RepositoryItem.objects.get(source_experiment=exp).data["outcome"] == "Failed"


def test_an_experiment_is_promoted_once(cast, lib, client_for):
    exp = experiment(cast.member, cast.cohort)
    client = client_for(cast.member)
    data = {"title": "T", "body": "B", "visibility": "network"}
    client.post(url("promote_experiment", exp.pk), data)
    response = client.post(url("promote_experiment", exp.pk), data)
    assert response.status_code == 302
    assert RepositoryItem.objects.filter(source_experiment=exp).count() == 1


def test_bad_promotion_input_saves_nothing(cast, lib, client_for):
    exp = experiment(cast.member, cast.cohort)
    response = client_for(cast.member).post(
        url("promote_experiment", exp.pk), {"title": "", "body": "B", "visibility": "partners"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "This field is required" in body and "Name at least one partner group" in body
    assert not RepositoryItem.objects.filter(source_experiment=exp).exists()


def test_the_experiment_page_offers_promotion_to_those_who_may(cast, lib, client_for):
    exp = experiment(cast.member, cast.cohort)
    page = reverse("accountability:experiment", args=["northwind", "reliability", exp.pk])
    link = url("promote_experiment", exp.pk)
    assert link in client_for(cast.member).get(page).content.decode()
    assert link not in client_for(lib.peer).get(page).content.decode()


@pytest.mark.parametrize("who", ["host", "organizer", "peer"])
def test_a_published_report_is_promoted_by_those_who_edit_it(cast, lib, client_for, who):
    report = published_report(cast.cohort, note_taker=lib.peer)
    client = client_for(person(cast, lib, who))
    assert "Too many observers." in client.get(url("promote_report", report.pk)).content.decode()
    response = client.post(
        url("promote_report", report.pk), {"title": "Drill", "body": "B", "visibility": "network"}
    )
    assert response.status_code == 302
    made = RepositoryItem.objects.get(source_report=report)
    assert made.origin_cohort == cast.cohort and made.data["what_worked"] == "Timeboxes."


def test_a_report_is_not_promoted_by_members_or_while_a_draft(cast, lib, client_for):
    report = published_report(cast.cohort)
    assert client_for(cast.member).get(url("promote_report", report.pk)).status_code == 403
    assert (
        client_for(cast.other_cohort_member).get(url("promote_report", report.pk)).status_code
        == 404
    )
    draft = published_report(cast.cohort, status="draft", published_at=None)
    assert (
        client_for(cast.host).post(url("promote_report", draft.pk), {"title": "T"}).status_code
        == 403
    )
    assert not RepositoryItem.objects.filter(source_report__isnull=False).exists()
