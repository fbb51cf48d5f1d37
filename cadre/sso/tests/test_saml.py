"""SAML 2.0 sign-in through allauth's saml provider, with an identity provider made in the
test: a self-signed certificate, and a SAML Response whose assertion is signed with
python3-saml/xmlsec, posted to Cadre's ACS as the person's browser would."""

from __future__ import annotations

import base64
import datetime
import re
import uuid
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest
import xmlsec
from django.urls import reverse
from django.utils import timezone
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from cadre.accounts.models import User
from cadre.networks.models import NetworkMembership, Role
from cadre.sso import services
from cadre.sso.models import IdentityProvider, Protocol
from cadre.sso.tests.conftest import rsa_private_key_pem

pytestmark = pytest.mark.django_db


IDP_ENTITY = "https://idp.contoso.test/saml"
IDP_SSO = "https://idp.contoso.test/saml/sso"


@pytest.fixture(scope="module")
def idp_keys():
    """The IdP's key pair, made as Cadre makes its own (a self-signed certificate)."""
    return services.sp_key_pair("idp.contoso.test")


@pytest.fixture
def client(client, settings):
    # A browser always sends Host, and python3-saml reads it (the test client does not send it);
    # python3-saml also refuses a one-word host such as "testserver".
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "cadre.test"]
    client.defaults["HTTP_HOST"] = "cadre.test"
    return client


def save_contoso(cast, idp_keys, **extra):
    """Contoso's SAML provider in the cast's network, set up by its admin."""
    return services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Contoso",
        domains="contoso.test",
        allow_domain_signup=True,
        entity_id=IDP_ENTITY,
        sso_url=IDP_SSO,
        x509cert=idp_keys[1],
        **extra,
    )


@pytest.fixture
def contoso(cast, idp_keys):
    return save_contoso(cast, idp_keys)


