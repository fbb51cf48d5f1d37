import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify

from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus


def home_url(cast):
    return reverse("networks:home", args=[cast.network.slug])


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for):
    response = client_for(None).get(home_url(cast))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_outsider_gets_404_for_network_home(cast, client_for):
    assert client_for(cast.outsider).get(home_url(cast)).status_code == 404


def test_member_sees_their_cohort_but_not_an_unshared_one(cast, client_for):
    response = client_for(cast.member).get(home_url(cast))
    assert response.status_code == 200
    assert [c.cohort for c in response.context["my_cards"]] == [cast.cohort]
    assert response.context["other_cards"] == []
    assert b"Design Ops" not in response.content


def test_member_sees_their_cohorts_first_then_those_shared_with_the_network(cast, client_for):
    shared = Cohort.objects.create(
        network=cast.network,
        name="Analytics Circle",
        slug="analytics",
        objective="Share.",
        shared_with_network=True,
    )
    response = client_for(cast.member).get(home_url(cast))
    assert [c.cohort for c in response.context["my_cards"]] == [cast.cohort]
    assert [c.cohort for c in response.context["other_cards"]] == [shared]
    content = response.content.decode()
    assert content.index("Platform Reliability") < content.index("Analytics Circle")
    assert "Shared with the network" in content


def test_organizer_sees_every_cohort_with_its_status(cast, client_for):
    cast.other_cohort.status = CohortStatus.PAUSED
    cast.other_cohort.save()
    response = client_for(cast.organizer).get(home_url(cast))
    assert response.context["my_cards"] == []
    assert {c.cohort for c in response.context["other_cards"]} == {cast.cohort, cast.other_cohort}
    assert b"status-paused" in response.content
    assert reverse("networks:invitations", args=[cast.network.slug]).encode() in response.content


def test_member_has_no_invitations_link(cast, client_for):
    response = client_for(cast.member).get(home_url(cast))
    assert reverse("networks:invitations", args=[cast.network.slug]).encode() not in (
        response.content
    )


def test_partner_sees_home_without_directory_link(cast, client_for):
    response = client_for(cast.partner).get(home_url(cast))
    assert response.status_code == 200
    assert not response.context["can_view_directory"]
    assert response.context["other_cards"] == []
    assert b"People in Northwind" not in response.content


def test_newcomer_is_asked_to_accept_the_code_of_conduct(cast, client_for):
    response = client_for(cast.newcomer).get(home_url(cast))
    assert response.context["must_accept_conduct"]
    assert b"Please read and accept the code of conduct" in response.content
    conduct = reverse("networks:conduct", args=[cast.network.slug])
    assert f'href="{conduct}?next=' in response.content.decode()


def test_member_who_accepted_sees_no_conduct_banner(cast, client_for):
    response = client_for(cast.member).get(home_url(cast))
    assert b"Please read and accept" not in response.content


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "mentor", "other_cohort_member"])
def test_every_network_member_can_open_the_home(cast, client_for, who):
    assert client_for(getattr(cast, who)).get(home_url(cast)).status_code == 200


def test_other_cohorts_come_twelve_a_page_and_my_cohorts_on_every_page(cast, client_for):
    for n in range(14):
        Cohort.objects.create(
            network=cast.network,
            name=f"Shared {n:02}",
            slug=f"shared-{n}",
            objective="Share.",
            shared_with_network=True,
        )
    first = client_for(cast.member).get(home_url(cast))
    assert [c.cohort for c in first.context["my_cards"]] == [cast.cohort]
    assert [c.cohort.name for c in first.context["other_cards"]] == [
        f"Shared {n:02}" for n in range(12)
    ]
    assert all("active_members" in c.figures for c in first.context["other_cards"])
    content = first.content.decode()
    assert '<a href="?page=2">More cohorts</a>' in content
    second = client_for(cast.member).get(home_url(cast) + "?page=2")
    assert [c.cohort for c in second.context["my_cards"]] == [cast.cohort]
    assert [c.cohort.name for c in second.context["other_cards"]] == ["Shared 12", "Shared 13"]
    assert "More cohorts" not in second.content.decode()


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def _cohort(cast, name, *, mine=False, **fields):
    cohort = Cohort.objects.create(
        network=cast.network, name=name, slug=slugify(name), objective="Share.", **fields
    )
    if mine:
        CohortMembership.objects.create(cohort=cohort, user=cast.member)
    return cohort


def test_the_member_home_costs_the_same_queries_however_many_cohorts_it_lists(cast, client_for):
    client = client_for(cast.member)
    _cohort(cast, "Shared 0", shared_with_network=True)
    few = _queries(client, home_url(cast))
    for n in range(1, 8):
        _cohort(cast, f"Shared {n}", shared_with_network=True)
    for n in range(3):
        _cohort(cast, f"Mine {n}", mine=True)
    _cohort(cast, "Mine archived", mine=True, status=CohortStatus.ARCHIVED)
    many = _queries(client, home_url(cast))
    assert many == few
    assert _queries(client, home_url(cast) + "?archived=1") == few
