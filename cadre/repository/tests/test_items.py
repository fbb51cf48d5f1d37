"""Adding, changing and deleting items; visibility choices and their rules."""

import json

import pytest
from django.urls import reverse

from cadre.repository.models import RepositoryItem

from .conftest import person

NEW = "/n/northwind/library/new/"


def edit(item):
    return reverse("repository:edit", args=["northwind", item.pk])


def delete(item):
    return reverse("repository:delete", args=["northwind", item.pk])


def form(**fields):
    data = {
        "kind": "learning",
        "title": "Blameless reviews work",
        "body": "We tried it.",
        "visibility": "network",
        "data": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("who", ["member", "host", "organizer", "mentor"])
def test_the_networks_people_add_items(cast, lib, client_for, who):
    user = person(cast, lib, who)
    response = client_for(user).post(NEW, form())
    assert response.status_code == 302
    made = RepositoryItem.objects.get(title="Blameless reviews work")
    assert made.author == user and made.network == cast.network and made.kind == "learning"


@pytest.mark.parametrize("who", ["partner", "lone_partner"])
def test_partners_do_not_add_items(cast, lib, client_for, who):
    assert client_for(person(cast, lib, who)).post(NEW, form()).status_code == 403
    assert not RepositoryItem.objects.filter(title="Blameless reviews work").exists()


def test_outsiders_and_anonymous_cannot_reach_the_new_item_page(cast, lib, client_for):
    assert client_for(cast.outsider).get(NEW).status_code == 404
    assert client_for(None).get(NEW).status_code == 302


def test_partner_visibility_needs_a_group_that_is_offered_the_kind(cast, lib, client_for):
    lib.group_b.shares = ["template"]
    lib.group_b.save()
    client = client_for(cast.member)
    response = client.post(NEW, form(visibility="partners"))
    assert response.status_code == 422
    assert "Name at least one partner group" in response.content.decode()
    response = client.post(NEW, form(visibility="partners", partner_groups=[lib.group_b.pk]))
    assert response.status_code == 422
    assert "Quay Partners is not offered learnings" in response.content.decode()
    assert not RepositoryItem.objects.filter(title="Blameless reviews work").exists()
    response = client.post(NEW, form(visibility="partners", partner_groups=[lib.group_a.pk]))
    assert response.status_code == 302
    made = RepositoryItem.objects.get(title="Blameless reviews work")
    assert list(made.partner_groups.all()) == [lib.group_a]


def test_groups_are_dropped_when_the_item_is_not_for_partners(cast, lib, client_for):
    client_for(cast.member).post(NEW, form(visibility="public", partner_groups=[lib.group_a.pk]))
    made = RepositoryItem.objects.get(title="Blameless reviews work")
    assert made.visibility == "public" and not made.partner_groups.exists()


def test_a_template_needs_its_kind_and_well_formed_data(cast, lib, client_for):
    client = client_for(cast.host)
    response = client.post(NEW, form(kind="template"))
    assert response.status_code == 422
    assert "Say what kind of template this is" in response.content.decode()
    bad = {"blocks": [{"kind": "check_in", "title": "Check-in", "minutes": 0}]}
    response = client.post(NEW, form(kind="template", template_kind="agenda", data=json.dumps(bad)))
    assert response.status_code == 422
    assert "Block 1: minutes must be a whole number from 1 to 480" in response.content.decode()
    response = client.post(NEW, form(kind="template", template_kind="agenda", data="{not json"))
    assert response.status_code == 422
    assert not RepositoryItem.objects.filter(title="Blameless reviews work").exists()
    good = {"blocks": [{"kind": "check_in", "title": "Check-in", "minutes": 10}]}
    response = client.post(
        NEW, form(kind="template", template_kind="agenda", data=json.dumps(good))
    )
    assert response.status_code == 302
    assert RepositoryItem.objects.get(title="Blameless reviews work").data == good


def test_save_as_template_starts_from_a_charter_the_person_may_see(cast, lib, client_for):
    page = client_for(cast.host).get(NEW, {"from_charter": cast.cohort.pk})
    assert page.status_code == 200
    assert "Secret mission of Platform Reliability" in page.content.decode()
    other = client_for(cast.other_cohort_member).get(NEW, {"from_charter": cast.cohort.pk})
    assert other.status_code == 404


@pytest.mark.parametrize("who", ["author", "organizer", "admin"])
def test_the_author_and_organizers_edit_and_delete(cast, lib, client_for, who):
    client = client_for(person(cast, lib, who))
    assert client.get(edit(lib.network_item)).status_code == 200
    response = client.post(edit(lib.network_item), form(title="Renamed", visibility="public"))
    assert response.status_code == 302
    lib.network_item.refresh_from_db()
    assert lib.network_item.title == "Renamed" and lib.network_item.kind == "case_study"
    assert client.post(delete(lib.network_item)).status_code == 302
    assert not RepositoryItem.objects.filter(pk=lib.network_item.pk).exists()


@pytest.mark.parametrize("who", ["peer", "host", "mentor", "other_cohort_member"])
def test_other_people_of_the_network_may_not_change_an_item(cast, lib, client_for, who):
    client = client_for(person(cast, lib, who))
    assert client.get(edit(lib.network_item)).status_code == 403
    assert client.post(edit(lib.network_item), form(title="Renamed")).status_code == 403
    assert client.post(delete(lib.network_item)).status_code == 403
    lib.network_item.refresh_from_db()
    assert lib.network_item.title == "Network only game day"


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_people_who_cannot_read_the_item_get_404_when_changing_it(cast, lib, client_for, who):
    client = client_for(person(cast, lib, who))
    assert client.post(edit(lib.network_item), form(title="x")).status_code == 404
    assert client.post(delete(lib.network_item)).status_code == 404
    # A partner reads the shared item but does not change it.
    if who == "partner":
        assert client.post(edit(lib.partners_item), form(title="x")).status_code == 403


def test_a_bad_edit_saves_nothing(cast, lib, client_for):
    response = client_for(cast.member).post(
        edit(lib.network_item), form(title="", visibility="partners")
    )
    assert response.status_code == 422
    lib.network_item.refresh_from_db()
    assert lib.network_item.title == "Network only game day"
    assert lib.network_item.visibility == "network"


def test_save_as_template_from_a_session_agenda_or_an_experiment_keeps_the_origin(
    cast, lib, client_for
):
    from cadre.schedule.models import AgendaBlock

    from .helpers import experiment, upcoming_session

    session = upcoming_session(cast.cohort, minutes=60)
    AgendaBlock.ensure_for(session)
    exp = experiment(cast.member, cast.cohort, title="Pairing on incidents")
    client = client_for(cast.member)
    page = client.get(NEW).content.decode()
    assert "Save as template" in page and "Pairing on incidents" in page
    prefilled = client.get(NEW, {"from_session": session.pk}).content.decode()
    assert "Primary learning activity" in prefilled
    url = f"{NEW}?from_experiment={exp.pk}"
    assert "Practising recovery halves recovery time." in client.get(url).content.decode()
    data = {"capability": "Incident response", "hypothesis": "h", "plan": "p"}
    response = client.post(
        url,
        form(kind="template", template_kind="experiment_plan", title="Plan", data=json.dumps(data)),
    )
    assert response.status_code == 302
    made = RepositoryItem.objects.get(title="Plan")
    assert made.origin_cohort == cast.cohort and made.data == data
    assert client_for(cast.other_cohort_member).get(url).status_code == 404
