import pytest
from django.urls import reverse

from cadre.networks.models import NetworkMembership, Role


@pytest.mark.django_db
def test_anonymous_visitor_sees_the_front_page_with_a_sign_in_link(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert reverse("account_login").encode() in response.content


@pytest.mark.django_db
def test_a_member_of_one_network_goes_straight_to_it(client_for, cast):
    response = client_for(cast.member).get(reverse("home"))
    assert response.status_code == 302
    assert response.url == cast.network.get_absolute_url()


@pytest.mark.django_db
def test_a_member_of_two_networks_chooses_and_sees_only_their_own(client_for, cast):
    NetworkMembership.objects.create(network=cast.other_network, user=cast.member, role=Role.MEMBER)
    response = client_for(cast.member).get(reverse("home"))
    assert response.status_code == 200
    assert cast.network.name.encode() in response.content
    assert cast.other_network.name.encode() in response.content


@pytest.mark.django_db
def test_the_outsider_never_sees_the_other_network_named(client_for, cast):
    response = client_for(cast.outsider).get(reverse("home"), follow=True)
    assert cast.network.name.encode() not in response.content


@pytest.mark.django_db
def test_health_check_answers_without_a_session(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "organizer", "admin", "outsider"])
def test_django_admin_is_only_for_staff(client_for, cast, who):
    response = client_for(getattr(cast, who)).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
def test_staff_reach_the_django_admin(client_for, cast):
    cast.admin.is_staff = True
    cast.admin.is_superuser = True
    cast.admin.save()
    assert client_for(cast.admin).get("/admin/").status_code == 200
