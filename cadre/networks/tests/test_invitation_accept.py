"""Following an invitation link: every way it can go."""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from cadre.accounts.models import User
from cadre.networks import invitations as links
from cadre.networks.models import Invitation, NetworkMembership, Role
from cadre.people.models import Profile


@pytest.fixture
def invitation(cast):
    return Invitation.objects.create(
        network=cast.network,
        email="Newbie@Example.test",
        role=Role.MENTOR,
        invited_by=cast.organizer,
        message="Come and mentor our newcomers.",
    )


def accept_url(invitation):
    return reverse("invitations:accept", args=[links.make_token(invitation)])


def conduct_url(cast):
    home = reverse("networks:home", args=[cast.network.slug])
    return reverse("networks:conduct", args=[cast.network.slug]) + "?next=" + home


NEW_ACCOUNT = {"name": "Nova Newbie", "password1": "a long unusual pass", "password2": ""}


def new_account(**changes):
    data = {**NEW_ACCOUNT, "password2": NEW_ACCOUNT["password1"]}
    data.update(changes)
    return data


def test_someone_without_an_account_is_offered_to_create_one(cast, client_for, invitation):
    response = client_for(None).get(accept_url(invitation))
    assert response.status_code == 200
    assert response.context["mode"] == "create"
    assert b"Come and mentor our newcomers." in response.content
    assert b"Newbie@Example.test" in response.content


