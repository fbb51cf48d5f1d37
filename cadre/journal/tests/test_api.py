"""The journal endpoints: the same rules as the pages, JSON errors with fields."""

import pytest

from cadre.accountability.tests.helpers import commit
from cadre.api.tests.helpers import V1, assert_error
from cadre.journal.models import JournalEntry, JournalTag

from .helpers import VISIBILITIES, a_session, entry_for, write
from .test_pages import READERS

JOURNAL = "/networks/northwind/journal"
SIGNED_IN = [
    "author",
    "peer",
    "host",
    "other_cohort_member",
    "organizer",
    "admin",
    "mentor",
    "named_mentor",
    "partner",
    "outsider",
]


def delete(caller, path):
    return caller.client.delete(V1 + path, headers=caller.headers)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("person", SIGNED_IN)
def test_detail_list_update_and_delete_follow_the_pages_rules(
    cast, people, api_as, person, visibility
):
    entry = entry_for(cast, visibility, shared_with=[people["named_mentor"]])
    caller = api_as(people[person])
    path = f"{JOURNAL}/{entry.pk}"
    listed = caller.get(JOURNAL)
    if person == "outsider":
        assert_error(listed, 404, "not_found")
    else:
        ids = [item["id"] for item in listed.json()["items"]]
        assert (entry.pk in ids) == (person in READERS[visibility])
    detail = caller.get(path)
    change = caller.patch(path, {"title": "Taken over"})
    removed = delete(caller, path)
    if person == "author":
        assert detail.status_code == 200 and detail.json()["title"] == entry.title
        assert change.status_code == 200 and change.json()["title"] == "Taken over"
        assert removed.status_code == 204
        assert not JournalEntry.objects.filter(pk=entry.pk).exists()
        return
    if person in READERS[visibility]:
        assert detail.status_code == 200
        assert_error(change, 403, "forbidden")
        assert_error(removed, 403, "forbidden")
    else:
        for response in (detail, change, removed):
            assert_error(response, 404, "not_found")
    entry.refresh_from_db()
    assert entry.title != "Taken over"


def test_anonymous_and_newcomer_are_refused(cast, api_as):
    entry = entry_for(cast, "network")
    for path in (JOURNAL, f"{JOURNAL}/mine", f"{JOURNAL}/{entry.pk}"):
        assert_error(api_as(None).get(path), 401, "not_authenticated")
        assert_error(api_as(cast.newcomer).get(path), 403, "conduct_not_accepted")
    assert_error(
        api_as(cast.newcomer).post(JOURNAL, {"title": "t", "body": "b"}),
        403,
        "conduct_not_accepted",
    )


def test_mine_lists_only_my_entries(cast, api_as):
    write(cast.member, cast.network, title="Mine", tags=("x",))
    write(cast.host, cast.network, visibility="network", title="Theirs")
    body = api_as(cast.member).get(f"{JOURNAL}/mine").json()
    assert [item["title"] for item in body["items"]] == ["Mine"] and body["count"] == 1
    assert api_as(cast.member).get(f"{JOURNAL}/mine", tag="y").json()["count"] == 0


def test_the_list_filters_and_pages(cast, api_as):
    skill = cast.network.skills.get(name="Facilitation")
    for n in range(5):
        write(cast.host, cast.network, visibility="network", title=f"E{n}", tags=("t",))
    write(cast.member, cast.network, visibility="network", title="Skilled", skills=[skill])
    write(cast.member, cast.network, visibility="cohort", cohort=cast.cohort, title="Cohort")
    caller = api_as(cast.host)
    assert caller.get(JOURNAL, tag="T").json()["count"] == 5
    assert [i["title"] for i in caller.get(JOURNAL, skill=skill.slug).json()["items"]] == [
        "Skilled"
    ]
    assert [i["title"] for i in caller.get(JOURNAL, cohort="reliability").json()["items"]] == [
        "Cohort"
    ]
    assert caller.get(JOURNAL, author=cast.member.pk).json()["count"] == 2
    page = caller.get(JOURNAL, limit=2, offset=0).json()
    assert page["count"] == 7 and len(page["items"]) == 2


