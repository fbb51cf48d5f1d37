"""Every cohort page tried by the people who may open it and the people who may not."""

from urllib.parse import quote

import pytest
from django.urls import reverse

from .helpers import valid_charter_data

ALL_GETS = ["detail", "charter_edit", "charter_history", "charter_diff", "statement_edit"]
CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]


def get(client, url, name):
    query = {"from": 1, "to": 1} if name == "charter_diff" else {}
    return client.get(url(name, **query))


@pytest.mark.parametrize("person", ["admin", "organizer", "host", "member"])
@pytest.mark.parametrize("page", ["detail", "charter_history"])
def test_cohort_members_and_organizers_can_read_the_cohort_pages(
    cast, client_for, url, person, page
):
    response = client_for(getattr(cast, person)).get(url(page))
    assert response.status_code == 200
    assert cast.cohort.name in response.content.decode()


@pytest.mark.parametrize("person", ["admin", "organizer", "host", "member"])
def test_cohort_members_and_organizers_can_read_a_charter_diff(cast, client_for, url, person):
    cast.cohort.add_charter_version(
        created_by=cast.host, based_on=1, **_changed_fields(cast.cohort.current_charter())
    )
    response = client_for(getattr(cast, person)).get(url("charter_diff", **{"from": 1, "to": 2}))
    assert response.status_code == 200


@pytest.mark.parametrize("person", CANNOT_SEE)
@pytest.mark.parametrize("page", ALL_GETS)
def test_people_outside_the_cohort_get_404_for_every_cohort_page(
    cast, client_for, url, person, page
):
    response = get(client_for(getattr(cast, person)), url, page)
    assert response.status_code == 404
    assert b"Secret mission" not in response.content


@pytest.mark.parametrize("person", CANNOT_SEE)
def test_people_outside_the_cohort_get_404_for_acknowledging_its_charter(
    cast, client_for, url, person
):
    response = client_for(getattr(cast, person)).post(url("charter_acknowledge"))
    assert response.status_code == 404
    assert not cast.cohort.current_charter().acknowledgements.exists()


@pytest.mark.parametrize("person", CANNOT_SEE)
def test_people_outside_the_cohort_get_404_for_posting_a_charter(cast, client_for, url, person):
    response = client_for(getattr(cast, person)).post(url("charter_edit"), valid_charter_data())
    assert response.status_code == 404
    assert cast.cohort.charters.count() == 1


def test_member_of_other_cohort_gets_404_for_cohort_page(cast, client_for, url):
    assert client_for(cast.other_cohort_member).get(url("detail")).status_code == 404


def test_a_cohort_in_another_network_is_404_even_for_its_organizer_under_the_wrong_network(
    cast, client_for
):
    path = reverse("cohorts:detail", args=[cast.other_network.slug, cast.cohort.slug])
    assert client_for(cast.outsider).get(path).status_code == 404