def test_creating_an_account_joins_the_network_and_signs_in(cast, client_for, invitation):
    client = client_for(None)
    response = client.post(accept_url(invitation), new_account())
    assert response.status_code == 302
    assert response["Location"] == conduct_url(cast)
    user = User.objects.get(email="newbie@example.test")
    assert user.name == "Nova Newbie"
    assert user.check_password(NEW_ACCOUNT["password1"])
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert Profile.objects.filter(user=user).exists()
    membership = NetworkMembership.objects.get(user=user)
    assert (membership.network, membership.role) == (cast.network, Role.MENTOR)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"password2": "something else entirely"}, "password2"),
        ({"password1": "password", "password2": "password"}, "password1"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"name": "   "}, "name"),
    ],
)
def test_bad_account_details_show_errors_and_create_nothing(
    cast, client_for, invitation, changes, field
):
    response = client_for(None).post(accept_url(invitation), new_account(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b'class="errorlist' in response.content
    assert not User.objects.filter(email__iexact=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_password_like_the_address_is_refused(cast, client_for, invitation):
    response = client_for(None).post(
        accept_url(invitation), new_account(password1="newbie@example", password2="newbie@example")
    )
    assert "password1" in response.context["form"].errors


def test_signed_in_with_the_invited_address_joins_with_one_click(cast, client_for):
    invitation = Invitation.objects.create(
        network=cast.network, email="SOL@southgate.test", role=Role.MEMBER
    )
    client = client_for(cast.outsider)
    page = client.get(accept_url(invitation))
    assert page.status_code == 200
    assert b"Join Northwind Learning" in page.content
    assert not NetworkMembership.objects.filter(user=cast.outsider, network=cast.network).exists()
    response = client.post(accept_url(invitation))
    assert response["Location"] == conduct_url(cast)
    assert NetworkMembership.objects.get(user=cast.outsider, network=cast.network).role == "member"
    invitation.refresh_from_db()
    assert invitation.accepted_by == cast.outsider
    assert client.get(reverse("networks:home", args=[cast.network.slug])).status_code == 200


def test_a_verified_second_address_counts_as_the_invited_one(cast, client_for):
    EmailAddress.objects.create(user=cast.outsider, email="sol@alt.test", verified=True)
    invitation = Invitation.objects.create(network=cast.network, email="sol@alt.test")
    client_for(cast.outsider).post(accept_url(invitation))
    assert NetworkMembership.objects.filter(user=cast.outsider, network=cast.network).exists()


def test_signed_in_with_another_address_cannot_accept(cast, client_for, invitation):
    client = client_for(cast.outsider)
    page = client.get(accept_url(invitation))
    assert page.status_code == 403
    assert b"This invitation is for another address" in page.content
    assert client.post(accept_url(invitation)).status_code == 403
    assert not NetworkMembership.objects.filter(user=cast.outsider, network=cast.network).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_anonymous_with_an_existing_account_is_asked_to_sign_in(cast, client_for):
    invitation = Invitation.objects.create(network=cast.network, email="sol@southgate.test")
    url = accept_url(invitation)
    client = client_for(None)
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["mode"] == "sign_in"
    assert response.context["login_url"].startswith(reverse("account_login") + "?next=")
    assert "form" not in response.context
    # Posting account details does not take over the existing account.
    client.post(url, new_account())
    assert not NetworkMembership.objects.filter(user=cast.outsider, network=cast.network).exists()
    assert User.objects.filter(email="sol@southgate.test").count() == 1


def test_a_used_invitation_cannot_be_used_again(cast, client_for, invitation):
    url = accept_url(invitation)
    client = client_for(None)
    client.post(url, new_account())
    again = client_for(None).get(url)
    assert again.status_code == 410
    assert b"already been used" in again.content
    assert User.objects.filter(email__iexact=invitation.email).count() == 1


def test_a_second_click_from_the_same_person_does_not_join_twice(cast, client_for):
    invitation = Invitation.objects.create(network=cast.network, email="sol@southgate.test")
    client = client_for(cast.outsider)
    url = accept_url(invitation)
    client.post(url)
    assert client.post(url).status_code == 410
    assert NetworkMembership.objects.filter(user=cast.outsider, network=cast.network).count() == 1


def test_a_revoked_invitation_says_so(cast, client_for, invitation):
    invitation.revoked_at = timezone.now()
    invitation.save()
    response = client_for(None).post(accept_url(invitation), new_account())
    assert response.status_code == 410
    assert b"withdrawn" in response.content
    assert not User.objects.filter(email__iexact=invitation.email).exists()


class SignerFromThePast(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - 15 * 24 * 3600)


def test_an_expired_link_says_so(cast, client_for, invitation):
    token = SignerFromThePast(salt=links.SALT).sign(invitation.nonce)
    response = client_for(None).post(reverse("invitations:accept", args=[token]), new_account())
    assert response.status_code == 410
    assert b"expired" in response.content
    assert not User.objects.filter(email__iexact=invitation.email).exists()


def test_an_invitation_older_than_the_limit_is_expired_whatever_the_link(
    cast, client_for, invitation, settings
):
    invitation.created_at = timezone.now() - timedelta(days=settings.CADRE_INVITATION_MAX_AGE_DAYS)
    invitation.save()
    assert client_for(None).get(accept_url(invitation)).status_code == 410


def test_a_shorter_limit_in_settings_expires_links_sooner(cast, client_for, invitation, settings):
    url = accept_url(invitation)
    settings.CADRE_INVITATION_MAX_AGE_DAYS = 10
    token = SignerFromThePast(salt=links.SALT).sign(invitation.nonce)
    assert client_for(None).get(reverse("invitations:accept", args=[token])).status_code == 410
    assert client_for(None).get(url).status_code == 200


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "abc:def:ghi",
    ],
)
def test_a_forged_or_mangled_link_is_rejected(cast, client_for, invitation, token):
    response = client_for(None).get(reverse("invitations:accept", args=[token]))
    assert response.status_code == 400
    assert b"not valid" in response.content


def test_a_token_signed_with_another_salt_is_rejected(cast, client_for, invitation):
    token = signing.TimestampSigner(salt="something.else").sign(invitation.nonce)
    assert client_for(None).get(reverse("invitations:accept", args=[token])).status_code == 400


def test_a_tampered_token_is_rejected(cast, client_for, invitation):
    other = Invitation.objects.create(network=cast.network, email="other@example.test")
    nonce_and_time, signature = links.make_token(invitation).rsplit(":", 1)
    tampered = nonce_and_time.replace(invitation.nonce, other.nonce) + ":" + signature
    response = client_for(None).get(reverse("invitations:accept", args=[tampered]))
    assert response.status_code == 400


def test_a_link_for_a_deleted_invitation_is_rejected(cast, client_for, invitation):
    url = accept_url(invitation)
    invitation.delete()
    assert client_for(None).get(url).status_code == 400


def test_signing_in_from_the_invitation_comes_back_to_it(cast, client_for):
    invitation = Invitation.objects.create(network=cast.network, email="sol@southgate.test")
    url = accept_url(invitation)
    client = client_for(None)
    login_url = client.get(url).context["login_url"]
    response = client.post(
        login_url, {"login": "sol@southgate.test", "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == url