def test_a_member_creates_an_entry_and_reads_it_back_sanitized(cast, api_as):
    session = a_session(cast.cohort)
    caller = api_as(cast.member)
    response = caller.post(
        JOURNAL,
        {
            "title": "After the game day",
            "body": "**Good** <script>alert(1)</script> [x](javascript:alert(1))",
            "visibility": "cohort",
            "session": session.pk,
            "tags": ["Game Day", "game-day", "Retro"],
            "skills": ["facilitation"],
            "shared_with": [cast.mentor.pk],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cohort"] == "reliability" and body["session"] == session.pk
    assert body["tags"] == ["game-day", "retro"] and body["skills"] == ["facilitation"]
    assert body["shared_with"] == [{"id": cast.mentor.pk, "name": "Mei Mentor"}]
    assert "<strong>Good</strong>" in body["body_html"]
    assert "<script" not in body["body_html"] and "&lt;script&gt;" in body["body_html"]
    assert "href" not in body["body_html"]
    assert body["body"].startswith("**Good** <script>")
    # The session shows to the cohort, not to the mentor it is shared with.
    as_mentor = api_as(cast.mentor).get(f"{JOURNAL}/{body['id']}").json()
    assert as_mentor["session"] is None and as_mentor["title"] == "After the game day"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"visibility": "cohort"}, "cohort"),
        ({"tags": [f"t{n}" for n in range(11)]}, "tags"),
        ({"tags": ["a,b"]}, "tags"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"skills": ["welding"]}, "skills"),
        ({"cohort": "design-ops"}, "cohort"),
        ({"shared_with": [999999]}, "shared_with"),
        ({"body": "x" * 20_001}, "body"),
        ({"title": ""}, "title"),
        ({"visibility": "everyone"}, "visibility"),
    ],
)
def test_bad_input_gets_422_naming_the_field(cast, api_as, payload, field):
    data = {"title": "T", "body": "B", **payload}
    error = assert_error(api_as(cast.member).post(JOURNAL, data), 422, "validation_error")
    assert field in error["fields"], error
    assert not JournalEntry.objects.exists() and not JournalTag.objects.exists()


def test_someone_elses_private_commitment_cannot_be_linked(cast, api_as):
    secret = commit(cast.host, cast.cohort, visibility="private")
    error = assert_error(
        api_as(cast.member).post(JOURNAL, {"title": "T", "body": "B", "commitment": secret.pk}),
        422,
        "validation_error",
    )
    assert error["fields"]["commitment"]


def test_partners_write_private_entries_only(cast, api_as):
    caller = api_as(cast.partner)
    error = assert_error(
        caller.post(JOURNAL, {"title": "T", "body": "B", "visibility": "network"}),
        422,
        "validation_error",
    )
    assert "visibility" in error["fields"]
    assert caller.post(JOURNAL, {"title": "T", "body": "B"}).status_code == 201


def test_patch_changes_only_what_is_sent(cast, api_as):
    session = a_session(cast.cohort)
    entry = entry_for(cast, "cohort", session=session, tags=("keep",))
    before = entry.updated_at
    caller = api_as(cast.member)
    changed = caller.patch(f"{JOURNAL}/{entry.pk}", {"body": "New body"})
    assert changed.status_code == 200, changed.content
    entry.refresh_from_db()
    assert (entry.body, entry.session, entry.visibility) == ("New body", session, "cohort")
    assert [t.name for t in entry.tags.all()] == ["keep"] and entry.updated_at > before
    untied = caller.patch(f"{JOURNAL}/{entry.pk}", {"session": None, "tags": []})
    assert untied.json()["session"] is None and untied.json()["tags"] == []
    bad = caller.patch(f"{JOURNAL}/{entry.pk}", {"visibility": "cohort", "cohort": None})
    assert "cohort" in assert_error(bad, 422, "validation_error")["fields"]
    entry.refresh_from_db()
    assert entry.cohort == cast.cohort


def test_the_list_costs_the_same_queries_at_two_sizes(cast, api_as, django_assert_max_num_queries):
    caller = api_as(cast.member)
    for n in range(40):
        write(
            cast.host,
            cast.network,
            visibility="network",
            title=f"E{n}",
            tags=("a", "b"),
            shared_with=[cast.mentor],
            skills=list(cast.network.skills.all()[:2]),
        )
    with django_assert_max_num_queries(15):
        assert len(caller.get(JOURNAL, limit=40).json()["items"]) == 40
