"""The admin shows that a person has a two-factor authenticator, and lets operators delete it
(a lost phone), but never its secret, from which anyone could make the person's codes."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from cadre.testing import make_user


@pytest.fixture
def superuser(db):
    return make_user("root@example.test", "Root", is_staff=True, is_superuser=True)


def test_the_admin_never_shows_a_two_factor_secret(cast, client_for, superuser):
    secret = generate_totp_secret()
    authenticator = TOTP.activate(cast.member, secret).instance
    client = client_for(superuser)
    for url in (
        reverse("admin:mfa_authenticator_changelist"),
        reverse("admin:mfa_authenticator_change", args=[authenticator.pk]),
        reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert secret not in response.content.decode(), url
    assert (
        cast.member.name
        in client.get(reverse("admin:mfa_authenticator_changelist")).content.decode()
    )
    client.post(reverse("admin:mfa_authenticator_delete", args=[authenticator.pk]), {"post": "yes"})
    assert not cast.member.authenticator_set.exists()
