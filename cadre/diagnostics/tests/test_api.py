"""The diagnostics endpoints: the same rules as the pages."""

import pytest

from cadre.api.tests.helpers import assert_error
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.schedule.tests.helpers import add_members

from .helpers import assess, open_round, set_targets

SKILLS = "/networks/northwind/cohorts/reliability/skills"
READS = ["targets", "rounds", "gap-map", "growth", "suggestions"]


@pytest.fixture
def started(cast):
    set_targets(cast, facilitation=3, data_analysis=4)
    start = open_round(cast.cohort, "Start", days_ago=30)
    mid = open_round(cast.cohort, "Midpoint", days_ago=1, peers=True)
    assess(start, "facilitation", cast.member, 1)
    assess(start, "data-analysis", cast.member, 0)
    assess(start, "facilitation", cast.host, 4)
    assess(start, "data-analysis", cast.host, 2)
    assess(mid, "facilitation", cast.member, 2)
    return start, mid


def put(caller, path, body):
    import json

    return caller.client.put(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=caller.headers
    )


@pytest.mark.parametrize("who", ["admin", "organizer", "host", "member"])
def test_members_and_organizers_read_everything_of_the_cohort(cast, api_as, started, who):
    caller = api_as(getattr(cast, who))
    for path in READS:
        assert caller.get(f"{SKILLS}/{path}").status_code == 200, path
    assert caller.get(f"{SKILLS}/growth/{cast.member.pk}").status_code == 200


@pytest.mark.parametrize("who", ["other_cohort_member", "mentor", "partner", "outsider"])
def test_people_outside_the_cohort_get_404(cast, api_as, started, who):
    caller = api_as(getattr(cast, who))
    for path in READS + [f"growth/{cast.member.pk}", "self-assessment"]:
        assert_error(caller.get(f"{SKILLS}/{path}"), 404, "not_found")
    assert_error(caller.post(f"{SKILLS}/rounds", {"label": "x"}), 404, "not_found")
    assert_error(
        put(caller, f"{SKILLS}/targets", {"targets": [{"skill": "facilitation"}]}), 404, "not_found"
    )
    body = {"subject": cast.member.pk, "skill": "facilitation", "level": 1}
    assert_error(caller.post(f"{SKILLS}/peer-assessments", body), 404, "not_found")


def test_anonymous_and_newcomer_are_refused(cast, api_as, started):
    assert_error(api_as(None).get(f"{SKILLS}/gap-map"), 401, "not_authenticated")
    assert_error(api_as(cast.newcomer).get(f"{SKILLS}/gap-map"), 403, "conduct_not_accepted")


def test_targets_are_set_by_hosts_and_checked(cast, api_as):
    host = api_as(cast.host)
    saved = put(
        host,
        f"{SKILLS}/targets",
        {"targets": [{"skill": "facilitation", "target_level": 4}, {"skill": "data-analysis"}]},
    )
    assert saved.status_code == 200, saved.content
    assert {t["skill"]: t["target_level"] for t in saved.json()} == {
        "facilitation": 4,
        "data-analysis": 3,
    }
    error = assert_error(
        put(
            host,
            f"{SKILLS}/targets",
            {"targets": [{"skill": "welding"}, {"skill": "facilitation"}]},
        ),
        422,
        "validation_error",
    )
    assert list(error["fields"]) == ["targets.0.skill"]
    error = assert_error(
        put(host, f"{SKILLS}/targets", {"targets": [{"skill": "facilitation", "target_level": 5}]}),
        422,
        "validation_error",
    )
    assert "targets.0.target_level" in error["fields"]
    assert TargetSkill.objects.count() == 2  # unchanged by the refused ones
    member = api_as(cast.member)
    assert_error(
        put(member, f"{SKILLS}/targets", {"targets": [{"skill": "facilitation"}]}), 403, "forbidden"
    )


def test_rounds_are_opened_by_hosts_and_organizers(cast, api_as):
    opened = api_as(cast.organizer).post(
        f"{SKILLS}/rounds", {"label": "Start", "peer_assessments_enabled": True}
    )
    assert opened.status_code == 201, opened.content
    assert opened.json()["number"] == 1 and opened.json()["is_current"] is True
    assert_error(api_as(cast.member).post(f"{SKILLS}/rounds", {"label": "x"}), 403, "forbidden")
    error = assert_error(
        api_as(cast.host).post(f"{SKILLS}/rounds", {"label": "Old", "opens_on": "2000-01-01"}),
        422,
        "validation_error",
    )
    assert list(error["fields"]) == ["opens_on"]
    assert AssessmentRound.objects.count() == 1
    listed = api_as(cast.member).get(f"{SKILLS}/rounds").json()
    assert [r["label"] for r in listed] == ["Start"]


