"""The lifecycle pages (new cohort, settings, status, members and their actions), tried by
everyone who may and may not use them."""

from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from cadre.cohorts.models import Cohort, CohortMembership, CohortRole, CohortStatus

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

# Who sees the cohort but may not manage it, and who does not see it at all.
SEES_BUT_MAY_NOT = ["member"]
CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]
ORGANIZER_PAGES = ["status", "members"]


def new_url(cast: Any) -> str:
    return reverse("cohorts:new", args=[cast.network.slug])


def member_url(cast: Any, name: str, person: Any) -> str:
    return reverse(f"cohorts:{name}", args=[cast.network.slug, cast.cohort.slug, person.pk])


def cohort_body(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "Data Guild",
        "slug": "data-guild",
        "objective": "Ship one dashboard each.",
        "outcomes": "Five dashboards\r\nOne template",
        "time_zone": "America/Chicago",
        "cadence": "biweekly",
        "starts_on": "2026-04-01",
        "session_minutes": "90",
        "shared_with_network": "on",
    }
    body.update(changes)
    return body


# --- new cohort ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_create_a_cohort_on_the_page(cast: Any, client_for: Any, who: str) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(new_url(cast)).status_code == 200
    response = client.post(new_url(cast), cohort_body(hosts=[str(cast.mentor.pk)]))
    cohort = Cohort.objects.get(network=cast.network, slug="data-guild")
    assert response.status_code == 302 and response.url == cohort.get_absolute_url()
    assert cohort.status == CohortStatus.FORMING
    assert cohort.outcome_list() == ["Five dashboards", "One template"]
    assert CohortMembership.objects.get(cohort=cohort, user=cast.mentor).role == CohortRole.HOST


def test_the_new_cohort_page_shows_the_services_refusal_on_its_field(
    cast: Any, client_for: Any
) -> None:
    response = client_for(cast.organizer).post(new_url(cast), cohort_body(slug="reliability"))
    assert response.status_code == 200
    assert "already has a cohort with the slug" in response.content.decode()


@pytest.mark.parametrize("who", ["host", "member", "mentor", "other_cohort_member"])
def test_others_of_the_network_may_not_create_a_cohort(
    cast: Any, client_for: Any, who: str
) -> None:
    client = client_for(getattr(cast, who))
    assert client.get(new_url(cast)).status_code == 403
    assert client.post(new_url(cast), cohort_body()).status_code == 403
    assert not Cohort.objects.filter(slug="data-guild").exists()


def test_the_new_cohort_page_is_404_outside_the_network_and_asks_anonymous_to_sign_in(
    cast: Any, client_for: Any, client: Any
) -> None:
    response = client.get(new_url(cast))
    assert response.status_code == 302 and "login" in response.url
    assert client_for(cast.outsider).get(new_url(cast)).status_code == 404
    assert client_for(cast.partner).get(new_url(cast)).status_code == 403


def test_a_newcomer_organizer_accepts_the_code_first(cast: Any, client_for: Any) -> None:
    from cadre.networks.models import NetworkMembership, Role

    NetworkMembership.objects.filter(user=cast.newcomer).update(role=Role.ORGANIZER)
    response = client_for(cast.newcomer).get(new_url(cast))
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert quote(new_url(cast)) in response.url


# --- settings ------------------------------------------------------------------------------


def test_a_host_sees_only_the_fields_a_host_changes(cast: Any, client_for: Any, url: Any) -> None:
    client = client_for(cast.host)
    page = client.get(url("edit")).content.decode()
    assert 'name="cadence"' in page and 'name="name"' not in page and 'name="hosts"' not in page
    response = client.post(
        url("edit"),
        {
            "objective": "Recover in minutes.",
            "outcomes": "",
            "time_zone": "Europe/Paris",
            "cadence": "weekly",
            "session_minutes": "45",
            # A field a host may not change is ignored by the form, not saved.
            "name": "Hijacked",
        },
    )
    assert response.status_code == 302
    cast.cohort.refresh_from_db()
    assert (cast.cohort.time_zone, cast.cohort.name) == ("Europe/Paris", "Platform Reliability")


def test_an_organizer_renames_and_picks_hosts(cast: Any, client_for: Any, url: Any) -> None:
    response = client_for(cast.organizer).post(
        url("edit"), cohort_body(name="SRE", slug="reliability", hosts=[str(cast.member.pk)])
    )
    assert response.status_code == 302
    cast.cohort.refresh_from_db()
    assert cast.cohort.name == "SRE"
    roles = dict(CohortMembership.objects.filter(cohort=cast.cohort).values_list("user_id", "role"))
    assert roles[cast.member.pk] == "host" and roles[cast.host.pk] == "member"


@pytest.mark.parametrize("who", SEES_BUT_MAY_NOT)
@pytest.mark.parametrize("page", ["edit", *ORGANIZER_PAGES])
def test_members_get_404_for_the_cohorts_management_pages(
    cast: Any, client_for: Any, url: Any, who: str, page: str
) -> None:
    assert client_for(getattr(cast, who)).get(url(page)).status_code == 404


@pytest.mark.parametrize("page", ORGANIZER_PAGES)
def test_hosts_get_404_for_the_organizers_pages(
    cast: Any, client_for: Any, url: Any, page: str
) -> None:
    assert client_for(cast.host).get(url(page)).status_code == 404


