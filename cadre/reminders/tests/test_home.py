from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from .helpers import block, commit, experiment, rate, report, skill


def home(cast) -> str:
    return reverse("networks:home", args=[cast.network.slug])


@pytest.fixture
def week(cast):
    """The member's week, and the same kinds of things in another cohort and network."""
    now = timezone.now()
    data = skill(cast.network)
    rate(cast.member, data, 4)
    rate(cast.other_cohort_member, data, 4)
    from cadre.schedule.models import RoleAssignment, Session

    session = Session.objects.create(cohort=cast.cohort, starts_at=now + timedelta(days=2))
    RoleAssignment.objects.create(session=session, role="note-taker", user=cast.member)
    Session.objects.create(cohort=cast.other_cohort, starts_at=now + timedelta(hours=3))
    today = timezone.localdate()
    commit(cast.member, cast.cohort, today + timedelta(days=4), text="Publish the runbook")
    commit(cast.member, cast.cohort, today + timedelta(days=1), text="Book the game day")
    commit(cast.other_cohort_member, cast.other_cohort, today, text="Oscar's secret plan")
    block(cast.host, cast.cohort, data, text="Dashboard numbers disagree")
    block(cast.other_cohort_member, cast.other_cohort, data, text="Figma export breaks")
    experiment(cast.member, cast.cohort, title="Game day every sprint")
    experiment(cast.other_cohort_member, cast.other_cohort, title="Async design crits")
    report(cast.cohort)
    report(cast.other_cohort)
    return session


def test_the_member_home_shows_my_week_soonest_first(cast, client_for, week):
    text = client_for(cast.member).get(home(cast)).text
    assert "My week" in text
    assert "You are <strong>note-taker</strong>" in text
    assert text.index("Book the game day") < text.index("Publish the runbook")
    assert "Dashboard numbers disagree" in text
    assert "Game day every sprint" in text
    assert text.count("Platform Reliability: Session,") == 1  # one recent report


def test_the_member_home_shows_nothing_from_other_cohorts(cast, client_for, week):
    text = client_for(cast.member).get(home(cast)).text
    for secret in ["Oscar&#x27;s secret plan", "Figma export breaks", "Async design crits"]:
        assert secret not in text
    assert "Design Ops: Session" not in text


def test_another_cohorts_member_sees_only_their_own_week(cast, client_for, week):
    text = client_for(cast.other_cohort_member).get(home(cast)).text
    assert "Oscar&#x27;s secret plan" in text and "Figma export breaks" not in text  # own blocker
    assert "Publish the runbook" not in text and "Dashboard numbers disagree" not in text


def test_a_partner_in_no_cohort_has_no_week_section(cast, client_for, week):
    response = client_for(cast.partner).get(home(cast))
    assert response.status_code == 200 and "My week" not in response.text


def test_outsiders_and_anonymous_people_do_not_see_the_network_home(cast, client_for, week):
    assert client_for(cast.outsider).get(home(cast)).status_code == 404
    assert client_for(None).get(home(cast)).status_code == 302


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _grow(cast, n: int, tag: str) -> None:
    data = skill(cast.network)
    today = timezone.localdate()
    for k in range(n):
        commit(cast.member, cast.cohort, today + timedelta(days=k % 6), text=f"{tag} {k}")
        block(cast.host, cast.cohort, data, text=f"{tag} blocker {k}")
        experiment(cast.member, cast.cohort, title=f"{tag} experiment {k}")
        report(cast.cohort, days_ago=k + 1)


def test_the_member_home_issues_the_same_number_of_queries_whatever_the_data_size(
    cast, client_for, week
):
    client = client_for(cast.member)
    _grow(cast, 2, "few")
    small = _count(client, home(cast))
    _grow(cast, 25, "many")
    large = _count(client, home(cast))
    assert small == large


def test_the_cohort_board_issues_the_same_number_of_queries_whatever_the_data_size(
    cast, client_for, week
):
    client = client_for(cast.member)
    board = reverse("accountability:board", args=[cast.network.slug, cast.cohort.slug])
    _grow(cast, 2, "few")
    small = _count(client, board)
    _grow(cast, 25, "many")
    large = _count(client, board)
    assert small == large