def _instant(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def saml_response(provider, idp_keys, *, email, in_response_to, tamper=False, sign=True):
    key_pem, cert_pem = idp_keys
    acs = f"http://cadre.test{reverse('saml_acs', args=[provider.slug])}"
    audience = f"http://cadre.test{reverse('saml_metadata', args=[provider.slug])}"
    now = timezone.now()
    issued, later = _instant(now), _instant(now + datetime.timedelta(minutes=5))
    before = _instant(now - datetime.timedelta(minutes=1))
    assertion = f"""<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml:NameID><saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{acs}" InResponseTo="{in_response_to}"/></saml:SubjectConfirmation></saml:Subject><saml:Conditions NotBefore="{before}" NotOnOrAfter="{later}"><saml:AudienceRestriction><saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions><saml:AuthnStatement AuthnInstant="{issued}" SessionIndex="_s1"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement><saml:AttributeStatement><saml:Attribute Name="urn:oid:0.9.2342.19200300.100.1.3"><saml:AttributeValue>{email}</saml:AttributeValue></saml:Attribute><saml:Attribute Name="urn:oid:2.5.4.42"><saml:AttributeValue>Dana</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>"""
    if not sign:
        return _wrap(assertion, acs, issued, in_response_to)
    signed = OneLogin_Saml2_Utils.add_sign(
        assertion,
        key_pem,
        cert_pem,
        sign_algorithm=OneLogin_Saml2_Constants.RSA_SHA256,
        digest_algorithm=OneLogin_Saml2_Constants.SHA256,
    )
    signed = signed.decode() if isinstance(signed, bytes) else signed
    signed = re.sub(r"^<\?xml[^>]*\?>\s*", "", signed)
    if tamper:
        signed = signed.replace(email, "mallory@contoso.test")
    return _wrap(signed, acs, issued, in_response_to)


def _wrap(assertion, acs, issued, in_response_to):
    response = f"""<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}" Destination="{acs}" InResponseTo="{in_response_to}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>{assertion}</samlp:Response>"""
    return base64.b64encode(response.encode()).decode()


def start(client, provider):
    """Cadre's AuthnRequest, as the redirect to the IdP carries it: its ID."""
    response = client.post(reverse("sso_entry:start", args=[provider.pk]), {"process": "login"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(IDP_SSO)
    request_xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(
        parse_qs(urlsplit(location).query)["SAMLRequest"][0]
    )
    return re.search(rb'ID="([^"]+)"', request_xml).group(1).decode()


def post_to_acs(client, provider, saml):
    acs = client.post(reverse("saml_acs", args=[provider.slug]), {"SAMLResponse": saml})
    assert acs.status_code == 302
    return client.get(acs["Location"])


def test_a_signed_assertion_signs_a_domain_allowed_person_in(client, cast, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(contoso, idp_keys, email="dana@contoso.test", in_response_to=request_id)
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(email="dana@contoso.test")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert NetworkMembership.objects.get(network=cast.network, user=user).role == Role.MEMBER


def test_a_tampered_assertion_is_refused(client, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(
        contoso, idp_keys, email="dana@contoso.test", in_response_to=request_id, tamper=True
    )
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 403
    assert b"could not be checked" in response.content
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email__in=["dana@contoso.test", "mallory@contoso.test"]).exists()


def test_an_assertion_for_another_domain_is_refused(client, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(contoso, idp_keys, email="eve@fabrikam.test", in_response_to=request_id)
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 403
    assert b"outside the domains" in response.content
    assert not User.objects.filter(email="eve@fabrikam.test").exists()


def test_the_sp_metadata_names_the_acs(client, contoso):
    response = client.get(reverse("saml_metadata", args=[contoso.slug]))
    assert response.status_code == 200
    assert reverse("saml_acs", args=[contoso.slug]).encode() in response.content


def test_a_metadata_url_that_does_not_answer_gets_a_clear_page(client, cast):
    down = services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Fabrikam",
        domains="fabrikam.test",
        entity_id="https://idp.fabrikam.test",
        metadata_url="http://127.0.0.1:9/metadata",
    )
    response = client.post(reverse("sso_entry:start", args=[down.pk]), {"process": "login"})
    assert response.status_code == 502
    assert b"not answering right now" in response.content


def test_an_unsigned_assertion_is_refused(client, contoso, idp_keys):
    request_id = start(client, contoso)
    saml = saml_response(
        contoso, idp_keys, email="dana@contoso.test", in_response_to=request_id, sign=False
    )
    response = post_to_acs(client, contoso, saml)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(email="dana@contoso.test").exists()


# --- single logout ---------------------------------------------------------------------------

IDP_SLO = "https://idp.contoso.test/saml/slo"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


@pytest.fixture
def contoso_slo(cast, idp_keys):
    return save_contoso(cast, idp_keys, slo_url=IDP_SLO)


def sign_in_by_saml(client, provider, idp_keys, email="dana@contoso.test"):
    request_id = start(client, provider)
    saml = saml_response(provider, idp_keys, email=email, in_response_to=request_id)
    assert post_to_acs(client, provider, saml).status_code == 302
    user = User.objects.get(email=email)
    assert client.session["_auth_user_id"] == str(user.pk)
    return user


def sls_url(provider):
    return f"http://cadre.test{reverse('saml_sls', args=[provider.slug])}"


def _sign_query(query, key_pem):
    """The HTTP-Redirect binding's signature: over the query string, with xmlsec."""
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(key_pem, xmlsec.constants.KeyDataFormatPem, None)
    signature = context.sign_binary(query.encode(), xmlsec.constants.TransformRsaSha256)
    return base64.b64encode(signature).decode()


def redirect_query(message, key_pem=None, *, kind="SAMLRequest", relay_state="idp-state"):
    """`message` deflated and encoded as the HTTP-Redirect binding carries it, signed with
    `key_pem` (unsigned without one)."""
    query = (
        f"{kind}={quote_plus(OneLogin_Saml2_Utils.deflate_and_base64_encode(message))}"
        f"&RelayState={quote_plus(relay_state)}"
    )
    if key_pem is None:
        return query
    query += f"&SigAlg={quote_plus(OneLogin_Saml2_Constants.RSA_SHA256)}"
    return f"{query}&Signature={quote_plus(_sign_query(query, key_pem))}"


def idp_logout_request(provider, *, name_id="dana@contoso.test", session_index="_s1"):
    issued = _instant(timezone.now())
    index = f"<samlp:SessionIndex>{session_index}</samlp:SessionIndex>" if session_index else ""
    return (
        f'<samlp:LogoutRequest xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" '
        f'ID="_l{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}" '
        f'Destination="{sls_url(provider)}"><saml:Issuer>{IDP_ENTITY}</saml:Issuer>'
        f'<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">'
        f"{name_id}</saml:NameID>{index}</samlp:LogoutRequest>"
    )


def idp_logout_response(provider, in_response_to):
    issued = _instant(timezone.now())
    return (
        f'<samlp:LogoutResponse xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" '
        f'ID="_lr{uuid.uuid4().hex}" Version="2.0" IssueInstant="{issued}" '
        f'Destination="{sls_url(provider)}" InResponseTo="{in_response_to}">'
        f"<saml:Issuer>{IDP_ENTITY}</saml:Issuer><samlp:Status>"
        f'<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
        f"</samlp:Status></samlp:LogoutResponse>"
    )


def to_sls(client, provider, query):
    return client.get(f"{reverse('saml_sls', args=[provider.slug])}?{query}")


def sent_to_idp(location, kind):
    """The message Cadre sent on the redirect to the IdP's SLO URL, once its signature is
    checked with the certificate in Cadre's SP metadata."""
    assert location.startswith(IDP_SLO + "?")
    query = urlsplit(location).query
    params = parse_qs(query)
    assert params["SigAlg"] == [OneLogin_Saml2_Constants.RSA_SHA256]
    raw = dict(part.split("=", 1) for part in query.split("&"))  # as sent, still encoded
    signed = "&".join(f"{name}={raw[name]}" for name in (kind, "RelayState", "SigAlg"))
    provider = IdentityProvider.objects.get(slo_url=IDP_SLO)
    assert OneLogin_Saml2_Utils.validate_binary_sign(
        signed.encode(),
        base64.b64decode(params["Signature"][0]),
        provider.sp_x509cert,
        OneLogin_Saml2_Constants.RSA_SHA256,
    )
    return OneLogin_Saml2_Utils.decode_base64_and_inflate(params[kind][0]).decode()


def test_the_sp_metadata_names_the_logout_endpoint_only_when_the_idp_has_one(
    client, cast, contoso_slo, idp_keys
):
    contoso = services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Fabrikam",
        domains="fabrikam.test",
        entity_id="https://idp.fabrikam.test",
        sso_url="https://idp.fabrikam.test/sso",
        x509cert=idp_keys[1],
    )
    without = client.get(reverse("saml_metadata", args=[contoso.slug]))
    assert without.status_code == 200
    assert b"SingleLogoutService" not in without.content
    assert b"KeyDescriptor" not in without.content
    with_slo = client.get(reverse("saml_metadata", args=[contoso_slo.slug]))
    assert with_slo.status_code == 200
    text = with_slo.content.decode()
    assert f'Location="{sls_url(contoso_slo)}"' in text
    assert OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT in text
    cert_body = "".join(contoso_slo.sp_x509cert.strip().splitlines()[1:-1])
    assert cert_body in text  # the certificate the IdP checks Cadre's logout messages with
    assert "PRIVATE KEY" not in text


def test_signing_out_sends_a_saml_person_to_the_idp_with_a_signed_logout_request(
    client, contoso_slo, idp_keys
):
    sign_in_by_saml(client, contoso_slo, idp_keys)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    request_xml = sent_to_idp(response["Location"], "SAMLRequest")
    assert "<samlp:LogoutRequest" in request_xml
    assert ">dana@contoso.test</saml:NameID>" in request_xml
    assert "<samlp:SessionIndex>_s1</samlp:SessionIndex>" in request_xml
    assert f'Destination="{IDP_SLO}"' in request_xml
    # The IdP's LogoutResponse ends on Cadre's signed-out page.
    request_id = re.search(r'ID="([^"]+)"', request_xml).group(1)
    answer = idp_logout_response(contoso_slo, request_id)
    back = to_sls(client, contoso_slo, redirect_query(answer, idp_keys[0], kind="SAMLResponse"))
    assert (back.status_code, back["Location"]) == (302, "/")


def test_a_password_sign_in_is_never_sent_to_the_idp(client, cast, contoso_slo):
    session = client.session
    # Left over from an SSO attempt that did not end in a sign-in: it must not count.
    session["cadre_saml_pending"] = {"provider": contoso_slo.slug, "name_id": cast.member.email}
    session.save()
    signed_in = client.post(
        reverse("account_login"), {"login": cast.member.email, "password": "correct horse battery"}
    )
    assert signed_in.status_code == 302
    assert "cadre_saml_session" not in client.session
    response = client.post(reverse("account_logout"))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in client.session


def test_without_an_slo_url_signing_out_stays_in_cadre(client, contoso, idp_keys):
    sign_in_by_saml(client, contoso, idp_keys)
    response = client.post(reverse("account_logout"))
    assert (response.status_code, response["Location"]) == (302, "/")
    assert "_auth_user_id" not in client.session
    assert to_sls(client, contoso, "SAMLRequest=x").status_code == 404


def test_a_signed_idp_logout_request_signs_the_person_out_and_is_answered(
    client, contoso_slo, idp_keys
):
    sign_in_by_saml(client, contoso_slo, idp_keys)
    logout_request = idp_logout_request(contoso_slo)
    response = to_sls(client, contoso_slo, redirect_query(logout_request, idp_keys[0]))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    answer = sent_to_idp(response["Location"], "SAMLResponse")
    request_id = re.search(r'ID="([^"]+)"', logout_request).group(1)
    assert "<samlp:LogoutResponse" in answer
    assert f'InResponseTo="{request_id}"' in answer
    assert "urn:oasis:names:tc:SAML:2.0:status:Success" in answer
    assert parse_qs(urlsplit(response["Location"]).query)["RelayState"] == ["idp-state"]


@pytest.mark.parametrize("how", ["unsigned", "another key", "changed after signing"])
def test_a_forged_or_unsigned_logout_request_is_refused(client, contoso_slo, idp_keys, how):
    user = sign_in_by_saml(client, contoso_slo, idp_keys)
    logout_request = idp_logout_request(contoso_slo)
    if how == "unsigned":
        query = redirect_query(logout_request)
    elif how == "another key":
        query = redirect_query(logout_request, rsa_private_key_pem())
    else:
        signed = redirect_query(logout_request, idp_keys[0])
        query = signed.replace("RelayState=idp-state", "RelayState=elsewhere")
    response = to_sls(client, contoso_slo, query)
    assert response.status_code == 400
    assert b"could not be checked" in response.content
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_post_binding_is_not_spoken(client, contoso_slo, idp_keys):
    user = sign_in_by_saml(client, contoso_slo, idp_keys)
    message = base64.b64encode(idp_logout_request(contoso_slo).encode()).decode()
    response = client.post(reverse("saml_sls", args=[contoso_slo.slug]), {"SAMLRequest": message})
    assert response.status_code == 405
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_idp_logout_request_ends_only_the_session_it_is_about(
    client, cast, contoso_slo, idp_keys
):
    user = sign_in_by_saml(client, contoso_slo, idp_keys)
    about_someone_else = idp_logout_request(contoso_slo, name_id="erin@contoso.test")
    response = to_sls(client, contoso_slo, redirect_query(about_someone_else, idp_keys[0]))
    assert response.status_code == 302  # answered: nothing of that session is here
    assert client.session["_auth_user_id"] == str(user.pk)
    # Someone signed in with a password is not signed out by the IdP either.
    client.post(reverse("account_logout"))
    client.post(
        reverse("account_login"), {"login": cast.member.email, "password": "correct horse battery"}
    )
    about_them = idp_logout_request(contoso_slo, name_id=cast.member.email, session_index=None)
    response = to_sls(client, contoso_slo, redirect_query(about_them, idp_keys[0]))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.member.pk)


def test_logout_pages_say_so_when_the_idp_metadata_does_not_answer(client, cast):
    down = services.save_provider(
        cast.admin,
        cast.network,
        protocol=Protocol.SAML,
        name="Fabrikam",
        domains="fabrikam.test",
        entity_id="https://idp.fabrikam.test",
        metadata_url="http://127.0.0.1:9/metadata",
        slo_url="https://idp.fabrikam.test/slo",
    )
    for page in ("saml_metadata", "saml_sls"):
        response = client.get(reverse(page, args=[down.slug]), {"SAMLRequest": "x"})
        assert response.status_code == 502
        assert b"not answering right now" in response.content
