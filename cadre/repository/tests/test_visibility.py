"""Who reads which item, on the library page and the item page: every kind of person against
every visibility."""

import pytest
from django.urls import reverse

from .conftest import person

INSIDERS = ["author", "peer", "other_cohort_member", "host", "organizer", "admin", "mentor"]
OUTSIDE = ["partner_b", "lone_partner", "outsider"]


def detail(item):
    return reverse("repository:item", args=[item.network.slug, item.pk])


LIST = "/n/northwind/library/"


@pytest.mark.parametrize("who", INSIDERS)
def test_the_networks_people_read_network_and_partner_items(cast, lib, client_for, who):
    client = client_for(person(cast, lib, who))
    for found in (lib.network_item, lib.partners_item, lib.public_item):
        response = client.get(detail(found))
        assert response.status_code == 200, (who, found)
        assert found.title in response.content.decode()
    page = client.get(LIST).content.decode()
    for found in (lib.network_item, lib.partners_item, lib.public_item):
        assert found.title in page
    assert lib.foreign_item.title not in page


def test_a_partner_reads_what_is_shared_with_their_group_and_public_items(cast, lib, client_for):
    client = client_for(cast.partner)
    assert client.get(detail(lib.partners_item)).status_code == 200
    assert client.get(detail(lib.public_item)).status_code == 200
    assert client.get(detail(lib.network_item)).status_code == 404
    page = client.get(LIST).content.decode()
    assert lib.partners_item.title in page and lib.public_item.title in page
    assert lib.network_item.title not in page


def test_a_partner_sees_the_origin_of_every_item_and_no_directory_names(cast, lib, client_for):
    lib.partners_item.record_reuse(cast.host, cast.cohort)
    body = client_for(cast.partner).get(detail(lib.partners_item)).content.decode()
    assert "From Northwind Learning · Platform Reliability cohort" in body
    assert "Hana Host" not in body  # who used it is for the network's people
    assert "Used 1 time" in body
    insider = client_for(cast.mentor).get(detail(lib.partners_item)).content.decode()
    assert "Hana Host" in insider and "in Platform Reliability" in insider


@pytest.mark.parametrize("who", OUTSIDE)
def test_people_outside_the_sharing_get_404_for_network_and_partner_items(
    cast, lib, client_for, who
):
    client = client_for(person(cast, lib, who))
    assert client.get(detail(lib.network_item)).status_code == 404
    assert client.get(detail(lib.partners_item)).status_code == 404
    assert client.get(detail(lib.public_item)).status_code == 200


@pytest.mark.parametrize("who", ["partner_b", "lone_partner"])
def test_other_partners_do_not_see_items_shared_with_another_group(cast, lib, client_for, who):
    page = client_for(person(cast, lib, who)).get(LIST).content.decode()
    assert lib.partners_item.title not in page
    assert lib.network_item.title not in page
    assert lib.public_item.title in page


def test_an_outsider_gets_404_for_the_library_page(cast, lib, client_for):
    assert client_for(cast.outsider).get(LIST).status_code == 404


def test_anonymous_visitors_read_public_items_and_are_sent_to_sign_in_otherwise(
    cast, lib, client_for
):
    client = client_for(None)
    response = client.get(detail(lib.public_item))
    assert response.status_code == 200
    assert "From Northwind Learning" in response.content.decode()
    for url in (
        detail(lib.network_item),
        detail(lib.partners_item),
        "/n/northwind/library/999999/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert client.get(LIST).status_code == 302


def test_the_network_slug_must_match_the_item(cast, lib, client_for):
    url = reverse("repository:item", args=["southgate", lib.public_item.pk])
    assert client_for(cast.outsider).get(url).status_code == 404
    url = reverse("repository:item", args=["southgate", lib.network_item.pk])
    assert client_for(cast.member).get(url).status_code == 404


def test_the_code_of_conduct_gate_applies_to_network_items_not_public_ones(cast, lib, client_for):
    client = client_for(cast.newcomer)
    response = client.get(detail(lib.network_item))
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert client.get(LIST).status_code == 302
    assert client.get(detail(lib.public_item)).status_code == 200


def test_the_body_is_rendered_as_sanitized_markdown(cast, lib, client_for):
    lib.network_item.body = "## Steps\n\n<script>alert(1)</script>\n\n**bold**"
    lib.network_item.save()
    body = client_for(cast.member).get(detail(lib.network_item)).content.decode()
    assert "<strong>bold</strong>" in body
    assert "<script>alert(1)" not in body


def test_the_library_page_filters_by_kind_skill_and_cohort(cast, lib, client_for):
    from .conftest import item

    skill = cast.network.skills.get(slug="facilitation")
    template = item(
        cast.network,
        cast.host,
        "Agenda for game days",
        kind="template",
        template_kind="agenda",
        origin_cohort=cast.other_cohort,
    )
    template.skills.add(skill)
    client = client_for(cast.member)
    page = client.get(LIST, {"kind": "template"}).content.decode()
    assert template.title in page and lib.network_item.title not in page
    page = client.get(LIST, {"skill": "facilitation"}).content.decode()
    assert template.title in page and lib.public_item.title not in page
    page = client.get(LIST, {"cohort": "design-ops"}).content.decode()
    assert template.title in page and lib.network_item.title not in page
    page = client.get(LIST, {"cohort": "reliability"}).content.decode()
    assert template.title not in page and lib.network_item.title in page


def test_the_library_page_is_paginated(cast, lib, client_for):
    from .conftest import item

    for n in range(25):
        item(cast.network, cast.member, f"Learning number {n:02d}", kind="learning")
    client = client_for(cast.member)
    first = client.get(LIST, {"kind": "learning"}).content.decode()
    assert "Page 1 of 2" in first and "kind=learning&amp;page=2" in first
    second = client.get(LIST, {"kind": "learning", "page": 2}).content.decode()
    assert "Learning number 00" in second and "Learning number 24" not in second


def _queries(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(LIST).status_code == 200
    return len(ctx.captured_queries)


def test_the_library_page_costs_the_same_queries_at_two_sizes(cast, lib, client_for):
    from .conftest import item

    skills = list(cast.network.skills.all())
    client = client_for(cast.partner)

    def add(n):
        for i in range(n):
            made = item(
                cast.network,
                cast.member,
                f"Shared {i}",
                visibility="partners",
                groups=[lib.group_a],
                origin_cohort=cast.cohort,
            )
            made.skills.set(skills)

    add(3)
    small = _queries(client, None)
    add(15)
    large = _queries(client, None)
    assert small == large
    assert large <= 15


@pytest.mark.parametrize("found", ["partners_item", "public_item"])
def test_a_partner_reads_an_item_without_who_wrote_it(cast, lib, client_for, api_as, found):
    shared = getattr(lib, found)
    page = client_for(cast.partner).get(detail(shared)).content.decode()
    assert shared.title in page and cast.member.name not in page
    api = api_as(cast.partner).get(f"/networks/northwind/library/items/{shared.pk}")
    assert api.status_code == 200 and api.json()["author"] is None
    insider = client_for(cast.mentor).get(detail(shared)).content.decode()
    assert f"by {cast.member.name}" in insider
    assert (
        api_as(cast.mentor)
        .get(f"/networks/northwind/library/items/{shared.pk}")
        .json()["author"]["name"]
        == cast.member.name
    )
