"""Writing and changing entries: what is saved, and the messages that name the field when
something is wrong (and then nothing is saved)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import Experiment
from cadre.accountability.tests.helpers import commit
from cadre.journal.forms import parse_tags
from cadre.journal.models import MAX_BODY_CHARS, MAX_TAGS, JournalEntry, JournalTag
from cadre.networks.models import Skill

from .helpers import a_session, write

NEW = reverse("journal:new", args=["northwind"])


def post(client, **fields):
    data = {"title": "What the retro taught me", "body": "Listen first.", "visibility": "private"}
    data.update(fields)
    return client.post(NEW, data)


def errors_of(response):
    assert response.status_code == 422
    assert "Nothing is saved yet" in response.content.decode()
    return response.context["form"].errors


def test_a_member_writes_an_entry_with_everything(cast, client_for):
    session = a_session(cast.cohort)
    skills = list(cast.network.skills.order_by("slug")[:2])
    response = post(
        client_for(cast.member),
        visibility="cohort",
        cohort="reliability",
        session=session.pk,
        skills=[s.slug for s in skills],
        shared_with=[cast.mentor.pk],
        tags="Incident Review, on-call , ON-CALL,,",
    )
    entry = JournalEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "journal:entry", args=["northwind", entry.pk]
    )
    assert (entry.author, entry.cohort, entry.session, entry.visibility) == (
        cast.member,
        cast.cohort,
        session,
        "cohort",
    )
    assert sorted(t.name for t in entry.tags.all()) == ["incident-review", "on-call"]
    assert set(entry.skills.all()) == set(skills)
    assert list(entry.shared_with.all()) == [cast.mentor]


def test_the_cohort_is_taken_from_what_the_entry_is_tied_to(cast, client_for):
    session = a_session(cast.cohort)
    post(client_for(cast.member), session=session.pk)
    assert JournalEntry.objects.get().cohort == cast.cohort


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"body": "x" * (MAX_BODY_CHARS + 1)}, "body", f"under {MAX_BODY_CHARS:,} characters"),
        ({"tags": ", ".join(f"t{n}" for n in range(MAX_TAGS + 1))}, "tags", f"at most {MAX_TAGS}"),
        ({"tags": "ok, " + "x" * 41}, "tags", "too long for a tag"),
        ({"tags": "fine, ???"}, "tags", "no letters or digits"),
        ({"visibility": "cohort"}, "cohort", "Choose the cohort that may read this entry."),
        ({"visibility": "everyone"}, "visibility", "Choose who can read it"),
        ({"cohort": "design-ops"}, "cohort", "one of the cohorts you are a member of"),
        ({"skills": ["welding"]}, "skills", "Choose skills of Northwind Learning"),
    ],
)
def test_bad_input_is_refused_naming_the_field(cast, client_for, fields, field, message):
    if fields.get("skills") == ["welding"]:
        assert Skill.objects.filter(slug="welding", network=cast.other_network).exists()
    errors = errors_of(post(client_for(cast.member), **fields))
    assert message in " ".join(errors[field])
    assert not JournalEntry.objects.exists() and not JournalTag.objects.exists()


def test_a_session_of_another_cohort_cannot_be_linked(cast, client_for):
    theirs = a_session(cast.other_cohort)
    errors = errors_of(post(client_for(cast.member), session=theirs.pk))
    assert errors["session"] == ["Choose a session of one of your cohorts."]
    assert not JournalEntry.objects.exists()


def test_a_link_must_belong_to_the_chosen_cohort(cast, client_for):
    from cadre.cohorts.models import CohortMembership

    CohortMembership.objects.create(cohort=cast.other_cohort, user=cast.member)
    session = a_session(cast.cohort)
    errors = errors_of(post(client_for(cast.member), cohort="design-ops", session=session.pk))
    assert "must belong to the entry's cohort" in errors["session"][0]


def test_someone_elses_private_commitment_or_experiment_cannot_be_linked(cast, client_for):
    today = timezone.localdate()
    secret = commit(cast.host, cast.cohort, visibility="private")
    hidden = Experiment.objects.create(
        cohort=cast.cohort,
        owner=cast.host,
        title="Private try",
        capability="c",
        hypothesis="h",
        plan="p",
        starts_on=today,
        ends_on=today + timedelta(days=3),
        measure="m",
        visibility="private",
    )
    client = client_for(cast.member)
    errors = errors_of(post(client, commitment=secret.pk, experiment=hidden.pk))
    assert "that you may see" in errors["commitment"][0]
    assert "that you may see" in errors["experiment"][0]
    # A peer's cohort commitment and my own private one are fine.
    shared = commit(cast.host, cast.cohort)
    mine = commit(cast.member, cast.cohort, visibility="private")
    assert post(client, commitment=shared.pk).status_code == 302
    assert post(client, commitment=mine.pk).status_code == 302


def test_organizers_cannot_tie_entries_to_cohorts_they_are_not_in(cast, client_for):
    session = a_session(cast.cohort)
    errors = errors_of(post(client_for(cast.organizer), session=session.pk))
    assert errors["session"] == ["Choose a session of one of your cohorts."]


def test_entries_are_shared_only_with_people_of_the_network(cast, client_for):
    errors = errors_of(post(client_for(cast.member), shared_with=[cast.outsider.pk]))
    assert "Share only with people of Northwind Learning" in errors["shared_with"][0]
    assert not JournalEntry.objects.exists()


def test_partners_keep_private_entries_only(cast, client_for):
    client = client_for(cast.partner)
    for visibility in ("network", "cohort"):
        errors = errors_of(post(client, visibility=visibility))
        assert "partners keep private entries" in errors["visibility"][0]
    assert post(client).status_code == 302
    assert JournalEntry.objects.get().visibility == "private"


def test_the_form_offers_the_people_the_author_works_with(cast, client_for):
    form = client_for(cast.member).get(NEW).context["form"]
    offered = {value for value, _ in form.fields["shared_with"].widget.choices}
    assert {cast.host.pk, cast.mentor.pk, cast.organizer.pk, cast.admin.pk} <= offered
    assert cast.member.pk not in offered and cast.outsider.pk not in offered
    assert cast.other_cohort_member.pk not in offered


def test_the_form_names_no_one_to_a_partner_who_does_not_see_the_networks_people(cast, client_for):
    response = client_for(cast.partner).get(NEW)
    assert response.context["form"].fields["shared_with"].widget.choices == []
    page = response.content.decode()
    for person in (cast.member, cast.host, cast.mentor, cast.organizer, cast.admin):
        assert person.name not in page


def test_editing_replaces_tags_and_sets_updated_at(cast, client_for):
    entry = write(cast.member, cast.network, tags=("old", "kept"))
    before = entry.updated_at
    response = client_for(cast.member).post(
        reverse("journal:edit", args=["northwind", entry.pk]),
        {"title": "New title", "body": "New body", "visibility": "network", "tags": "kept, new"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.body, entry.visibility) == ("New title", "New body", "network")
    assert sorted(t.name for t in entry.tags.all()) == ["kept", "new"]
    assert entry.updated_at > before


def test_the_edit_form_shows_the_entry_as_it_is(cast, client_for):
    entry = write(cast.member, cast.network, visibility="cohort", cohort=cast.cohort, tags=("a",))
    page = client_for(cast.member).get(reverse("journal:edit", args=["northwind", entry.pk]))
    html = page.content.decode()
    assert 'value="reliability" selected' in html
    assert page.context["form"].initial["tags"] == "a"


def test_a_failed_edit_changes_nothing(cast, client_for):
    entry = write(cast.member, cast.network, tags=("old",))
    response = client_for(cast.member).post(
        reverse("journal:edit", args=["northwind", entry.pk]),
        {"title": "Changed", "body": "b", "visibility": "private", "tags": "x" * 60},
    )
    assert response.status_code == 422
    entry.refresh_from_db()
    assert entry.title != "Changed"
    assert [t.name for t in entry.tags.all()] == ["old"]


def test_parse_tags_normalizes_and_deduplicates():
    assert parse_tags(" Incident Review,incident-review, Café ") == ["incident-review", "cafe"]
    assert parse_tags("") == []
