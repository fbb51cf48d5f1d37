import pytest
from django.contrib import admin
from django.urls import reverse

from cadre.api.models import ApiToken
from cadre.people.models import Profile, ProfileSkill
from cadre.testing import make_user

MODELS = [Profile, ProfileSkill, ApiToken]


@pytest.fixture
def superuser(db):
    return make_user("root@example.test", "Root", is_staff=True, is_superuser=True)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_people_models_and_api_tokens_are_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_and_search_open(cast, client_for, superuser, model):
    ApiToken.issue(cast.member, "script")
    client = client_for(superuser)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "mo"}).status_code == 200


def test_profile_admin_add_and_change_open(cast, client_for, superuser):
    client = client_for(superuser)
    assert client.get(admin_url(Profile, "add")).status_code == 200
    assert client.get(admin_url(Profile, "change", cast.member.profile.pk)).status_code == 200


def test_api_tokens_are_not_made_in_the_admin_but_can_be_revoked_there(cast, client_for, superuser):
    token, _ = ApiToken.issue(cast.member, "script")
    client = client_for(superuser)
    assert client.get(admin_url(ApiToken, "add")).status_code == 403
    response = client.get(admin_url(ApiToken, "change", token.pk))
    assert response.status_code == 200
    assert b"token_hash" not in response.content
    assert b'name="revoked_at_0"' in response.content
