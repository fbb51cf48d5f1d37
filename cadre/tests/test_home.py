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


@pytest.mark.django_db
def test_the_people_link_is_shown_only_to_those_who_see_the_directory(client_for, cast):
    directory = reverse("networks:directory", args=[cast.network.slug])
    for person, shown in [(cast.member, True), (cast.mentor, True), (cast.partner, False)]:
        page = client_for(person).get(cast.network.get_absolute_url())
        assert (directory in page.content.decode()) is shown
        assert (client_for(person).get(directory).status_code == 200) is shown


@pytest.mark.django_db
def test_the_front_page_is_titled_cadre_and_other_pages_say_what_they_are(client):
    assert "<title>Cadre</title>" in client.get("/").content.decode()
    for path, title in [
        (reverse("account_login"), "Sign in · Cadre"),
        (reverse("account_reset_password"), "Password Reset · Cadre"),
    ]:
        html = client.get(path).content.decode()
        shown = " ".join(html.split("<title>", 1)[1].split("</title>", 1)[0].split())
        assert shown == title
