import pytest
from django.contrib import admin
from django.urls import reverse

from cadre.networks import models
from cadre.networks.models import CodeOfConduct, Invitation
from cadre.testing import make_user

MODELS = [
    models.Network,
    models.NetworkMembership,
    models.Skill,
    models.CodeOfConduct,
    models.CodeOfConductAcceptance,
    models.Invitation,
]


@pytest.fixture
def superuser(db):
    return make_user("root@example.test", "Root", is_staff=True, is_superuser=True)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_network_model_is_in_the_admin(model):
    assert admin.site.is_registered(model)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_lists_search_and_add_pages_open(cast, client_for, superuser, model):
    client = client_for(superuser)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    assert client.get(admin_url(model, "changelist"), {"q": "north"}).status_code == 200
    assert client.get(admin_url(model, "add")).status_code == 200


def test_admin_change_pages_open(cast, client_for, superuser):
    client = client_for(superuser)
    invitation = Invitation.objects.create(network=cast.network, email="x@example.test")
    for obj in [cast.network, invitation, CodeOfConduct.objects.first()]:
        assert client.get(admin_url(type(obj), "change", obj.pk)).status_code == 200


def test_a_published_code_of_conduct_is_read_only_in_the_admin(cast, client_for, superuser):
    code = cast.network.current_code_of_conduct()
    response = client_for(superuser).get(admin_url(CodeOfConduct, "change", code.pk))
    assert b'name="body"' not in response.content


def test_the_admin_is_for_staff_only(cast, client_for):
    response = client_for(cast.admin).get(admin_url(models.Network, "changelist"))
    assert response.status_code == 302
