"""OpenID Connect sign-in end to end, against django-oauth-toolkit's provider running in a
child process: allauth's openid_connect provider does the protocol, Cadre's adapter the
rules (just-in-time accounts for invited or domain-allowed people only)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from cadre.accounts.models import User
from cadre.networks.models import Invitation, NetworkMembership, Role
from cadre.sso import services
from cadre.sso.models import Protocol

pytestmark = pytest.mark.django_db


@pytest.fixture
def contoso(cast, oidc_provider):
    return services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.OIDC,
        name="Contoso",
        domains="contoso.test\nnorthwind.test",
        server_url=oidc_provider.issuer,
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
    )


def sign_in_through(client, oidc_provider, provider, email):
    """The browser's walk: Cadre → the provider (signed in there as `email`) → Cadre."""
    started = client.post(reverse("sso_entry:start", args=[provider.pk]), {"process": "login"})
    assert started.status_code == 302, started.content
    authorize = started["Location"]
    assert authorize.startswith(f"{oidc_provider.issuer}/authorize/")
    browser = requests.Session()
    browser.post(f"{oidc_provider.url}/login/", data={"email": email}, timeout=10)
    answered = browser.get(authorize, allow_redirects=False, timeout=10)
    assert answered.status_code == 302, answered.text[:500]
    back = urlsplit(answered.headers["Location"])
    assert back.path == f"/accounts/oidc/{provider.slug}/login/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_the_sign_in_page_routes_a_domain_to_its_provider(client, contoso):
    page = client.get(reverse("sso_entry:route"), {"email": "Alice@Contoso.test"})
    assert page.status_code == 200
    assert b"Sign in with Contoso" in page.content
    other = client.get(reverse("sso_entry:route"), {"email": "someone@example.org"})
    assert other.status_code == 302
    assert other["Location"].startswith(reverse("account_login"))


def test_an_invited_person_gets_an_account_and_joins_the_network(
    client, cast, contoso, oidc_provider
):
    invitation = Invitation.objects.create(
        network=cast.network,
        email="alice@contoso.test",
        role=Role.MENTOR,
        invited_by=cast.organizer,
    )
    response = sign_in_through(client, oidc_provider, contoso, "alice@contoso.test")
    assert response.status_code == 302
    user = User.objects.get(email="alice@contoso.test")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert user.name == "Alice Test"
    assert not user.has_usable_password()
    membership = NetworkMembership.objects.get(network=cast.network, user=user)
    assert membership.role == Role.MENTOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_a_domain_allowed_person_gets_an_account_as_a_member(client, cast, contoso, oidc_provider):
    contoso = services.save_provider(
        cast.admin,
        cast.network,
        provider=contoso,
        protocol=Protocol.OIDC,
        name="Contoso",
        domains="contoso.test",
        allow_domain_signup=True,
        server_url=contoso.server_url,
        client_id=contoso.client_id,
    )
    response = sign_in_through(client, oidc_provider, contoso, "bob@contoso.test")
    assert response.status_code == 302
    user = User.objects.get(email="bob@contoso.test")
    assert NetworkMembership.objects.get(network=cast.network, user=user).role == Role.MEMBER


def test_someone_neither_invited_nor_domain_allowed_is_refused(client, contoso, oidc_provider):
    response = sign_in_through(client, oidc_provider, contoso, "carol@contoso.test")
    assert response.status_code == 403
    assert b"Cadre is by invitation" in response.content
    assert not User.objects.filter(email="carol@contoso.test").exists()
    assert "_auth_user_id" not in client.session


def test_an_existing_account_signs_in_by_its_verified_address(client, cast, contoso, oidc_provider):
    response = sign_in_through(client, oidc_provider, contoso, cast.member.email)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.member.pk)
    assert User.objects.filter(email=cast.member.email).count() == 1


def test_cadre_two_factor_still_applies_after_single_sign_on(client, cast, contoso, oidc_provider):
    TOTP.activate(cast.member, generate_totp_secret())
    response = sign_in_through(client, oidc_provider, contoso, cast.member.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_provider_that_is_down_gets_a_clear_page_and_passwords_still_work(client, cast):
    down = services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.OIDC,
        name="Fabrikam",
        domains="fabrikam.test",
        server_url="http://127.0.0.1:9/o",
        client_id="x",
        client_secret="y",
    )
    response = client.post(reverse("sso_entry:start", args=[down.pk]), {"process": "login"})
    assert response.status_code == 502
    assert b"not answering right now" in response.content
    signed_in = client.post(
        reverse("account_login"), {"login": cast.member.email, "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_a_switched_off_provider_signs_no_one_in(client, cast, contoso):
    services.set_enabled(cast.admin, contoso, enabled=False)
    response = client.post(reverse("sso_entry:start", args=[contoso.pk]), {"process": "login"})
    assert response.status_code == 404
    assert (
        b"Sign in with Contoso"
        not in client.get(reverse("sso_entry:route"), {"email": "alice@contoso.test"}).content
    )
