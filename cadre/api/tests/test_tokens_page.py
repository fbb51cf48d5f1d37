import pytest
from django.urls import reverse

from cadre.api.models import ApiToken, hash_token

URL = reverse("api_tokens:list")


def revoke_url(token):
    return reverse("api_tokens:revoke", args=[token.pk])


def test_anonymous_visitor_is_sent_to_sign_in(db, client_for):
    assert client_for(None).get(URL).status_code == 302
    assert client_for(None).post(URL, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("who", ["member", "partner", "outsider", "organizer"])
def test_people_see_their_own_tokens_only(cast, client_for, who):
    user = getattr(cast, who)
    ApiToken.issue(user, "mine")
    ApiToken.issue(cast.host, "the host's")
    response = client_for(user).get(URL)
    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["mine"]
    assert b"the host&#x27;s" not in response.content


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(cast, client_for):
    client = client_for(cast.member)
    response = client.post(URL, {"name": "spreadsheet sync"})
    assert response.status_code == 200
    raw = response.context["new_token"]["raw"]
    assert raw.encode() in response.content
    assert b"will not be shown again" in response.content
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=cast.member)
    assert token.name == "spreadsheet sync"
    assert token.token_hash == hash_token(raw)
    assert ApiToken.authenticate(raw) == token
    again = client.get(URL)
    assert raw.encode() not in again.content
    assert token.prefix.encode() in again.content


def test_a_token_needs_a_name(cast, client_for):
    response = client_for(cast.member).post(URL, {"name": "   "})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert response.context["new_token"] is None
    assert not ApiToken.objects.exists()


def test_i_revoke_my_token(cast, client_for):
    token, raw = ApiToken.issue(cast.member, "old script")
    response = client_for(cast.member).post(revoke_url(token))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.authenticate(raw) is None
    assert b"revoked" in client_for(cast.member).get(URL).content


def test_revoking_is_post_only(cast, client_for):
    token, _ = ApiToken.issue(cast.member, "script")
    assert client_for(cast.member).get(revoke_url(token)).status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("who", ["organizer", "admin", "outsider", "host"])
def test_no_one_else_can_revoke_my_token(cast, client_for, who):
    token, _ = ApiToken.issue(cast.member, "script")
    assert client_for(getattr(cast, who)).post(revoke_url(token)).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_cannot_revoke(cast, client_for):
    token, _ = ApiToken.issue(cast.member, "script")
    assert client_for(None).post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None
