"""The health pages: who sees what, the network's view, its sorting and filters, the
settings form and the refresh buttons."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.formation.models import FormationRun, Intake
from cadre.health import facts
from cadre.health.models import CohortHealth, HealthSettings
from cadre.networks.models import NetworkMembership
from cadre.repository.models import RepositoryItem
from cadre.schedule.models import MentorMatch, MentorSettings, RoleAssignment, Session
from cadre.testing import make_user

from .helpers import blocker, falling_attendance, recent_updates, settle_in

COHORT_URL = "/n/northwind/health/c/reliability/"
NETWORK_URL = "/n/northwind/health/"
SETTINGS_URL = "/n/northwind/health/settings/"


@pytest.fixture
def drifting(cast):
    """The reliability cohort drifts: attendance fell and Mo's blocker waits for help."""
    c = cast.cohort
    settle_in(c)
    falling_attendance(c, [cast.host, cast.member, cast.newcomer])
    recent_updates(c)
    blocker(cast.member, c, 3, text="Need read access to the incident database")
    recent_updates(cast.other_cohort)
    facts.refresh(facts.tracked_cohorts())
    return cast


def who(cast, key):
    return None if key == "anonymous" else getattr(cast, key)


# --- the cohort's page -------------------------------------------------------------------


@pytest.mark.parametrize("person", ["host", "organizer", "admin"])
def test_hosts_and_organizers_see_the_signals_with_names(drifting, client_for, person):
    response = client_for(who(drifting, person)).get(COHORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Attendance is falling" in page and "Blockers without an offer of help" in page
    assert "Mo Member: “Need read access to the incident database”" in page
    assert "What to do:" in page and "Computed" in page
    assert "Refresh now" in page


def test_a_member_sees_a_summary_without_names(drifting, client_for):
    response = client_for(drifting.member).get(COHORT_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Blockers without an offer of help" in page and "1 blocker waited 48 hours" in page
    assert "Mo Member:" not in page and "incident database" not in page
    assert "Refresh now" not in page


def test_the_facilitator_of_the_next_session_sees_names(drifting, client_for):
    session = Session.objects.create(
        cohort=drifting.cohort, starts_at=timezone.now() + timedelta(days=2)
    )
    RoleAssignment.objects.create(session=session, role="facilitator", user=drifting.member)
    page = client_for(drifting.member).get(COHORT_URL).content.decode()
    assert "Mo Member: “Need read access" in page
    assert "Refresh now" not in page  # refreshing stays with hosts and organizers


@pytest.mark.parametrize("person", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404(drifting, client_for, person):
    assert client_for(who(drifting, person)).get(COHORT_URL).status_code == 404
    url = COHORT_URL + "refresh/"
    assert client_for(who(drifting, person)).post(url).status_code == 404


def test_network_members_of_a_shared_cohort_get_404(drifting, client_for):
    Cohort.objects.filter(pk=drifting.cohort.pk).update(shared_with_network=True)
    assert client_for(drifting.other_cohort_member).get(COHORT_URL).status_code == 404


def test_anonymous_is_sent_to_sign_in_and_the_newcomer_to_the_code_of_conduct(drifting, client_for):
    assert "/accounts/login/" in client_for(None).get(COHORT_URL)["Location"]
    assert "/conduct/" in client_for(drifting.newcomer).get(COHORT_URL)["Location"]


def test_the_cohort_page_links_to_health_for_those_who_may_see_it(drifting, client_for):
    detail = "/n/northwind/c/reliability/"
    assert COHORT_URL in client_for(drifting.member).get(detail).content.decode()
    Cohort.objects.filter(pk=drifting.cohort.pk).update(shared_with_network=True)
    assert COHORT_URL not in client_for(drifting.mentor).get(detail).content.decode()


def test_a_host_refreshes_now_and_a_member_may_not(drifting, client_for):
    CohortHealth.objects.filter(cohort=drifting.cohort).update(
        computed_at=timezone.now() - timedelta(days=3), signals=[]
    )
    assert client_for(drifting.member).post(COHORT_URL + "refresh/").status_code == 403
    response = client_for(drifting.host).post(COHORT_URL + "refresh/")
    assert response.status_code == 302
    snapshot = CohortHealth.objects.get(cohort=drifting.cohort)
    assert snapshot.signals and timezone.now() - snapshot.computed_at < timedelta(minutes=1)


def test_a_cohort_without_a_snapshot_says_so(cast, client_for):
    page = client_for(cast.host).get(COHORT_URL).content.decode()
    assert "Not computed yet" in page


# --- the network's view --------------------------------------------------------------------


@pytest.mark.parametrize("person", ["organizer", "admin"])
def test_organizers_see_every_cohort_with_its_reason_in_words(drifting, client_for, person):
    response = client_for(who(drifting, person)).get(NETWORK_URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Platform Reliability" in page and "Design Ops" in page
    assert "Drifting" in page and "Attendance is falling" in page
    assert "Attendance fell from 100% in the 3 sessions before to 33%" in page
    assert "50%" in page and "down 50 points" in page  # 4 weeks against the 4 before
    assert "Oldest figure on this page computed" in page


@pytest.mark.parametrize(
    "person", ["host", "member", "other_cohort_member", "mentor", "partner", "outsider"]
)
def test_everyone_else_gets_404_for_the_network_view(drifting, client_for, person):
    client = client_for(who(drifting, person))
    assert client.get(NETWORK_URL).status_code == 404
    assert client.get(SETTINGS_URL).status_code == 404
    assert client.post(NETWORK_URL + "refresh/").status_code == 404


def test_anonymous_is_sent_to_sign_in_for_the_network_view(drifting, client_for):
    assert "/accounts/login/" in client_for(None).get(NETWORK_URL)["Location"]
    assert client_for(drifting.newcomer).get(NETWORK_URL).status_code == 404


def _order(page: str) -> list[str]:
    """The two cohorts in the order the table lists them."""
    names = ("Platform Reliability", "Design Ops")
    assert all(name in page for name in names)
    return sorted(names, key=page.index)


def test_the_table_sorts_by_query_parameter_both_ways(drifting, client_for):
    client = client_for(drifting.organizer)
    worst_first = client.get(NETWORK_URL).content.decode()
    assert _order(worst_first) == ["Platform Reliability", "Design Ops"]
    by_name = client.get(NETWORK_URL + "?sort=name").content.decode()
    assert _order(by_name) == ["Design Ops", "Platform Reliability"]
    assert 'aria-sort="ascending"' in by_name and "?sort=-name" in by_name
    reverse = client.get(NETWORK_URL + "?sort=-name").content.decode()
    assert _order(reverse) == ["Platform Reliability", "Design Ops"]
    blockers = client.get(NETWORK_URL + "?sort=-blockers").content.decode()
    assert _order(blockers) == ["Platform Reliability", "Design Ops"]
    nonsense = client.get(NETWORK_URL + "?sort=password").status_code
    assert nonsense == 200


def test_htmx_sorting_answers_only_the_table(drifting, client_for):
    response = client_for(drifting.organizer).get(
        NETWORK_URL + "?sort=name", headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="health-table"') and "<html" not in page
    assert _order(page) == ["Design Ops", "Platform Reliability"]


def test_filters_by_health_status_intake_and_function(drifting, client_for):
    client = client_for(drifting.organizer)
    page = client.get(NETWORK_URL + "?status=drifting").content.decode()
    assert "Platform Reliability" in page and "/c/design-ops/" not in page
    intake = Intake.objects.create(
        network=drifting.network,
        title="Spring intake",
        slug="spring",
        objective="o",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + timedelta(days=9),
    )
    FormationRun.objects.create(intake=intake, published_cohorts=[drifting.other_cohort.pk])
    page = client.get(NETWORK_URL + "?intake=spring").content.decode()
    assert "/c/design-ops/" in page and "/c/reliability/" not in page
    assert (
        "/c/"
        not in client.get(NETWORK_URL + "?intake=nope")
        .content.decode()
        .split("<tbody>")[1]
        .split("</tbody>")[0]
    )
    drifting.other_cohort_member.profile.function = "Design"
    drifting.other_cohort_member.profile.save()
    facts.refresh([drifting.other_cohort])
    page = client.get(NETWORK_URL + "?function=design").content.decode()
    assert "/c/design-ops/" in page and "/c/reliability/" not in page
    assert '<option value="Design"' in page


def test_the_network_view_shows_reuse_and_mentors_load(drifting, client_for):
    RepositoryItem.objects.create(
        network=drifting.network,
        title="Game day playbook",
        kind="template",
        body="b",
        visibility="network",
        author=drifting.host,
        reuse_count=4,
    )
    mentor_membership = NetworkMembership.objects.get(
        network=drifting.network, user=drifting.mentor
    )
    MentorSettings.objects.create(membership=mentor_membership, capacity=1)
    for newcomer in (drifting.member, drifting.newcomer):
        MentorMatch.objects.create(
            network=drifting.network, mentor=drifting.mentor, newcomer=newcomer
        )
    page = client_for(drifting.organizer).get(NETWORK_URL).content.decode()
    assert "Game day playbook" in page and "reused 4 times" in page
    assert "Mei Mentor" in page and "over capacity" in page


def test_the_network_view_costs_the_same_queries_with_more_cohorts(drifting, client_for):
    client = client_for(drifting.organizer)
    client.get(NETWORK_URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(NETWORK_URL).status_code == 200
    for i in range(8):
        c = Cohort.objects.create(
            network=drifting.network,
            name=f"Extra {i}",
            slug=f"extra-{i}",
            objective="o",
            status="active",
        )
        user = make_user(f"x{i}@northwind.test", f"X {i}")
        CohortMembership.objects.create(cohort=c, user=user)
        blocker(user, c, 5)
    facts.refresh(facts.tracked_cohorts())
    with CaptureQueriesContext(connection) as many:
        page = client.get(NETWORK_URL).content.decode()
    assert "Extra 7" in page
    assert len(many) == len(few)


def test_the_network_view_reads_the_most_reused_items_without_a_query_each(drifting, client_for):
    client = client_for(drifting.organizer)

    def reused(n):
        RepositoryItem.objects.create(
            network=drifting.network,
            title=f"Playbook {n}",
            kind="template",
            body="b",
            visibility="network",
            author=drifting.host,
            reuse_count=n + 1,
        )
        with CaptureQueriesContext(connection) as queries:
            page = client.get(NETWORK_URL).content.decode()
        assert f"Playbook {n}" in page
        return len(queries)

    assert reused(0) == reused(1) == reused(2) == reused(3)


def test_the_network_view_lists_the_cohorts_a_page_at_a_time(drifting, client_for):
    from cadre.health import views

    for i in range(views.PAGE_SIZE):
        Cohort.objects.create(
            network=drifting.network, name=f"Extra {i:02}", slug=f"extra-{i}", status="active"
        )
    facts.refresh(facts.tracked_cohorts())
    client = client_for(drifting.organizer)
    first = client.get(NETWORK_URL + "?sort=name").content.decode()
    second = client.get(NETWORK_URL + "?sort=name&page=2").content.decode()
    body = first.split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr") == views.PAGE_SIZE == 25
    assert "Extra 00" in first and "Extra 24" not in first
    assert "Extra 24" in second.split("<tbody>")[1]


def test_refresh_now_queues_the_network_for_the_worker(drifting, client_for):
    response = client_for(drifting.organizer).post(NETWORK_URL + "refresh/")
    assert response.status_code == 302
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_network_health")
    assert queued.count() == 1 and queued.get().args_kwargs["args"] == [drifting.network.pk]


# --- the settings -----------------------------------------------------------------------------


def test_an_organizer_changes_thresholds_and_the_cohorts_are_recomputed(drifting, client_for):
    client = client_for(drifting.organizer)
    page = client.get(SETTINGS_URL).content.decode()
    assert 'value="48"' in page and "Blocker wait (hours)" in page
    data = {name: getattr(HealthSettings(), name) for name in HealthSettings.FIELDS}
    response = client.post(SETTINGS_URL, {**data, "blocker_wait_hours": 96})
    assert response.status_code == 302
    assert HealthSettings.objects.get(network=drifting.network).blocker_wait_hours == 96
    assert DBTaskResult.objects.filter(task_path__endswith="refresh_network_health").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attendance_window", 1, "Choose between 2 and 12 sessions."),
        ("attendance_drop_points", 81, "Choose between 5 and 80 percentage points."),
        ("blocker_wait_hours", 11, "Choose between 12 and 336 hours."),
        ("charter_grace_days", -1, "Choose between 0 and 90 days."),
        ("update_gap_days", "soon", "“Days without an update” must be a whole number."),
        ("role_repeat", "", "Enter a number for “Sessions in the same role”."),
    ],
)
def test_thresholds_out_of_range_are_refused_with_a_clear_message(
    drifting, client_for, field, value, message
):
    data = {name: getattr(HealthSettings(), name) for name in HealthSettings.FIELDS}
    response = client_for(drifting.admin).post(
        SETTINGS_URL, {**data, "missed_in_a_row": 4, field: value}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not HealthSettings.objects.exists()  # nothing half saved


def test_an_organizer_who_has_not_accepted_the_code_of_conduct_is_sent_to_it(drifting, client_for):
    from cadre.networks.models import CodeOfConductAcceptance

    CodeOfConductAcceptance.objects.filter(user=drifting.organizer).delete()
    response = client_for(drifting.organizer).get(NETWORK_URL + "?sort=name")
    assert response.status_code == 302
    assert response["Location"].startswith("/n/northwind/conduct/?next=")
    assert "sort%3Dname" in response["Location"] or "sort=name" in response["Location"]


def test_a_cohort_that_stopped_is_no_longer_listed(drifting, client_for):
    Cohort.objects.filter(pk=drifting.cohort.pk).update(status="completed")
    page = client_for(drifting.organizer).get(NETWORK_URL).content.decode()
    assert "/c/reliability/" not in page and "/c/design-ops/" in page
    assert "0</strong> drifting" in page
    cohort_page = client_for(drifting.host).get(COHORT_URL).content.decode()
    assert "Health is followed while a cohort is active" in cohort_page


def test_the_all_cohorts_link_is_only_for_those_who_may_open_that_page(cast, client_for):
    from django.urls import reverse

    page = reverse("health:cohort", args=[cast.network.slug, cast.cohort.slug])
    overview = reverse("health:network", args=[cast.network.slug])
    host_page = client_for(cast.host).get(page)
    assert host_page.status_code == 200
    assert f'href="{overview}"' not in host_page.content.decode()
    assert client_for(cast.host).get(overview).status_code == 404
    assert f'href="{overview}"' in client_for(cast.organizer).get(page).content.decode()