@pytest.mark.parametrize("page", ALL_GETS)
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, url, page):
    response = get(client_for(None), url, page)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_anonymous_visitors_are_sent_to_sign_in_before_acknowledging(cast, client_for, url):
    response = client_for(None).post(url("charter_acknowledge"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", ALL_GETS)
def test_newcomer_who_has_not_accepted_the_conduct_code_is_sent_to_accept_it(
    cast, client_for, url, page
):
    response = get(client_for(cast.newcomer), url, page)
    full_path = url(page, **({"from": 1, "to": 1} if page == "charter_diff" else {}))
    assert response.status_code == 302
    assert response.url == (
        reverse("networks:conduct", args=["northwind"]) + "?next=" + quote(full_path)
    )


def test_newcomer_posting_an_acknowledgement_is_sent_to_the_conduct_code_then_the_cohort_page(
    cast, client_for, url
):
    response = client_for(cast.newcomer).post(url("charter_acknowledge"))
    assert response.status_code == 302
    assert response.url == (
        reverse("networks:conduct", args=["northwind"]) + "?next=" + quote(url("detail"))
    )
    assert not cast.cohort.current_charter().acknowledgements.exists()


def test_newcomer_acknowledging_through_htmx_is_redirected_by_htmx(cast, client_for, url):
    response = client_for(cast.newcomer).post(url("charter_acknowledge"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("networks:conduct", args=["northwind"]))


def test_newcomer_after_accepting_the_conduct_code_sees_the_cohort(cast, client_for, url):
    from cadre.networks.models import CodeOfConductAcceptance

    CodeOfConductAcceptance.objects.create(
        code=cast.network.current_code_of_conduct(), user=cast.newcomer
    )
    assert client_for(cast.newcomer).get(url("detail")).status_code == 200


# --- shared with the network ----------------------------------------------------------------


@pytest.fixture
def shared(cast):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    return cast


@pytest.mark.parametrize("person", ["other_cohort_member", "mentor"])
@pytest.mark.parametrize("page", ["detail", "charter_history"])
def test_network_members_can_read_a_cohort_shared_with_the_network(
    shared, client_for, url, person, page
):
    response = client_for(getattr(shared, person)).get(url(page))
    assert response.status_code == 200
    assert shared.cohort.name in response.content.decode()


@pytest.mark.parametrize("person", ["partner", "outsider"])
@pytest.mark.parametrize("page", ALL_GETS)
def test_partners_and_outsiders_get_404_even_for_a_shared_cohort(
    shared, client_for, url, person, page
):
    assert get(client_for(getattr(shared, person)), url, page).status_code == 404


@pytest.mark.parametrize("person", ["other_cohort_member", "mentor"])
def test_network_members_reading_a_shared_cohort_get_403_for_editing_its_charter(
    shared, client_for, url, person
):
    client = client_for(getattr(shared, person))
    assert client.get(url("charter_edit")).status_code == 403
    assert client.post(url("charter_edit"), valid_charter_data()).status_code == 403
    assert shared.cohort.charters.count() == 1


@pytest.mark.parametrize("person", ["other_cohort_member", "mentor"])
def test_network_members_reading_a_shared_cohort_cannot_acknowledge_or_write_statements(
    shared, client_for, url, person
):
    client = client_for(getattr(shared, person))
    assert client.post(url("charter_acknowledge")).status_code == 403
    assert client.get(url("statement_edit")).status_code == 403
    assert not shared.cohort.current_charter().acknowledgements.exists()


# --- who may change what ----------------------------------------------------------------------


@pytest.mark.parametrize("person", ["admin", "organizer", "host"])
def test_hosts_and_organizers_can_open_the_charter_editor(cast, client_for, url, person):
    assert client_for(getattr(cast, person)).get(url("charter_edit")).status_code == 200


def test_plain_member_gets_403_for_editing_the_charter(cast, client_for, url):
    client = client_for(cast.member)
    response = client.get(url("charter_edit"))
    assert response.status_code == 403
    assert b"hosts" in response.content
    assert client.post(url("charter_edit"), valid_charter_data()).status_code == 403
    assert cast.cohort.charters.count() == 1


@pytest.mark.parametrize("person", ["admin", "organizer"])
def test_organizers_outside_the_cohort_get_403_for_acknowledging_and_statements(
    cast, client_for, url, person
):
    client = client_for(getattr(cast, person))
    assert client.post(url("charter_acknowledge")).status_code == 403
    assert client.get(url("statement_edit")).status_code == 403
    assert client.post(url("statement_edit"), {"learning_statement": "x" * 20}).status_code == 403


def test_a_member_who_left_the_cohort_can_no_longer_see_it(cast, client_for, url):
    from datetime import date

    cast.cohort.memberships.filter(user=cast.member).update(left_on=date.today())
    assert client_for(cast.member).get(url("detail")).status_code == 404


def test_acknowledging_is_post_only(cast, client_for, url):
    assert client_for(cast.member).get(url("charter_acknowledge")).status_code == 405


def _changed_fields(charter):
    return {
        "mission": charter.mission + " Now with game days.",
        "weekly_hours": charter.weekly_hours,
        "learning_formats": charter.learning_formats,
        "project_kinds": charter.project_kinds,
        "norms": charter.norms,
        "next_review_on": charter.next_review_on,
        "change_note": "Game days.",
    }
