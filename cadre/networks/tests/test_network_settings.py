"""A network's admins change its name and description and keep its skill taxonomy: add,
rename, retire, and merge two skills (moving everything that named the one dropped). Pages
and API give the same answers; nobody else gets in."""

from typing import Any

import pytest
from django.urls import reverse

from cadre.lib.rules import Refused
from cadre.networks import services
from cadre.networks.models import Network, Skill
from cadre.people.models import ProfileSkill
from cadre.testing_parity import api_as, api_fields, call_api, fresh, page_as, rows


def url(cast: Any, name: str, *args: Any) -> str:
    return reverse(f"networks:{name}", args=[cast.network.slug, *args])


def skill(cast: Any, slug: str) -> Skill:
    return Skill.objects.get(network=cast.network, slug=slug)


# --- who gets in ----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["settings", "skills"])
@pytest.mark.parametrize(
    "who,status",
    [
        ("admin", 200),
        ("organizer", 404),
        ("host", 404),
        ("member", 404),
        ("mentor", 404),
        ("partner", 404),
        ("outsider", 404),
    ],
)
def test_only_the_networks_admins_open_its_settings(cast, client_for, page, who, status):
    assert client_for(getattr(cast, who)).get(url(cast, page)).status_code == status


def test_a_newcomer_who_is_no_admin_gets_404(cast, client_for):
    assert client_for(cast.newcomer).get(url(cast, "settings")).status_code == 404
    assert client_for(cast.newcomer).get(url(cast, "skills")).status_code == 404


def test_anonymous_is_sent_to_sign_in(cast, client_for):
    assert client_for(None).get(url(cast, "settings")).status_code == 302


def test_the_menu_shows_settings_to_admins_only(cast, client_for):
    home = reverse("networks:home", args=[cast.network.slug])
    assert url(cast, "settings") in client_for(cast.admin).get(home).content.decode()
    assert url(cast, "settings") not in client_for(cast.organizer).get(home).content.decode()


@pytest.mark.parametrize(
    "who,status", [("organizer", 403), ("member", 403), ("partner", 403), ("outsider", 404)]
)
def test_the_api_refuses_everyone_but_admins(cast, who, status):
    person = getattr(cast, who)
    path = f"/networks/{cast.network.slug}"
    assert api_as(person).get(path + "/skills").status_code == status
    body = {"name": "Taken over", "description": ""}
    assert call_api(person, "put", path + "/settings", body).status_code == status
    assert call_api(person, "post", path + "/skills", {"name": "X"}).status_code == status
    cast.network.refresh_from_db()
    assert cast.network.name == "Northwind Learning"


# --- settings ---------------------------------------------------------------------------------


def test_an_admin_renames_the_network_and_its_address_stays(cast, client_for):
    response = client_for(cast.admin).post(
        url(cast, "settings"), {"name": "Northwind Guild", "description": "We *learn*."}
    )
    assert response.status_code == 302
    network = Network.objects.get(pk=cast.network.pk)
    assert (network.name, network.description, network.slug) == (
        "Northwind Guild",
        "We *learn*.",
        "northwind",
    )


