"""The network home asks the feature apps for what they add (cadre/networks/contributions.py)
instead of importing them."""

from django.urls import reverse

from cadre.networks import contributions
from cadre.networks.contributions import Card, NetworkHome, Section
from cadre.networks.models import CodeOfConduct


def home(cast, client_for, who):
    return client_for(who).get(reverse("networks:home", args=[cast.network.slug]))


def test_the_installed_apps_add_my_week_and_the_cards_active_members(cast, client_for):
    response = home(cast, client_for, cast.member)
    assert [s.template for s in response.context["sections"]] == ["reminders/_my_week.html"]
    assert "active_members" in response.context["my_cards"][0].figures
    assert b"My week" in response.content and b"active member" in response.content


def test_without_contributors_the_core_page_still_renders_on_its_own(cast, client_for, monkeypatch):
    monkeypatch.setattr(contributions, "_contributors", [])
    response = home(cast, client_for, cast.member)
    assert response.status_code == 200
    assert response.context["sections"] == []
    assert [c.cohort for c in response.context["my_cards"]] == [cast.cohort]
    assert b"My week" not in response.content and b"active member" not in response.content


def test_a_contributor_sees_the_page_as_built_and_adds_in_registration_order(cast, monkeypatch):
    monkeypatch.setattr(contributions, "_contributors", [])
    seen = []

    def first(page: NetworkHome) -> None:
        seen.append([c.cohort for c in page.my_cards])
        page.sections.append(Section("a.html", {}))

    def second(page: NetworkHome) -> None:
        page.sections.append(Section("b.html", {}))

    for contributor in (first, second, first):
        contributions.on_network_home(contributor)
    page = contributions.contribute(
        NetworkHome(
            user=cast.member,
            network=cast.network,
            cards=[Card(cast.cohort, is_member=True), Card(cast.other_cohort, is_member=False)],
            conduct_pending=False,
        )
    )
    assert seen == [[cast.cohort]]
    assert [s.template for s in page.sections] == ["a.html", "b.html"]


def test_a_member_who_has_not_accepted_the_conduct_gets_no_week(cast, client_for):
    CodeOfConduct.objects.create(network=cast.network, version=2, body="New rules.")
    response = home(cast, client_for, cast.member)
    assert response.context["must_accept_conduct"]
    assert response.context["sections"] == []
