"""The page and the API are two doors to the same services: each write of follow-through,
done by the same person with the same input on two identical set-ups, leaves the same rows,
and a refusal says the same sentence through both."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cadre.networks.models import NetworkMembership, Role
from cadre.pairings.models import MeetingCheck, MentorMeeting, Relationship
from cadre.schedule.models import MentorMatch
from cadre.testing import make_user
from cadre.testing_parity import (
    api_field_messages,
    api_message,
    call_api,
    fields_of,
    page_as,
    shown_on_page,
    through_both,
)

from .helpers import coffee_check, coffee_round, mentor_match

API = "/networks/northwind"


def check_rows(_):
    # Each door gets its own set-up, so the pairing's rows have new ids (PostgreSQL's
    # sequences do not roll back): compare what the pairing is, not its id.
    return fields_of(
        MeetingCheck.objects.all(),
        ignore=["nonce", "answered_at", "coffee_group_id", "mentor_match_id", "coaching_group_id"],
        also=["coffee_group__round__number", "mentor_match__newcomer_id"],
    )


def test_answering_a_check_leaves_the_same_row_through_both_doors(cast):
    page, api = through_both(
        lambda: coffee_check(cast, cast.member),
        lambda check: page_as(cast.member).post(
            reverse("pairings:answer", args=["northwind", check.pk]),
            {"answer": "did_not_meet", "note": "Clashing meetings"},
        ),
        lambda check: call_api(
            cast.member,
            "post",
            f"{API}/meeting-checks/{check.pk}/answer",
            {"answer": "did_not_meet", "note": "Clashing meetings"},
        ),
        check_rows,
    )
    assert page == api and page[0]["answer"] == "did_not_meet"


def test_asking_for_a_new_partner_leaves_the_same_rows_through_both_doors(cast):
    def setup():
        coffee = coffee_round(cast)
        waiting = coffee_check(cast, cast.host, coffee)
        mine = coffee_check(cast, cast.member, coffee)
        MeetingCheck.objects.filter(pk__in=[waiting.pk, mine.pk]).update(answer="did_not_meet")
        MeetingCheck.objects.filter(pk=waiting.pk).update(wants_new_partner=True)
        return mine

    page, api = through_both(
        setup,
        lambda check: page_as(cast.member).post(
            reverse("pairings:new_partner", args=["northwind", check.pk])
        ),
        lambda check: call_api(cast.member, "post", f"{API}/meeting-checks/{check.pk}/new-partner"),
        check_rows,
    )
    assert page == api
    assert {row["repaired_with_id"] for row in page} == {cast.host.pk, cast.member.pk}


def agreement_rows(_):
    return fields_of(
        Relationship.objects.all(),
        ignore=["updated_at", "acknowledged_at", "match_id"],
        also=["match__newcomer_id", "match__mentor_id"],
    )


def test_the_agreement_is_the_same_through_both_doors(cast):
    until = (timezone.localdate() + timedelta(days=60)).isoformat()
    form = {"what": "Incident reviews", "how_often": "Every two weeks", "until": until}
    page, api = through_both(
        lambda: mentor_match(cast),
        lambda match: page_as(cast.member).post(
            reverse("mentoring:agreement", args=["northwind", match.pk]), form
        ),
        lambda match: call_api(cast.member, "put", f"{API}/mentoring/{match.pk}/agreement", form),
        agreement_rows,
    )
    assert page == api and page[0]["what"] == "Incident reviews"


def test_a_refused_agreement_says_the_same_sentence_through_both_doors(cast):
    match = mentor_match(cast)
    before = (match.created_at - timedelta(days=3)).date().isoformat()
    form = {"what": "x", "how_often": "", "until": before}
    page = page_as(cast.member).post(
        reverse("mentoring:agreement", args=["northwind", match.pk]), form
    )
    api = call_api(cast.member, "put", f"{API}/mentoring/{match.pk}/agreement", form)
    assert api.status_code == 422
    (message,) = api_field_messages(api, "until")
    assert message in shown_on_page(page)
    assert not Relationship.objects.exists()


def test_logging_a_meeting_is_the_same_through_both_doors(cast):
    day = timezone.localdate().isoformat()
    page, api = through_both(
        lambda: mentor_match(cast),
        lambda match: page_as(cast.mentor).post(
            reverse("mentoring:meeting", args=["northwind", match.pk]),
            {"met_on": day, "notes": "Talked about game days"},
        ),
        lambda match: call_api(
            cast.mentor,
            "post",
            f"{API}/mentoring/{match.pk}/meetings",
            {"met_on": day, "notes": "Talked about game days"},
        ),
        lambda _: (
            fields_of(
                MentorMeeting.objects.all(), ignore=["match_id"], also=["match__newcomer_id"]
            ),
            agreement_rows(None),
        ),
    )
    assert page == api and len(page[0]) == 1


def test_a_meeting_in_the_future_is_refused_alike(cast):
    match = mentor_match(cast)
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    page = page_as(cast.mentor).post(
        reverse("mentoring:meeting", args=["northwind", match.pk]), {"met_on": day}
    )
    api = call_api(cast.mentor, "post", f"{API}/mentoring/{match.pk}/meetings", {"met_on": day})
    assert api.status_code == 422
    assert api_message(api) in shown_on_page(page)
    assert not MentorMeeting.objects.exists()


def test_rematching_leaves_the_same_matches_through_both_doors(cast):
    def setup():
        second = make_user("max@northwind.test", "Max Mentor")
        NetworkMembership.objects.create(network=cast.network, user=second, role=Role.MENTOR)
        return mentor_match(cast, days_ago=8)

    page, api = through_both(
        setup,
        lambda match: page_as(cast.organizer).post(
            reverse("mentoring:rematch", args=["northwind", match.pk]), {"mentor": ""}
        ),
        lambda match: call_api(cast.organizer, "post", f"{API}/mentoring/{match.pk}/rematch", {}),
        lambda _: (
            sorted((m.mentor.name, m.ended_at is None) for m in MentorMatch.objects.all()),
            fields_of(MentorMatch.objects.all(), ignore=["ended_at", "mentor_id"]),
        ),
    )
    assert page == api
    assert page[0] == [("Max Mentor", True), ("Mei Mentor", False)]


def test_a_rematch_with_no_mentor_free_says_the_same_alike(cast):
    match = mentor_match(cast)
    page = page_as(cast.organizer).post(
        reverse("mentoring:rematch", args=["northwind", match.pk]), {"mentor": ""}, follow=True
    )
    api = call_api(cast.organizer, "post", f"{API}/mentoring/{match.pk}/rematch", {})
    assert api.status_code == 422
    assert api_message(api) in shown_on_page(page)
    match.refresh_from_db()
    assert match.ended_at is None


def match_where_rows(_):
    return list(MentorMatch.objects.values("meeting_url", "place"))


def test_the_pairs_meeting_link_and_place_are_the_same_through_both_doors(cast):
    form = {
        "what": "Incident reviews",
        "how_often": "",
        "meeting_url": "https://meet.example.org/pair",
        "place": "The canteen",
    }
    page, api = through_both(
        lambda: mentor_match(cast),
        lambda match: page_as(cast.mentor).post(
            reverse("mentoring:agreement", args=["northwind", match.pk]), form
        ),
        lambda match: call_api(cast.mentor, "put", f"{API}/mentoring/{match.pk}/agreement", form),
        match_where_rows,
    )
    assert page == api == [{"meeting_url": "https://meet.example.org/pair", "place": "The canteen"}]


def test_the_pairs_link_shows_on_their_page_and_a_bad_one_is_refused_alike(cast):
    match = mentor_match(cast)
    page_url = reverse("mentoring:agreement", args=["northwind", match.pk])
    bad = {"what": "x", "how_often": "", "meeting_url": "http://meet.example.org/pair"}
    page = page_as(cast.member).post(page_url, bad)
    api = call_api(cast.member, "put", f"{API}/mentoring/{match.pk}/agreement", bad)
    (message,) = api_field_messages(api, "meeting_url")
    assert message in shown_on_page(page)
    assert not Relationship.objects.exists() and MentorMatch.objects.get().meeting_url == ""
    ok = call_api(
        cast.member,
        "put",
        f"{API}/mentoring/{match.pk}/agreement",
        {"meeting_url": "https://meet.example.org/pair"},
    )
    assert ok.status_code == 200 and ok.json()["meeting_url"] == "https://meet.example.org/pair"
    text = shown_on_page(
        page_as(cast.mentor).get(reverse("mentoring:relationship", args=["northwind", match.pk]))
    )
    assert 'href="https://meet.example.org/pair"' in text
    refused = call_api(
        cast.other_cohort_member,
        "put",
        f"{API}/mentoring/{match.pk}/agreement",
        {"meeting_url": "https://evil.example.org"},
    )
    assert refused.status_code in (403, 404)
    assert MentorMatch.objects.get().meeting_url == "https://meet.example.org/pair"