def test_an_empty_name_is_refused_and_nothing_is_saved(cast, client_for):
    response = client_for(cast.admin).post(
        url(cast, "settings"), {"name": "   ", "description": "changed"}
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    cast.network.refresh_from_db()
    assert cast.network.description == ""


def test_settings_through_page_and_api_leave_the_same_row(cast):
    snapshot = lambda: rows(Network.objects.filter(pk=cast.network.pk))  # noqa: E731
    data = {"name": "Northwind Guild", "description": "Peers."}
    page = fresh(lambda: page_as(cast.admin).post(url(cast, "settings"), data), snapshot)
    api = fresh(
        lambda: call_api(cast.admin, "put", f"/networks/{cast.network.slug}/settings", data),
        snapshot,
    )
    assert page.response.status_code == 302 and api.response.status_code == 200
    assert page.rows == api.rows
    assert page.rows[0]["name"] == "Northwind Guild"


# --- the skill taxonomy -----------------------------------------------------------------------


def test_the_taxonomy_is_listed_by_category(cast, client_for):
    Skill.objects.create(network=cast.network, name="Negotiation", category="People")
    page = client_for(cast.admin).get(url(cast, "skills")).content.decode()
    assert page.index("<h3>Core</h3>") < page.index("Facilitation") < page.index("<h3>People</h3>")
    assert "Welding" not in page  # another network's


def test_an_admin_adds_a_skill_and_a_second_with_the_same_name_is_refused(cast, client_for):
    client = client_for(cast.admin)
    data = {"name": "Negotiation", "category": "People", "description": "Getting to yes."}
    assert client.post(url(cast, "skills"), data).status_code == 302
    added = skill(cast, "negotiation")
    assert (added.category, added.description) == ("People", "Getting to yes.")
    response = client.post(url(cast, "skills"), {"name": "negotiation"})
    assert "already has a skill called “negotiation”" in response.content.decode()
    assert Skill.objects.filter(network=cast.network, name__iexact="negotiation").count() == 1


def test_adding_through_page_and_api_leaves_the_same_row(cast):
    snapshot = lambda: rows(Skill.objects.filter(network=cast.network).order_by("slug"))  # noqa: E731
    data = {"name": "Negotiation", "category": "People", "description": "Getting to yes."}
    page = fresh(lambda: page_as(cast.admin).post(url(cast, "skills"), data), snapshot)
    api = fresh(
        lambda: call_api(cast.admin, "post", f"/networks/{cast.network.slug}/skills", data),
        snapshot,
    )
    assert api.response.status_code == 201
    assert page.rows == api.rows
    refused_page = fresh(
        lambda: page_as(cast.admin).post(url(cast, "skills"), {"name": "Facilitation"}), snapshot
    )
    refused_api = fresh(
        lambda: call_api(
            cast.admin, "post", f"/networks/{cast.network.slug}/skills", {"name": "Facilitation"}
        ),
        snapshot,
    )
    sentence = "Northwind Learning already has a skill called “Facilitation”."
    assert sentence in refused_page.response.content.decode()
    assert api_fields(refused_api.response) == {"name": [sentence]}


def test_renaming_keeps_the_slug_and_the_ratings(cast, client_for):
    facilitation = skill(cast, "facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=facilitation, level=3)
    response = client_for(cast.admin).post(
        url(cast, "skill_edit", facilitation.pk),
        {"name": "Facilitating groups", "category": "Craft", "description": ""},
    )
    assert response.status_code == 302
    facilitation.refresh_from_db()
    assert (facilitation.name, facilitation.slug) == ("Facilitating groups", "facilitation")
    assert facilitation.ratings.get().level == 3


def test_a_retired_skill_leaves_the_pickers_but_stays_on_profiles(cast, client_for):
    facilitation = skill(cast, "facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=facilitation, level=3)
    client_for(cast.admin).post(url(cast, "skill_retire", facilitation.pk), {"action": "retire"})
    facilitation.refresh_from_db()
    assert facilitation.is_retired
    # Someone who never rated it is no longer offered it...
    host_form = client_for(cast.host).get(reverse("people:profile_edit")).content.decode()
    assert f"skill_{facilitation.pk}" not in host_form
    # ...while the person who rated it keeps their rating.
    member_form = client_for(cast.member).get(reverse("people:profile_edit")).content.decode()
    assert f"skill_{facilitation.pk}" in member_form
    directory = client_for(cast.member).get(reverse("networks:directory", args=[cast.network.slug]))
    assert 'value="facilitation"' not in directory.content.decode()  # the filter's choices
    detail = api_as(cast.member).get(f"/networks/{cast.network.slug}").json()
    assert "facilitation" not in [s["slug"] for s in detail["skills"]]
    client_for(cast.admin).post(url(cast, "skill_retire", facilitation.pk), {"action": "restore"})
    facilitation.refresh_from_db()
    assert not facilitation.is_retired


def test_merging_moves_ratings_targets_and_tags_in_one_go(cast, client_for):
    from cadre.diagnostics.models import TargetSkill
    from cadre.journal.models import JournalEntry

    drop, keep = skill(cast, "data-analysis"), skill(cast, "facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=drop, level=2)
    # The host rated both: their rating of the kept skill stays.
    ProfileSkill.objects.create(profile=cast.host.profile, skill=drop, level=1)
    ProfileSkill.objects.create(profile=cast.host.profile, skill=keep, level=4)
    TargetSkill.objects.create(cohort=cast.cohort, skill=drop, target_level=3)
    entry = JournalEntry.objects.create(
        network=cast.network, author=cast.member, title="Notes", body="..."
    )
    entry.skills.add(drop)
    response = client_for(cast.admin).post(url(cast, "skill_merge", drop.pk), {"into": keep.pk})
    assert response.status_code == 302
    assert not Skill.objects.filter(pk=drop.pk).exists()
    levels = dict(ProfileSkill.objects.filter(skill=keep).values_list("profile__user_id", "level"))
    assert levels == {cast.member.pk: 2, cast.host.pk: 4}
    assert TargetSkill.objects.get(cohort=cast.cohort).skill == keep
    assert list(entry.skills.all()) == [keep]


def test_a_skill_cannot_be_merged_into_itself_or_another_networks(cast):
    facilitation = skill(cast, "facilitation")
    with pytest.raises(Refused, match="cannot be merged into itself"):
        services.merge_skills(cast.admin, drop=facilitation, keep=facilitation)
    welding = Skill.objects.get(slug="welding")
    with pytest.raises(Refused):
        services.merge_skills(cast.admin, drop=facilitation, keep=welding)
    assert Skill.objects.filter(pk=facilitation.pk).exists()


def test_merging_through_page_and_api_leaves_the_same_rows(cast):
    drop, keep = skill(cast, "data-analysis"), skill(cast, "facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=drop, level=2)

    def snapshot():
        return (
            rows(Skill.objects.filter(network=cast.network).order_by("slug")),
            rows(ProfileSkill.objects.order_by("profile_id", "skill_id")),
        )

    page = fresh(
        lambda: page_as(cast.admin).post(url(cast, "skill_merge", drop.pk), {"into": keep.pk}),
        snapshot,
    )
    api = fresh(
        lambda: call_api(
            cast.admin,
            "post",
            f"/networks/{cast.network.slug}/skills/{drop.pk}/merge",
            {"into": "facilitation"},
        ),
        snapshot,
    )
    assert api.response.status_code == 200
    assert page.rows == api.rows


def test_the_api_patches_and_retires_a_skill(cast):
    facilitation = skill(cast, "facilitation")
    path = f"/networks/{cast.network.slug}/skills/{facilitation.pk}"
    response = call_api(cast.admin, "patch", path, {"description": "Runs a room.", "retired": True})
    assert response.status_code == 200
    assert response.json()["retired"] is True
    facilitation.refresh_from_db()
    assert (facilitation.name, facilitation.description) == ("Facilitation", "Runs a room.")
    assert facilitation.is_retired
    other = Skill.objects.get(slug="welding")
    missing = f"/networks/{cast.network.slug}/skills/{other.pk}"
    assert call_api(cast.admin, "patch", missing, {"name": "x"}).status_code == 404


def test_members_and_organizers_cannot_change_skills_on_the_pages(cast, client_for):
    facilitation = skill(cast, "facilitation")
    for who in (cast.organizer, cast.member, cast.outsider):
        client = client_for(who)
        assert client.post(url(cast, "skill_retire", facilitation.pk)).status_code == 404
        merge = client.post(url(cast, "skill_merge", facilitation.pk), {"into": 1})
        assert merge.status_code == 404
    facilitation.refresh_from_db()
    assert not facilitation.is_retired
