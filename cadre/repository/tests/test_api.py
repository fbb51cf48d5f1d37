"""The library's API: the same rules as its pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadre.api.tests.helpers import assert_error
from cadre.repository.models import PartnerGroup, RepositoryItem

from .conftest import item, person
from .helpers import experiment, published_report, upcoming_session

LIB = "/networks/northwind/library"


def delete(caller, path):
    return caller.client.delete("/api/v1" + path, headers=caller.headers)


def titles(response):
    assert response.status_code == 200, response.content
    return {i["title"] for i in response.json()["items"]}


@pytest.mark.parametrize(
    "who", ["author", "peer", "other_cohort_member", "host", "organizer", "admin", "mentor"]
)
def test_the_networks_people_list_network_partner_and_public_items(cast, lib, api_as, who):
    got = titles(api_as(person(cast, lib, who)).get(f"{LIB}/items"))
    assert got == {lib.network_item.title, lib.partners_item.title, lib.public_item.title}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("partner", {"Shared with Harbor", "Public runbook"}),
        ("partner_b", {"Public runbook"}),
        ("lone_partner", {"Public runbook"}),
    ],
)
def test_partners_list_only_what_is_shared_with_them(cast, lib, api_as, who, expected):
    caller = api_as(person(cast, lib, who))
    assert titles(caller.get(f"{LIB}/items")) == expected
    assert_error(caller.get(f"{LIB}/items/{lib.network_item.pk}"), 404, "not_found")


def test_detail_has_sanitized_html_the_origin_and_hides_names_from_partners(cast, lib, api_as):
    lib.partners_item.body = "**Hi** <script>x()</script>"
    lib.partners_item.save()
    lib.partners_item.record_reuse(cast.host, cast.cohort)
    got = api_as(cast.partner).get(f"{LIB}/items/{lib.partners_item.pk}").json()
    assert "<strong>Hi</strong>" in got["body_html"] and "<script" not in got["body_html"]
    assert got["body"].startswith("**Hi**")
    assert got["origin"] == "From Northwind Learning · Platform Reliability cohort"
    assert got["reuses"] == [] and got["reuse_count"] == 1 and got["partner_groups"] == []
    inside = api_as(cast.mentor).get(f"{LIB}/items/{lib.partners_item.pk}").json()
    assert inside["reuses"][0]["user"]["name"] == "Hana Host"
    assert inside["partner_groups"] == [lib.group_a.pk]


def test_outsiders_read_public_items_only_and_anonymous_is_refused(cast, lib, api_as):
    caller = api_as(cast.outsider)
    assert caller.get(f"{LIB}/items/{lib.public_item.pk}").status_code == 200
    assert_error(caller.get(f"{LIB}/items/{lib.network_item.pk}"), 404, "not_found")
    assert_error(caller.get(f"{LIB}/items"), 404, "not_found")
    assert_error(api_as(None).get(f"{LIB}/items"), 401, "not_authenticated")
    assert_error(api_as(None).get(f"{LIB}/items/{lib.public_item.pk}"), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(f"{LIB}/items"), 403, "conduct_not_accepted")


def test_items_filter_by_kind_skill_and_cohort(cast, lib, api_as):
    made = item(
        cast.network,
        cast.host,
        "Tmpl",
        kind="template",
        template_kind="agenda",
        origin_cohort=cast.other_cohort,
        data={"blocks": []},
    )
    made.skills.add(cast.network.skills.get(slug="facilitation"))
    caller = api_as(cast.member)
    assert titles(caller.get(f"{LIB}/items", kind="template")) == {"Tmpl"}
    assert titles(caller.get(f"{LIB}/items", skill="facilitation")) == {"Tmpl"}
    assert titles(caller.get(f"{LIB}/items", cohort="design-ops")) == {"Tmpl"}


def test_create_update_delete_follow_the_forms_rules(cast, lib, api_as):
    caller = api_as(cast.member)
    bad = caller.post(
        f"{LIB}/items",
        {
            "kind": "template",
            "template_kind": "agenda",
            "title": "A",
            "data": {"blocks": [{"title": "x", "minutes": 999}]},
        },
    )
    error = assert_error(bad, 422, "validation_error")
    assert "Block 1: minutes" in error["fields"]["data"][0]
    bad = caller.post(
        f"{LIB}/items",
        {
            "kind": "learning",
            "title": "L",
            "visibility": "partners",
            "partner_groups": [],
            "skills": ["nope"],
        },
    )
    assert "skills" in assert_error(bad, 422, "validation_error")["fields"]
    assert not RepositoryItem.objects.filter(title__in=["A", "L"]).exists()
    made = caller.post(
        f"{LIB}/items",
        {
            "kind": "learning",
            "title": "L",
            "visibility": "partners",
            "partner_groups": [lib.group_a.pk],
            "skills": ["facilitation"],
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["skills"] == ["facilitation"]
    changed = caller.patch(f"{LIB}/items/{pk}", {"title": "L2"})
    assert changed.status_code == 200 and changed.json()["title"] == "L2"
    assert changed.json()["partner_groups"] == [lib.group_a.pk]
    assert_error(api_as(cast.host).patch(f"{LIB}/items/{pk}", {"title": "x"}), 403, "forbidden")
    assert_error(api_as(cast.partner).patch(f"{LIB}/items/{pk}", {"title": "x"}), 403, "forbidden")
    assert_error(
        api_as(cast.partner).post(f"{LIB}/items", {"kind": "learning", "title": "P"}),
        403,
        "forbidden",
    )
    assert (
        delete(api_as(cast.organizer), f"/networks/northwind/library/items/{pk}").status_code == 204
    )
    assert not RepositoryItem.objects.filter(pk=pk).exists()


def test_promote_an_experiment_and_a_report(cast, lib, api_as):
    exp = experiment(cast.member, cast.cohort)
    assert_error(api_as(lib.peer).post(f"{LIB}/promote/experiment/{exp.pk}", {}), 403, "forbidden")
    assert_error(
        api_as(cast.mentor).post(f"{LIB}/promote/experiment/{exp.pk}", {}), 404, "not_found"
    )
    made = api_as(cast.host).post(f"{LIB}/promote/experiment/{exp.pk}", {"visibility": "public"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind"] == "case_study" and body["source_experiment"] == exp.pk
    assert body["data"]["baseline"] == "48 minutes" and "## Hypothesis" in body["body"]
    assert_error(
        api_as(cast.member).post(f"{LIB}/promote/experiment/{exp.pk}", {}), 409, "conflict"
    )
    running = experiment(cast.member, cast.cohort, outcome="running", title="R")
    assert_error(
        api_as(cast.member).post(f"{LIB}/promote/experiment/{running.pk}", {}), 403, "forbidden"
    )
    report = published_report(cast.cohort)
    assert_error(
        api_as(cast.member).post(f"{LIB}/promote/report/{report.pk}", {}), 403, "forbidden"
    )
    made = api_as(cast.organizer).post(f"{LIB}/promote/report/{report.pk}", {"title": "Drill"})
    assert made.status_code == 201 and made.json()["source_report"] == report.pk


def test_copy_templates_through_the_api(cast, lib, api_as):
    agenda = item(
        cast.network,
        cast.host,
        "Agenda",
        kind="template",
        template_kind="agenda",
        data={
            "blocks": [
                {"kind": "check_in", "title": "Hi", "minutes": 30},
                {"kind": "practice", "title": "Do", "minutes": 30},
            ]
        },
    )
    session = upcoming_session(cast.cohort, minutes=90)
    assert_error(
        api_as(cast.member).post(f"{LIB}/items/{agenda.pk}/copy", {"session": session.pk}),
        403,
        "forbidden",
    )
    done = api_as(cast.host).post(f"{LIB}/items/{agenda.pk}/copy", {"session": session.pk})
    assert done.status_code == 201, done.content
    assert [b.minutes for b in session.agenda.order_by("order")] == [45, 45]
    assert done.json()["reuse_count"] == 1

    charter = item(
        cast.network,
        cast.host,
        "Charter",
        kind="template",
        template_kind="charter",
        data={"mission": "New mission"},
    )
    review = (timezone.localdate() + timedelta(days=40)).isoformat()
    done = api_as(cast.host).post(
        f"{LIB}/items/{charter.pk}/copy",
        {"cohort": cast.cohort.pk, "fields": {"next_review_on": review}},
    )
    assert done.status_code == 201, done.content
    assert done.json()["charter_version"] == 2
    assert cast.cohort.current_charter().mission == "New mission"
    assert_error(
        api_as(cast.member).post(f"{LIB}/items/{charter.pk}/copy", {"cohort": cast.cohort.pk}),
        403,
        "forbidden",
    )

    plan = item(
        cast.network,
        cast.host,
        "Plan",
        kind="template",
        template_kind="experiment_plan",
        data={"title": "T", "capability": "C", "hypothesis": "H", "plan": "P", "measure": "M"},
    )
    today = timezone.localdate()
    bad = api_as(cast.member).post(
        f"{LIB}/items/{plan.pk}/copy",
        {"cohort": cast.cohort.pk, "fields": {"starts_on": today.isoformat()}},
    )
    assert "ends_on" in assert_error(bad, 422, "validation_error")["fields"]
    done = api_as(cast.member).post(
        f"{LIB}/items/{plan.pk}/copy",
        {
            "cohort": cast.cohort.pk,
            "fields": {
                "starts_on": today.isoformat(),
                "ends_on": (today + timedelta(days=7)).isoformat(),
            },
        },
    )
    assert done.status_code == 201, done.content
    plan.refresh_from_db()
    assert plan.reuse_count == 1


def test_reuse_is_idempotent_and_undone(cast, lib, api_as):
    caller = api_as(cast.member)
    path = f"{LIB}/items/{lib.network_item.pk}/reuse"
    assert caller.post(path, {}).status_code == 201
    again = caller.post(path, {})
    assert again.status_code == 200 and again.json() == {"reuse_count": 1, "created": False}
    assert caller.post(path, {"cohort": cast.cohort.pk}).json()["reuse_count"] == 2
    assert_error(caller.post(path, {"cohort": cast.other_cohort.pk}), 422, "validation_error")
    response = caller.client.delete(
        f"/api/v1{path}?cohort={cast.cohort.pk}", headers=caller.headers
    )
    assert response.json()["reuse_count"] == 1
    assert_error(api_as(cast.partner).post(path, {}), 404, "not_found")


def test_partner_groups_are_for_organizers(cast, lib, api_as):
    caller = api_as(cast.organizer)
    assert len(caller.get(f"{LIB}/partner-groups").json()) == 2
    made = caller.post(
        f"{LIB}/partner-groups",
        {
            "name": "Dock",
            "organization": "D",
            "shares": ["learning"],
            "members": [lib.lone_partner.pk],
        },
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    bad = caller.post(
        f"{LIB}/partner-groups", {"name": "dock", "organization": "D", "members": [cast.member.pk]}
    )
    fields = assert_error(bad, 422, "validation_error")["fields"]
    assert "name" in fields and "members" in fields
    assert caller.patch(f"{LIB}/partner-groups/{pk}", {"shares": ["template"]}).json()[
        "shares"
    ] == ["template"]
    for who in ("member", "mentor", "partner"):
        assert_error(api_as(getattr(cast, who)).get(f"{LIB}/partner-groups"), 403, "forbidden")
    assert delete(caller, f"{LIB}/partner-groups/{pk}").status_code == 204
    assert PartnerGroup.objects.count() == 2
