"""'I used this' and partner groups."""

import pytest
from django.urls import reverse

from cadre.repository.models import PartnerGroup, RepositoryItem, Reuse

from .conftest import person


def reuse_url(found, undo=False):
    return reverse(
        "repository:reuse_undo" if undo else "repository:reuse", args=["northwind", found.pk]
    )


def test_i_used_this_counts_once_per_person_and_cohort(cast, lib, client_for):
    client = client_for(cast.member)
    found = lib.network_item
    for _ in range(2):
        assert client.post(reuse_url(found)).status_code == 302
    found.refresh_from_db()
    assert found.reuse_count == 1 and found.reuses.count() == 1
    client.post(reuse_url(found), {"cohort": cast.cohort.pk, "note": "Used at our retro"})
    client.post(reuse_url(found), {"cohort": cast.cohort.pk})
    found.refresh_from_db()
    assert found.reuse_count == 2
    assert found.reuses.get(cohort=cast.cohort).note == "Used at our retro"
    client.post(reuse_url(found, undo=True), {"cohort": cast.cohort.pk})
    found.refresh_from_db()
    assert found.reuse_count == 1 and not found.reuses.filter(cohort=cast.cohort).exists()
    client.post(reuse_url(found, undo=True), {"cohort": ""})
    client.post(reuse_url(found, undo=True), {"cohort": ""})
    found.refresh_from_db()
    assert found.reuse_count == 0 and not found.reuses.exists()


def test_the_model_keeps_null_cohort_reuses_unique(cast, lib):
    assert lib.public_item.record_reuse(cast.member) is True
    assert lib.public_item.record_reuse(cast.member) is False
    assert Reuse.objects.filter(item=lib.public_item, cohort__isnull=True).count() == 1


def test_a_reuse_in_someone_elses_cohort_is_refused_with_a_message(cast, lib, client_for):
    response = client_for(cast.member).post(
        reuse_url(lib.network_item), {"cohort": cast.other_cohort.pk}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Reuse.objects.exists()


def test_reuse_with_htmx_answers_the_fragment(cast, lib, client_for):
    response = client_for(cast.member).post(reuse_url(lib.network_item), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="reuse"' in body and "<html" not in body
    assert "Used 1 time" in body


@pytest.mark.parametrize("who", ["partner", "outsider", "anonymous"])
def test_people_who_cannot_read_an_item_cannot_say_they_used_it(cast, lib, client_for, who):
    response = client_for(person(cast, lib, who)).post(reuse_url(lib.network_item))
    assert response.status_code == (302 if who == "anonymous" else 404)
    assert not Reuse.objects.exists()


def test_a_partner_and_an_anonymous_reader_see_the_count(cast, lib, client_for):
    client_for(cast.partner).post(reuse_url(lib.partners_item))
    lib.partners_item.refresh_from_db()
    assert lib.partners_item.reuse_count == 1
    lib.public_item.record_reuse(cast.member)
    page = client_for(None).get(lib.public_item.get_absolute_url()).content.decode()
    assert "Used 1 time" in page and "Mo Member" not in page


def test_the_list_shows_reuse_counts(cast, lib, client_for):
    lib.network_item.record_reuse(cast.host)
    page = client_for(cast.member).get("/n/northwind/library/").content.decode()
    assert "Used 1 time" in page


# --- partner groups -----------------------------------------------------------------------

PARTNERS = "/n/northwind/library/partners/"


@pytest.mark.parametrize("who", ["organizer", "admin"])
def test_organizers_create_and_edit_partner_groups(cast, lib, client_for, who):
    client = client_for(person(cast, lib, who))
    assert client.get(PARTNERS).status_code == 200
    response = client.post(
        PARTNERS,
        {
            "name": "Dock Co",
            "organization": "Dock",
            "shares": ["template"],
            "members": [lib.lone_partner.pk],
        },
    )
    assert response.status_code == 302
    group = PartnerGroup.objects.get(name="Dock Co")
    assert group.shares == ["template"] and list(group.members.all()) == [lib.lone_partner]
    edit = reverse("repository:partner", args=["northwind", group.pk])
    client.post(
        edit, {"name": "Dock Company", "organization": "Dock", "shares": ["template", "learning"]}
    )
    group.refresh_from_db()
    assert group.name == "Dock Company" and group.shares == ["template", "learning"]
    client.post(edit, {"delete": "1"})
    assert not PartnerGroup.objects.filter(pk=group.pk).exists()


def test_partner_group_members_must_be_partners_and_names_unique(cast, lib, client_for):
    client = client_for(cast.organizer)
    response = client.post(
        PARTNERS, {"name": "harbor logistics", "organization": "X", "members": [cast.member.pk]}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "already has a partner group" in body and "Select a valid choice" in body
    assert PartnerGroup.objects.count() == 2


def test_taking_a_kind_away_stops_sharing_those_items(cast, lib, client_for):
    edit = reverse("repository:partner", args=["northwind", lib.group_a.pk])
    client_for(cast.organizer).post(
        edit,
        {
            "name": "Harbor Logistics",
            "organization": "Harbor",
            "shares": ["template"],
            "members": [cast.partner.pk],
        },
    )
    assert not lib.partners_item.partner_groups.exists()
    assert client_for(cast.partner).get(lib.partners_item.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["member", "host", "mentor", "partner", "outsider"])
def test_other_people_do_not_manage_partner_groups(cast, lib, client_for, who):
    client = client_for(person(cast, lib, who))
    assert client.get(PARTNERS).status_code == 404
    assert client.post(PARTNERS, {"name": "X", "organization": "Y"}).status_code == 404
    edit = reverse("repository:partner", args=["northwind", lib.group_a.pk])
    assert client.post(edit, {"delete": "1"}).status_code == 404
    assert PartnerGroup.objects.count() == 2


def test_deleting_a_group_keeps_its_items(cast, lib, client_for):
    edit = reverse("repository:partner", args=["northwind", lib.group_a.pk])
    client_for(cast.admin).post(edit, {"delete": "1"})
    assert RepositoryItem.objects.filter(pk=lib.partners_item.pk).exists()