def test_my_self_assessment_is_read_and_saved_whole(cast, api_as, started):
    start, mid = started
    caller = api_as(cast.member)
    mine = caller.get(f"{SKILLS}/self-assessment").json()
    assert mine["round"]["number"] == 2 and mine["complete"] is False
    assert {lv["skill"]: lv["level"] for lv in mine["levels"]} == {
        "facilitation": 2,
        "data-analysis": None,
    }
    bad = put(
        caller,
        f"{SKILLS}/self-assessment",
        {"levels": [{"skill": "facilitation", "level": 5}, {"skill": "data-analysis", "level": 1}]},
    )
    assert "levels.0.level" in assert_error(bad, 422, "validation_error")["fields"]
    not_target = put(
        caller,
        f"{SKILLS}/self-assessment",
        {"levels": [{"skill": "product-discovery", "level": 2}, {"skill": "welding", "level": 1}]},
    )
    fields = assert_error(not_target, 422, "validation_error")["fields"]
    assert {"levels.0.skill", "levels.1.skill", "levels"} <= set(fields)
    partial = put(
        caller, f"{SKILLS}/self-assessment", {"levels": [{"skill": "facilitation", "level": 3}]}
    )
    assert "data-analysis" in assert_error(partial, 422, "validation_error")["fields"]["levels"][0]
    assert Assessment.objects.get(round=mid, subject=cast.member).level == 2  # untouched
    good = put(
        caller,
        f"{SKILLS}/self-assessment",
        {"levels": [{"skill": "facilitation", "level": 3}, {"skill": "data-analysis", "level": 1}]},
    )
    assert good.status_code == 200 and good.json()["complete"] is True
    assert dict(
        Assessment.objects.filter(round=mid, subject=cast.member).values_list(
            "skill__slug", "level"
        )
    ) == {"facilitation": 3, "data-analysis": 1}
    assert_error(api_as(cast.organizer).get(f"{SKILLS}/self-assessment"), 403, "forbidden")


def test_no_open_round_is_a_conflict(cast, api_as):
    set_targets(cast, facilitation=3)
    assert_error(api_as(cast.member).get(f"{SKILLS}/self-assessment"), 409, "conflict")


def test_peer_assessments_are_for_other_members_and_target_skills(cast, api_as, started):
    caller = api_as(cast.member)
    path = f"{SKILLS}/peer-assessments"
    me = assert_error(
        caller.post(path, {"subject": cast.member.pk, "skill": "facilitation", "level": 3}),
        422,
        "validation_error",
    )
    assert list(me["fields"]) == ["subject"]
    other = assert_error(
        caller.post(path, {"subject": cast.host.pk, "skill": "welding", "level": 3}),
        422,
        "validation_error",
    )
    assert list(other["fields"]) == ["skill"]
    body = {"subject": cast.host.pk, "skill": "facilitation", "level": 3}
    assert caller.post(path, body).status_code == 201
    assert caller.post(path, {**body, "level": 4}).status_code == 200
    assert Assessment.objects.peer_assessments().get().level == 4


def test_peer_assessments_wait_for_a_round_that_allows_them(cast, api_as):
    set_targets(cast, facilitation=3)
    open_round(cast.cohort)
    body = {"subject": cast.host.pk, "skill": "facilitation", "level": 3}
    assert_error(api_as(cast.member).post(f"{SKILLS}/peer-assessments", body), 403, "forbidden")


def test_the_gap_map_shows_peer_means_only_from_two_peers(cast, api_as, started):
    start, mid = started
    assess(mid, "facilitation", cast.member, 4, assessor=cast.host)
    cell = _cell(api_as(cast.member).get(f"{SKILLS}/gap-map").json(), cast.member, "facilitation")
    assert (cell["level"], cell["gap"], cell["peer_mean"], cell["peer_count"]) == (2, 1, None, None)
    assess(mid, "facilitation", cast.member, 3, assessor=cast.newcomer)
    answer = api_as(cast.member).get(f"{SKILLS}/gap-map").json()
    cell = _cell(answer, cast.member, "facilitation")
    assert (cell["peer_mean"], cell["peer_count"]) == (3.5, 2)
    assert "assessor" not in str(answer)
    da = next(s for s in answer["by_skill"] if s["skill"] == "data-analysis")
    assert [p["name"] for p in da["needs"]] == ["Hana Host", "Mo Member"]


def _cell(answer, user, skill):
    row = next(r for r in answer["members"] if r["member"]["id"] == user.pk)
    return next(c for c in row["cells"] if c["skill"] == skill)


def test_growth_of_a_member_is_for_them_hosts_and_organizers(cast, api_as, started):
    peer = add_members(cast.cohort, 1)[0]
    mine = api_as(cast.member).get(f"{SKILLS}/growth/{cast.member.pk}").json()
    facilitation = next(s for s in mine["skills"] if s["skill"] == "facilitation")
    assert facilitation["values"] == [1, 2] and facilitation["peer_means"] == [None, None]
    assert_error(api_as(cast.member).get(f"{SKILLS}/growth/{peer.pk}"), 404, "not_found")
    assert api_as(cast.host).get(f"{SKILLS}/growth/{peer.pk}").status_code == 200
    cohort = api_as(cast.member).get(f"{SKILLS}/growth").json()
    facilitation = next(s for s in cohort["skills"] if s["skill"] == "facilitation")
    assert facilitation["values"] == [2.5, 2] and facilitation["answers"] == [2, 1]


def test_suggestions_are_all_for_hosts_and_ones_own_for_members(cast, api_as, started):
    TargetSkill.objects.filter(skill__slug="facilitation").update(target_level=4)
    peer = add_members(cast.cohort, 1)[0]
    shares = api_as(cast.host).get(f"{SKILLS}/suggestions").json()["skill_shares"]
    assert [(s["learner"]["id"], s["teacher"]["id"], s["skill"]) for s in shares] == [
        (cast.member.pk, cast.host.pk, "facilitation")
    ]
    assert len(api_as(cast.member).get(f"{SKILLS}/suggestions").json()["skill_shares"]) == 1
    assert api_as(peer).get(f"{SKILLS}/suggestions").json() == {"skill_shares": [], "mentors": []}


def test_the_gap_map_endpoint_costs_no_more_queries_for_a_bigger_cohort(cast, api_as, started):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start, mid = started
    caller = api_as(cast.host)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert caller.get(f"{SKILLS}/gap-map").status_code == 200
        return len(ctx)

    small = count()
    for n, person in enumerate(add_members(cast.cohort, 10)):
        assess(start, "facilitation", person, n % 5)
        assess(mid, "data-analysis", person, n % 3)
    assert count() <= small