@pytest.mark.parametrize("who", CANNOT_SEE)
@pytest.mark.parametrize("page", ["edit", *ORGANIZER_PAGES])
def test_people_outside_the_cohort_get_404(
    cast: Any, client_for: Any, url: Any, who: str, page: str
) -> None:
    assert client_for(getattr(cast, who)).get(url(page)).status_code == 404


@pytest.mark.parametrize("page", ["edit", *ORGANIZER_PAGES])
def test_anonymous_people_sign_in_and_newcomers_accept_the_code(
    cast: Any, client_for: Any, client: Any, url: Any, page: str
) -> None:
    assert "login" in client.get(url(page)).url
    assert "conduct" in client_for(cast.newcomer).get(url(page)).url


# --- status --------------------------------------------------------------------------------


def test_the_status_page_offers_the_next_statuses_and_refuses_others(
    cast: Any, client_for: Any, url: Any
) -> None:
    client = client_for(cast.organizer)
    page = client.get(url("status")).content.decode()
    assert 'value="paused"' in page and 'value="completed"' in page
    assert 'value="archived"' not in page
    refused = client.post(url("status"), {"status": "archived"})
    assert refused.status_code == 400
    assert "Complete the cohort before archiving it." in refused.content.decode()
    assert client.post(url("status"), {"status": "completed"}).status_code == 302
    cast.cohort.refresh_from_db()
    assert cast.cohort.status == CohortStatus.COMPLETED
    detail = client_for(cast.member).get(url("detail")).content.decode()
    assert "The cohort has finished." in detail


@pytest.mark.parametrize("who", ["host", "member", "other_cohort_member"])
def test_others_cannot_post_a_status(cast: Any, client_for: Any, url: Any, who: str) -> None:
    assert (
        client_for(getattr(cast, who)).post(url("status"), {"status": "paused"}).status_code == 404
    )
    cast.cohort.refresh_from_db()
    assert cast.cohort.status == CohortStatus.ACTIVE


# --- members -------------------------------------------------------------------------------


def test_an_organizer_adds_removes_moves_and_changes_roles(
    cast: Any, client_for: Any, url: Any
) -> None:
    client = client_for(cast.organizer)
    roster = client.get(url("members")).content.decode()
    assert "Mo Member" in roster and "Mei Mentor" in roster  # Mei can be added
    response = client.post(url("member_add"), {"person": cast.mentor.pk, "role": "member"})
    assert response.status_code == 302
    assert CohortMembership.objects.get(cohort=cast.cohort, user=cast.mentor).is_active

    confirm = client.get(member_url(cast, "member_remove", cast.mentor))
    assert confirm.status_code == 200 and "Their commitments" in confirm.content.decode()
    assert CohortMembership.objects.get(cohort=cast.cohort, user=cast.mentor).is_active
    assert client.post(member_url(cast, "member_remove", cast.mentor)).status_code == 302
    assert not CohortMembership.objects.get(cohort=cast.cohort, user=cast.mentor).is_active

    response = client.post(member_url(cast, "member_role", cast.member), {"role": "host"})
    assert response.status_code == 302
    assert CohortMembership.objects.get(cohort=cast.cohort, user=cast.member).role == "host"

    response = client.post(member_url(cast, "member_move", cast.member), {"to": "design-ops"})
    assert response.status_code == 302
    assert CohortMembership.objects.get(cohort=cast.other_cohort, user=cast.member).is_active
    assert not CohortMembership.objects.get(cohort=cast.cohort, user=cast.member).is_active


def test_roster_refusals_show_on_the_members_page(cast: Any, client_for: Any, url: Any) -> None:
    client = client_for(cast.organizer)
    response = client.post(member_url(cast, "member_role", cast.member), {"role": "observer"})
    assert response.status_code == 400
    assert "Choose member or host." in response.content.decode()
    response = client.post(member_url(cast, "member_move", cast.member), {"to": "nowhere"})
    assert response.status_code == 400


def test_removing_someone_not_in_the_cohort_is_404(cast: Any, client_for: Any) -> None:
    client = client_for(cast.organizer)
    assert client.get(member_url(cast, "member_remove", cast.mentor)).status_code == 404
    assert client.get(member_url(cast, "member_remove", cast.outsider)).status_code == 404


@pytest.mark.parametrize("who", ["host", "member", *CANNOT_SEE])
def test_nobody_else_changes_the_roster(cast: Any, client_for: Any, who: str) -> None:
    client = client_for(getattr(cast, who))
    posts = [
        (
            reverse("cohorts:member_add", args=["northwind", "reliability"]),
            {"person": cast.mentor.pk},
        ),
        (member_url(cast, "member_remove", cast.member), {}),
        (member_url(cast, "member_role", cast.member), {"role": "host"}),
        (member_url(cast, "member_move", cast.member), {"to": "design-ops"}),
    ]
    for path, body in posts:
        assert client.post(path, body).status_code == 404
    membership = CohortMembership.objects.get(cohort=cast.cohort, user=cast.member)
    assert membership.is_active and membership.role == "member"
    assert not CohortMembership.objects.filter(cohort=cast.cohort, user=cast.mentor).exists()


def test_the_network_home_leaves_archived_cohorts_out_unless_asked(
    cast: Any, client_for: Any
) -> None:
    Cohort.objects.filter(pk=cast.other_cohort.pk).update(status=CohortStatus.ARCHIVED)
    client = client_for(cast.organizer)
    home = reverse("networks:home", args=["northwind"])
    page = client.get(home).content.decode()
    assert "Design Ops" not in page and "1 archived cohort not listed" in page
    assert "Design Ops" in client.get(home + "?archived=1").content.decode()
