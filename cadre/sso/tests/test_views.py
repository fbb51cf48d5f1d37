"""The network admins' single sign-on pages: who may open them, and what a save does."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.urls import reverse

from cadre.sso import services
from cadre.sso.models import IdentityProvider, Protocol

pytestmark = pytest.mark.django_db

OIDC = {
    "protocol": "oidc",
    "name": "Contoso",
    "domains": "contoso.test\n@Contoso.example",
    "server_url": "https://login.contoso.test/o",
    "client_id": "cadre",
    "client_secret": "s3cret",
}


@pytest.fixture
def contoso(cast):
    return services.save_provider(cast.admin, cast.network, **{**OIDC, "client_secret": "s3cret"})


def test_the_admin_adds_an_oidc_provider_and_sees_what_to_give_it(client_for, cast):
    client = client_for(cast.admin)
    url = reverse("sso:providers", args=[cast.network.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, OIDC)
    provider = IdentityProvider.objects.get()
    assert response.status_code == 302
    assert provider.domains == ["contoso.test", "contoso.example"]
    app = SocialApp.objects.get(provider="openid_connect", provider_id=provider.slug)
    assert app.secret == "s3cret"
    assert app.settings["server_url"] == "https://login.contoso.test/o"
    page = client.get(response["Location"])
    assert f"/accounts/oidc/{provider.slug}/login/callback/".encode() in page.content
    assert b"s3cret" not in page.content


def test_a_save_without_the_secret_keeps_the_stored_one(client_for, cast, contoso):
    client = client_for(cast.admin)
    url = reverse("sso:provider", args=[cast.network.slug, contoso.pk])
    response = client.post(url, {**OIDC, "client_secret": "", "name": "Contoso Ltd"})
    assert response.status_code == 302
    app = SocialApp.objects.get(provider_id=contoso.slug)
    assert (app.name, app.secret) == ("Contoso Ltd", "s3cret")


def test_bad_input_says_what_is_wrong_and_saves_nothing(client_for, cast):
    client = client_for(cast.admin)
    url = reverse("sso:providers", args=[cast.network.slug])
    response = client.post(url, {**OIDC, "domains": "not a domain", "client_secret": ""})
    assert response.status_code == 200
    assert "is not an e-mail domain" in response.content.decode()
    saml = client.post(url, {"protocol": "saml", "name": "X", "domains": "x.test"})
    assert "entity ID is needed" in saml.content.decode()
    assert not IdentityProvider.objects.exists()
    assert not SocialApp.objects.exists()


SAML = {
    "protocol": "saml",
    "name": "Contoso",
    "domains": "contoso.test",
    "entity_id": "https://idp.contoso.test/saml",
    "metadata_url": "https://idp.contoso.test/saml/metadata",
}


def test_an_slo_url_turns_single_logout_on_with_a_key_no_page_shows(client_for, cast):
    client = client_for(cast.admin)
    response = client.post(reverse("sso:providers", args=[cast.network.slug]), SAML)
    provider = IdentityProvider.objects.get()
    assert (provider.slo_url, provider.sp_private_key) == ("", "")
    assert b"/sls/" not in client.get(response["Location"]).content
    url = reverse("sso:provider", args=[cast.network.slug, provider.pk])
    client.post(url, {**SAML, "slo_url": "idp.contoso.test/saml/slo"})
    provider.refresh_from_db()
    assert provider.slo_url == "https://idp.contoso.test/saml/slo"
    assert "PRIVATE KEY" in provider.sp_private_key
    assert "CERTIFICATE" in provider.sp_x509cert
    app = SocialApp.objects.get(provider_id=provider.slug)
    assert app.settings["idp"]["slo_url"] == provider.slo_url
    assert "PRIVATE" not in str(app.settings)  # the Django admin shows these settings
    page = client.get(url).content.decode()
    assert f"/accounts/saml/{provider.slug}/sls/" in page
    assert provider.sp_private_key.strip().splitlines()[5] not in page
    key = provider.sp_private_key
    client.post(url, {**SAML, "name": "Contoso Ltd", "slo_url": provider.slo_url})
    provider.refresh_from_db()
    assert provider.sp_private_key == key  # kept: the IdP has its certificate
    client.post(url, {**OIDC, "domains": "contoso.test"})
    provider.refresh_from_db()
    assert (provider.slo_url, provider.sp_private_key, provider.sp_x509cert) == ("", "", "")


def test_a_domain_goes_to_one_provider_only(cast, contoso):
    with pytest.raises(services.Refused, match="already signs in"):
        services.save_provider(cast.admin, cast.network, **{**OIDC, "name": "Other"})
    assert IdentityProvider.objects.count() == 1


def test_switching_off_removes_the_app_and_on_brings_it_back(client_for, cast, contoso):
    client = client_for(cast.admin)
    url = reverse("sso:provider_enable", args=[cast.network.slug, contoso.pk])
    client.post(url, {"enabled": "0"})
    assert not SocialApp.objects.exists()
    client.post(url, {"enabled": "1"})
    assert SocialApp.objects.get(provider_id=contoso.slug).secret == "s3cret"


def test_removing_a_provider_forgets_its_links_but_keeps_the_accounts(client_for, cast, contoso):
    SocialAccount.objects.create(user=cast.member, provider=contoso.slug, uid="abc")
    client = client_for(cast.admin)
    client.post(reverse("sso:provider_delete", args=[cast.network.slug, contoso.pk]))
    assert not IdentityProvider.objects.exists()
    assert not SocialApp.objects.exists()
    assert not SocialAccount.objects.exists()
    cast.member.refresh_from_db()


def test_test_connection_records_a_provider_that_does_not_answer(client_for, cast):
    provider = services.save_provider(
        cast.admin, cast.network, **{**OIDC, "server_url": "http://127.0.0.1:9/o"}
    )
    client = client_for(cast.admin)
    client.post(reverse("sso:provider_check", args=[cast.network.slug, provider.pk]))
    provider.refresh_from_db()
    assert provider.check_ok is False
    assert "did not answer" in provider.check_message


@pytest.mark.parametrize("who", ["organizer", "member", "partner", "outsider"])
def test_only_the_network_admins_open_the_sso_pages(client_for, cast, contoso, who):
    client = client_for(getattr(cast, who))
    slug = cast.network.slug
    assert client.get(reverse("sso:providers", args=[slug])).status_code == 404
    assert client.get(reverse("sso:provider", args=[slug, contoso.pk])).status_code == 404
    for name in ("provider_enable", "provider_check", "provider_delete"):
        assert client.post(reverse(f"sso:{name}", args=[slug, contoso.pk])).status_code == 404
    assert client.post(reverse("sso:providers", args=[slug]), OIDC).status_code == 404
    assert IdentityProvider.objects.get().enabled


def test_anonymous_people_are_sent_to_sign_in(client, cast, contoso):
    response = client.get(reverse("sso:providers", args=[cast.network.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_another_networks_admin_cannot_reach_this_networks_provider(client_for, cast, contoso):
    from cadre.networks.models import NetworkMembership, Role

    NetworkMembership.objects.filter(user=cast.outsider).update(role=Role.ADMIN)
    client = client_for(cast.outsider)
    other = cast.other_network.slug
    assert client.get(reverse("sso:providers", args=[other])).status_code == 200
    assert client.get(reverse("sso:provider", args=[other, contoso.pk])).status_code == 404
    client.post(reverse("sso:provider_delete", args=[other, contoso.pk]))
    assert IdentityProvider.objects.filter(pk=contoso.pk).exists()


def test_the_service_refuses_people_who_are_not_admins(cast, contoso):
    with pytest.raises(services.Refused, match="network's admins"):
        services.set_enabled(cast.organizer, contoso, enabled=False)


def test_the_sign_in_page_offers_the_work_email_box(client):
    page = client.get(reverse("account_login"))
    assert b"Sign in with your organization" in page.content
    assert reverse("sso_entry:route").encode() in page.content


def test_saml_settings_come_from_the_provider_row(cast, contoso):
    saml = services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Fabrikam",
        domains="fabrikam.test",
        entity_id="https://idp.fabrikam.test",
        metadata_url="https://idp.fabrikam.test/metadata",
    )
    app = SocialApp.objects.get(provider="saml", provider_id=saml.slug)
    assert app.client_id == saml.slug
    assert app.settings["idp"] == {
        "entity_id": "https://idp.fabrikam.test",
        "metadata_url": "https://idp.fabrikam.test/metadata",
    }
    assert app.settings["advanced"]["want_assertion_signed"] is True


def test_a_partner_organizations_provider_lets_people_in_as_partners(cast, contoso):
    from cadre.accounts.models import User
    from cadre.networks.models import NetworkMembership, Role
    from cadre.repository.models import PartnerGroup

    group = PartnerGroup.objects.create(network=cast.network, name="Fabrikam", organization="F")
    provider = services.save_provider(
        cast.admin,
        cast.network,
        **{**OIDC, "name": "Fabrikam", "domains": "fabrikam.test"},
        allow_domain_signup=True,
        partner_group=group,
    )
    assert services.may_sign_up(provider, "fay@fabrikam.test")
    assert not services.may_sign_up(provider, "fay@elsewhere.test")
    user = User.objects.create_user(email="fay@fabrikam.test", name="Fay")
    services.join_after_sign_up(user, provider, "fay@fabrikam.test")
    assert NetworkMembership.objects.get(network=cast.network, user=user).role == Role.PARTNER
    assert group.members.filter(pk=user.pk).exists()


def test_a_partner_group_of_another_network_is_refused(cast, contoso):
    from cadre.repository.models import PartnerGroup

    theirs = PartnerGroup.objects.create(network=cast.other_network, name="X", organization="X")
    with pytest.raises(services.Refused, match="partner groups"):
        services.save_provider(
            cast.admin, cast.network, **{**OIDC, "domains": "x.test"}, partner_group=theirs
        )


def test_only_invited_people_may_sign_up_without_domain_signup(cast, contoso):
    from cadre.networks.models import Invitation

    assert not services.may_sign_up(contoso, "new@contoso.test")
    Invitation.objects.create(network=cast.network, email="New@Contoso.test", invited_by=cast.admin)
    assert services.may_sign_up(contoso, "new@contoso.test")
