"""The journal's pages tried by every kind of person, for each visibility."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.journal.models import JournalEntry

from .helpers import VISIBILITIES, a_session, add_person, entry_for, write

READERS = {
    "private": {"author", "named_mentor"},
    "cohort": {"author", "peer", "host", "organizer", "admin", "named_mentor"},
    "network": {
        "author",
        "peer",
        "host",
        "other_cohort_member",
        "organizer",
        "admin",
        "mentor",
        "named_mentor",
    },
}
INSIDERS = [
    "author",
    "peer",
    "host",
    "other_cohort_member",
    "organizer",
    "admin",
    "mentor",
    "named_mentor",
    "partner",
]
EVERYONE = [*INSIDERS, "outsider", "newcomer", "anonymous"]


def url(name, *args, network="northwind"):
    return reverse(f"journal:{name}", args=[network, *args])


def entries_by_visibility(cast, people):
    return {
        v: entry_for(
            cast,
            v,
            title=f"Entry kept {v}",
            tags=("game-day",),
            shared_with=[people["named_mentor"]],
        )
        for v in VISIBILITIES
    }


def assert_gatekept(response, person, path):
    """Anonymous visitors sign in first; the newcomer accepts the code of conduct first."""
    assert response.status_code == 302
    if person == "anonymous":
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
        assert quote(path) in response.url


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("person", EVERYONE)
def test_an_entry_is_read_by_exactly_the_people_its_visibility_names(
    cast, people, client_for, person, visibility
):
    entry = entry_for(cast, visibility, shared_with=[people["named_mentor"]])
    path = url("entry", entry.pk)
    response = client_for(people[person]).get(path)
    if person in ("anonymous", "newcomer"):
        assert_gatekept(response, person, path)
    elif person in READERS[visibility]:
        assert response.status_code == 200
        assert entry.title in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("person", INSIDERS)
def test_the_network_journal_lists_what_each_person_may_read(cast, people, client_for, person):
    entries_by_visibility(cast, people)
    page = client_for(people[person]).get(url("list")).content.decode()
    for visibility in VISIBILITIES:
        assert (f"Entry kept {visibility}" in page) == (person in READERS[visibility])


@pytest.mark.parametrize("person", INSIDERS)
def test_the_tag_page_lists_what_each_person_may_read(cast, people, client_for, person):
    entries_by_visibility(cast, people)
    response = client_for(people[person]).get(url("tag", "game-day"))
    assert response.status_code == 200
    page = response.content.decode()
    for visibility in VISIBILITIES:
        assert (f"Entry kept {visibility}" in page) == (person in READERS[visibility])


@pytest.mark.parametrize("person", INSIDERS)
def test_my_journal_holds_only_my_own_entries(cast, people, client_for, person):
    entries_by_visibility(cast, people)
    mine = write(people[person], cast.network, title=f"Written by {person}")
    page = client_for(people[person]).get(url("mine")).content.decode()
    assert mine.title in page
    for visibility in VISIBILITIES:
        assert (f"Entry kept {visibility}" in page) == (person == "author")


@pytest.mark.parametrize("page", ["list", "mine", "new"])
@pytest.mark.parametrize("person", ["outsider", "anonymous", "newcomer"])
def test_people_outside_the_network_or_its_code_are_kept_out(
    cast, people, client_for, page, person
):
    response = client_for(people[person]).get(url(page))
    if person == "outsider":
        assert response.status_code == 404
    else:
        assert_gatekept(response, person, url(page))


def test_the_outsider_cannot_reach_the_tag_page_either(cast, people, client_for):
    entries_by_visibility(cast, people)
    assert client_for(cast.outsider).get(url("tag", "game-day")).status_code == 404


def test_a_cohort_entry_is_not_read_by_a_former_member(cast, people, client_for):
    entry = entry_for(cast, "cohort")
    membership = cast.cohort.memberships.get(user=people["peer"])
    membership.left_on = membership.joined_on
    membership.save()
    assert client_for(people["peer"]).get(url("entry", entry.pk)).status_code == 404


def test_a_private_entry_shared_with_a_partner_is_read_by_that_partner(cast, client_for):
    entry = entry_for(cast, "private", shared_with=[cast.partner])
    assert client_for(cast.partner).get(url("entry", entry.pk)).status_code == 200


def test_an_entry_of_another_network_is_not_found_here(cast, client_for):
    theirs = write(cast.outsider, cast.other_network, visibility="network")
    assert client_for(cast.member).get(url("entry", theirs.pk)).status_code == 404
    assert client_for(cast.outsider).get(url("entry", theirs.pk)).status_code == 404
    assert (
        client_for(cast.outsider).get(url("entry", theirs.pk, network="southgate")).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("visibility", "words"),
    [
        ("private", "Only Mo Member, and Max Namedmentor, by name."),
        (
            "cohort",
            "Mo Member and the members of Platform Reliability, and the network’s organizers, "
            "and Max Namedmentor, by name.",
        ),
        (
            "network",
            "Everyone in Northwind Learning except partners, and Max Namedmentor, by name.",
        ),
    ],
)
def test_the_entry_says_in_words_who_can_read_it(cast, people, client_for, visibility, words):
    entry = entry_for(cast, visibility, shared_with=[people["named_mentor"]])
    response = client_for(cast.member).get(url("entry", entry.pk))
    assert response.context["readers"] == words
    assert words.replace("’", "&rsquo;") in response.content.decode() or words in (
        response.content.decode()
    )


def test_the_entry_shows_its_links_tags_and_skills(cast, client_for):
    session = a_session(cast.cohort)
    skill = cast.network.skills.get(name="Facilitation")
    entry = entry_for(cast, "cohort", session=session, tags=("retro",), skills=[skill])
    page = client_for(cast.host).get(url("entry", entry.pk)).content.decode()
    assert reverse("schedule:session", args=["northwind", "reliability", session.pk]) in page
    assert reverse("journal:tag", args=["northwind", "retro"]) in page
    assert "Facilitation" in page


def test_a_link_to_my_private_commitment_is_hidden_from_other_readers(cast, client_for):
    from cadre.accountability.tests.helpers import commit

    secret = commit(cast.member, cast.cohort, "Secret: apply for the lead role by Friday")
    secret.visibility = "private"
    secret.save()
    entry = entry_for(cast, "network", cohort=cast.cohort, commitment=secret)
    assert "Secret: apply" in client_for(cast.member).get(url("entry", entry.pk)).content.decode()
    page = client_for(cast.host).get(url("entry", entry.pk)).content.decode()
    assert entry.title in page and "Secret: apply" not in page


# --- filters and pages ----------------------------------------------------------------------


def test_the_network_journal_filters_by_tag_skill_cohort_and_author(cast, people, client_for):
    skill = cast.network.skills.get(name="Data analysis")
    write(cast.member, cast.network, visibility="network", title="Tagged one", tags=("metrics",))
    write(cast.member, cast.network, visibility="network", title="Skilled one", skills=[skill])
    write(cast.host, cast.network, visibility="cohort", cohort=cast.cohort, title="Cohort one")
    write(cast.host, cast.network, visibility="network", title="Host one")
    client = client_for(people["peer"])

    def titles(**params):
        response = client.get(url("list"), params)
        return {e.title for e in response.context["page"].object_list}

    assert titles(tag="Metrics") == {"Tagged one"}
    assert titles(skill=skill.slug) == {"Skilled one"}
    assert titles(cohort="reliability") == {"Cohort one"}
    assert titles(author=cast.host.pk) == {"Cohort one", "Host one"}
    assert len(titles()) == 4


def test_my_journal_filters_by_tag(cast, client_for):
    write(cast.member, cast.network, title="About metrics", tags=("metrics",))
    write(cast.member, cast.network, title="About retros", tags=("retro",))
    response = client_for(cast.member).get(url("mine"), {"tag": "retro"})
    assert [e.title for e in response.context["page"].object_list] == ["About retros"]


def test_the_lists_are_paginated_newest_first(cast, client_for):
    for n in range(25):
        write(cast.member, cast.network, visibility="network", title=f"Entry number {n:02d}")
    client = client_for(cast.host)
    first = client.get(url("list"))
    assert [e.title for e in first.context["page"].object_list][:2] == [
        "Entry number 24",
        "Entry number 23",
    ]
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(url("list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def _many(cast, people, count, start=0):
    skills = list(cast.network.skills.all())
    for n in range(start, start + count):
        author = [cast.member, cast.host, people["peer"]][n % 3]
        write(
            author,
            cast.network,
            visibility=VISIBILITIES[n % 3],
            cohort=cast.cohort,
            session=a_session(cast.cohort),
            title=f"Entry {n}",
            tags=(f"tag-{n}", "common"),
            skills=skills[: n % 3 + 1],
            shared_with=[people["named_mentor"], cast.mentor],
        )


@pytest.mark.parametrize("page", ["list", "mine"])
def test_the_lists_cost_the_same_queries_at_two_sizes(cast, people, client_for, page):
    client = client_for(cast.member)
    _many(cast, people, 3)
    client.get(url(page))  # warm the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(url(page)).status_code == 200
    _many(cast, people, 15, start=3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(page))
    assert len(response.context["page"].object_list) > 3
    assert len(large) == len(small)


# --- writing, changing, deleting ------------------------------------------------------------


@pytest.mark.parametrize("person", INSIDERS)
def test_everyone_in_the_network_may_open_the_new_entry_form(cast, people, client_for, person):
    assert client_for(people[person]).get(url("new")).status_code == 200


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("person", EVERYONE)
@pytest.mark.parametrize("page", ["edit", "delete"])
def test_only_the_author_changes_or_deletes(cast, people, client_for, person, visibility, page):
    entry = entry_for(cast, visibility, shared_with=[people["named_mentor"]])
    path = url(page, entry.pk)
    client = client_for(people[person])
    response = client.get(path)
    if person in ("anonymous", "newcomer"):
        assert_gatekept(response, person, path)
    elif person == "author":
        assert response.status_code == 200
    elif person in READERS[visibility]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    if person != "author":
        client.post(path, {"title": "Taken over", "body": "x", "visibility": "network"})
        entry.refresh_from_db()
        assert entry.title != "Taken over"


def test_the_author_deletes_after_confirming(cast, client_for):
    entry = entry_for(cast, "network", tags=("gone",))
    client = client_for(cast.member)
    confirm = client.get(url("delete", entry.pk))
    assert "Delete “" in confirm.content.decode() and JournalEntry.objects.filter(pk=entry.pk)
    response = client.post(url("delete", entry.pk))
    assert response.status_code == 302 and response.url == url("mine")
    assert not JournalEntry.objects.filter(pk=entry.pk).exists()


def test_the_network_home_links_to_the_journal(cast, client_for):
    page = client_for(cast.member).get(reverse("networks:home", args=["northwind"]))
    assert url("mine") in page.content.decode()


@pytest.mark.parametrize(
    ("page", "param"),
    [
        ("schedule:session", "session"),
        ("accountability:experiment", "experiment"),
        ("accountability:commitment", "commitment"),
    ],
)
def test_session_experiment_and_commitment_pages_link_to_a_prefilled_entry(
    cast, client_for, page, param
):
    from datetime import timedelta

    from django.utils import timezone

    from cadre.accountability.models import Experiment
    from cadre.accountability.tests.helpers import commit

    today = timezone.localdate()
    items = {
        "session": lambda: a_session(cast.cohort),
        "experiment": lambda: Experiment.objects.create(
            cohort=cast.cohort,
            owner=cast.member,
            title="Pre-reads",
            capability="Shorter meetings",
            hypothesis="h",
            plan="p",
            starts_on=today,
            ends_on=today + timedelta(days=7),
            measure="minutes",
        ),
        "commitment": lambda: commit(cast.member, cast.cohort),
    }
    item = items[param]()
    response = client_for(cast.member).get(
        reverse(page, args=["northwind", "reliability", item.pk])
    )
    link = f"{url('new')}?{param}={item.pk}"
    assert link in response.content.decode()
    form = client_for(cast.member).get(link).context["form"]
    assert form.initial[param] == item.pk and form.initial["cohort"] == cast.cohort


def test_someone_elses_private_commitment_is_not_prefilled(cast, client_for):
    from cadre.accountability.tests.helpers import commit

    secret = commit(cast.host, cast.cohort, visibility="private")
    form = client_for(cast.member).get(f"{url('new')}?commitment={secret.pk}").context["form"]
    assert form.initial.get("commitment") is None


def test_a_named_reader_who_is_new_to_the_network_is_listed_too(cast, client_for):
    newcomer_mentor = add_person(cast, "neo@northwind.test", "Neo Mentor", "mentor")
    entry_for(cast, "private", title="Just for Neo", shared_with=[newcomer_mentor])
    page = client_for(newcomer_mentor).get(url("list")).content.decode()
    assert "Just for Neo" in page


def test_filtering_with_htmx_answers_only_the_results(cast, client_for):
    write(cast.member, cast.network, visibility="network", title="Tagged one", tags=("metrics",))
    write(cast.member, cast.network, visibility="network", title="Other one")
    client = client_for(cast.host)
    fragment = client.get(url("list"), {"tag": "metrics"}, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "Tagged one" in html and "Other one" not in html
    assert "<html" not in html and "<form" not in html
    whole = client.get(url("list"), {"tag": "metrics"}).content.decode()
    assert "<html" in whole and 'role="search"' in whole and "Tagged one" in whole
