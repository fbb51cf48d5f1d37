"""The network metrics page's list of the cohorts (organizers only): a page at a time, lowest
follow-through first, with every active cohort's figures taken together, at a cost that does
not grow with the number of cohorts."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.accountability.models import Commitment, CommitmentStatus
from cadre.cohorts.models import Cohort, CohortStatus
from cadre.metrics import builtins, figures, weekly

NOW = datetime(2026, 6, 10, 15, 30, tzinfo=UTC)  # a Wednesday
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def url(cast, page=None):
    path = reverse("metrics:index", args=[cast.network.slug])
    return path if page is None else f"{path}?page={page}"


def with_follow_through(cast, name, done, due):
    """An active cohort of the network with `done` of `due` commitments done last week."""
    cohort = Cohort.objects.create(
        network=cast.network,
        name=name,
        slug=name.lower().replace(" ", "-"),
        objective="o",
        status=CohortStatus.ACTIVE,
    )
    for n in range(due):
        Commitment.objects.create(
            cohort=cohort,
            owner=cast.member,
            text="t",
            due_on=(NOW - timedelta(days=7)).date(),
            status=CommitmentStatus.DONE if n < done else CommitmentStatus.MISSED,
        )
    return cohort


@pytest.fixture
def five(cast):
    """Five cohorts with follow-through 20, 40, 60, 80, 100% besides the cast's two (nothing
    due: listed last, by name: Design Ops, Platform Reliability)."""
    return [with_follow_through(cast, f"Team {n}", n, 5) for n in (3, 1, 5, 2, 4)]


def shown(response):
    return re.findall(r'<tr id="across-([\w-]+)"', response.content.decode())


def test_organizers_page_through_the_cohorts_lowest_follow_through_first(
    cast, client_for, five, monkeypatch
):
    monkeypatch.setattr(builtins, "ACROSS_PAGE", 3)
    client = client_for(cast.organizer)
    pages = [shown(client.get(url(cast, n))) for n in (1, 2, 3)]
    assert pages == [
        ["team-1", "team-2", "team-3", "total"],
        ["team-4", "team-5", cast.other_cohort.slug, "total"],
        [cast.cohort.slug, "total"],
    ]
    html = client.get(url(cast, 2)).content.decode()
    assert "3 of 7 cohorts" in html and "Page 2 of 3" in html
    assert 'href="?page=1"' in html and 'href="?page=3"' in html
    # The totals are every active cohort's, whatever the page: 15 of 25 due done.
    total = html[html.index('id="across-total"') :]
    assert "All 7 active cohorts" in total and "<td>25</td>" in total
    assert '<td class="figure-follow_through">60%</td>' in total
    # The chart shows the lowest on every page.
    assert "Team 1" in html and "Team 2" in html


def test_a_bad_page_number_shows_the_first_page_and_one_past_the_end_the_last(
    cast, client_for, five, monkeypatch
):
    monkeypatch.setattr(builtins, "ACROSS_PAGE", 3)
    client = client_for(cast.organizer)
    assert shown(client.get(url(cast, "x")))[:3] == ["team-1", "team-2", "team-3"]
    assert shown(client.get(url(cast, 99))) == [cast.cohort.slug, "total"]


def test_the_page_and_the_csv_agree_with_each_cohorts_figures(cast, client_for, five):
    weekly.refresh(Cohort.objects.values_list("pk", flat=True))  # as the worker does
    found = builtins.across_page(cast.network)
    every = builtins.across_cohorts(cast.network)
    assert found.rows == every  # one page holds them all here
    assert found.count == 7
    assert found.lowest == every[:5]  # those with something due
    assert found.total == figures.together([c.pk for c, _ in every])
    csv = client_for(cast.organizer).get(url(cast) + "?format=csv")
    assert len(csv.content.decode().splitlines()) == 1 + 7  # the CSV lists every cohort


def test_archived_and_other_networks_cohorts_are_not_listed(cast, client_for, five):
    five[0].status = CohortStatus.ARCHIVED
    five[0].save()
    other = with_follow_through(cast, "Elsewhere", 0, 2)
    other.network = cast.other_network
    other.save()
    rows = shown(client_for(cast.organizer).get(url(cast)))
    assert "team-3" not in rows and "elsewhere" not in rows and len(rows) == 6 + 1


@pytest.mark.parametrize("person", ["host", "member", "mentor", "other_cohort_member"])
def test_members_who_are_not_organizers_see_no_cohort_list_on_any_page(
    cast, client_for, five, person
):
    response = client_for(getattr(cast, person)).get(url(cast, 2))
    assert response.status_code == 200
    assert "Across the cohorts" not in response.content.decode() and shown(response) == []


def test_people_of_another_network_get_404_and_anonymous_visitors_sign_in(cast, client_for, five):
    assert client_for(cast.outsider).get(url(cast, 2)).status_code == 404
    response = Client().get(url(cast, 2))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_page_costs_the_same_queries_with_3_and_with_30_cohorts(cast, client_for, monkeypatch):
    monkeypatch.setattr(builtins, "ACROSS_PAGE", 3)
    with_follow_through(cast, "Team 0", 1, 2)
    client = client_for(cast.organizer)

    def count(page):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(cast, page)).status_code == 200
        return len(queries)

    weekly.refresh(Cohort.objects.values_list("pk", flat=True))
    small = count(1)
    for n in range(27):
        with_follow_through(cast, f"More {n}", n % 3, 2)
    assert Cohort.objects.filter(network=cast.network, status=CohortStatus.ACTIVE).count() == 30
    weekly.refresh(Cohort.objects.values_list("pk", flat=True)[:20])  # some stored, some live
    assert count(1) == small
    assert count(5) == small
