"""Holidays the series skips (25 December and 1 January by default), the series' number of
sessions, session titles, and swapping a rota role: the services' rules, the pages, the API
and who may use each. The clock stands on Tuesday 1 December 2026, 09:00 UTC."""

import zoneinfo
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from django.urls import reverse

from cadre.delivery.models import Message
from cadre.lib.rules import Refused
from cadre.schedule import rota, services
from cadre.schedule.models import (
    MAX_SESSIONS,
    Absence,
    CohortSchedule,
    Holiday,
    RoleAssignment,
    RoleSwap,
    Session,
    SessionKind,
    SwapStatus,
)
from cadre.testing_parity import api_as, api_message, fields_of, page_as, shown_on_page

from .helpers import add_past_sessions, make_schedule

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
API = "/networks/northwind/cohorts/reliability"

pytestmark = pytest.mark.time_machine(NOW, tick=False)


def days(cohort):
    return [
        s.starts_at.astimezone(BERLIN).date()
        for s in cohort.sessions.filter(kind=SessionKind.REGULAR).order_by("starts_at")
    ]


def url(cast, name, *extra):
    return reverse(f"schedule:{name}", args=[cast.network.slug, cast.cohort.slug, *extra])


# --- holidays ---------------------------------------------------------------------------------


def test_a_friday_series_skips_25_december_and_1_january_and_keeps_its_eight_sessions(cast):
    schedule = make_schedule(cast.cohort, weekday=4)
    found = days(cast.cohort)
    assert len(found) == 8
    assert date(2026, 12, 25) not in found and date(2027, 1, 1) not in found
    assert found[3] == date(2027, 1, 8)  # 18 December, then the next Friday met
    assert services.skipped_days(schedule) == [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2027, 1, 1), "New Year’s Day"),
    ]


def test_a_schedule_may_meet_on_25_december_when_its_hosts_say_so(cast):
    make_schedule(cast.cohort, weekday=4, skip_default_holidays=False)
    assert date(2026, 12, 25) in days(cast.cohort)


def test_the_schedule_page_says_which_days_are_skipped(cast, client_for):
    make_schedule(cast.cohort, weekday=4)
    text = client_for(cast.member).get(url(cast, "page")).content.decode()
    assert "No session on Friday 25 December 2026 (Christmas Day) and Friday 1 January 2027" in (
        text
    )


def test_a_network_holiday_moves_every_running_series_and_removing_it_moves_them_back(cast):
    make_schedule(cast.cohort)
    before = days(cast.cohort)
    holiday = services.add_holiday(
        cast.organizer, cast.cohort, on=date(2026, 12, 8), name="Staff day", network_wide=True
    )
    after = days(cast.cohort)
    assert date(2026, 12, 8) not in after and len(after) == 8
    assert after[-1] == before[-1] + timedelta(days=7)
    services.remove_holiday(cast.organizer, cast.cohort, holiday=holiday.pk)
    assert days(cast.cohort) == before


def test_hosts_list_their_cohorts_days_but_not_the_networks(cast):
    with pytest.raises(Refused) as refused:
        services.add_holiday(
            cast.host, cast.cohort, on=date(2026, 12, 8), name="Away", network_wide=True
        )
    assert refused.value.kind == "forbidden"
    services.add_holiday(cast.host, cast.cohort, on=date(2026, 12, 8), name="Offsite")
    assert Holiday.objects.get().cohort == cast.cohort
    with pytest.raises(Refused) as refused:
        services.add_holiday(cast.host, cast.cohort, on=date(2026, 12, 8), name="Again")
    assert refused.value.message == services.HOLIDAY_TAKEN
    with pytest.raises(Refused) as refused:
        services.add_holiday(cast.host, cast.cohort, on=date(2026, 11, 30), name="Gone")
    assert refused.value.message == services.HOLIDAY_IN_PAST
    with pytest.raises(Refused) as refused:
        services.add_holiday(cast.member, cast.cohort, on=date(2026, 12, 9), name="Mine")
    assert refused.value.kind == "forbidden"


def test_a_host_adds_and_removes_a_holiday_on_the_page(cast):
    make_schedule(cast.cohort)
    host = page_as(cast.host)
    page = host.get(url(cast, "holidays"))
    assert page.status_code == 200 and "network_wide" not in page.content.decode()
    response = host.post(url(cast, "holidays"), {"on": "2026-12-15", "name": "Offsite"})
    assert response.status_code == 302
    assert date(2026, 12, 15) not in days(cast.cohort)
    holiday = Holiday.objects.get()
    assert host.post(url(cast, "holiday_remove", holiday.pk)).status_code == 302
    assert date(2026, 12, 15) in days(cast.cohort)


def test_an_organizer_lists_a_day_for_the_whole_network(cast):
    page = page_as(cast.organizer)
    assert "network_wide" in page.get(url(cast, "holidays")).content.decode()
    page.post(url(cast, "holidays"), {"on": "2026-12-15", "name": "Retreat", "network_wide": "on"})
    assert Holiday.objects.get().network_wide


@pytest.mark.parametrize(
    "who, status",
    [("member", 403), ("other_cohort_member", 404), ("outsider", 404), ("partner", 404)],
)
def test_the_holidays_page_is_for_hosts_and_organizers(cast, who, status):
    client = page_as(getattr(cast, who))
    assert client.get(url(cast, "holidays")).status_code == status
    assert client.post(url(cast, "holidays"), {"on": "2026-12-15", "name": "x"}).status_code in (
        status,
        404,
    )
    assert not Holiday.objects.exists()


def test_signed_out_and_newcomers_are_sent_to_sign_in_and_the_code_of_conduct(cast, client):
    assert "/accounts/login/" in client.get(url(cast, "holidays"))["Location"]
    response = page_as(cast.newcomer).get(url(cast, "holidays"))
    assert response.status_code == 302 and "conduct" in response["Location"]


def test_a_one_off_on_christmas_day_is_held_only_when_the_host_confirms(cast):
    make_schedule(cast.cohort)
    data = {"title": "Party", "date": "2026-12-25", "start": "10:00", "minutes": "60"}
    host = page_as(cast.host)
    refused = host.post(url(cast, "one_off"), data)
    assert refused.status_code == 400
    assert "25 December is Christmas Day" in refused.content.decode()
    assert not Session.objects.filter(kind=SessionKind.ONE_OFF).exists()
    assert host.post(url(cast, "one_off"), {**data, "on_holiday": "on"}).status_code == 302
    assert Session.objects.filter(kind=SessionKind.ONE_OFF, title="Party").exists()


# --- the series' number of sessions -----------------------------------------------------------


def test_the_series_has_the_number_of_sessions_chosen_held_ones_included(cast):
    make_schedule(cast.cohort)
    add_past_sessions(cast.cohort, 2)
    services.update_schedule(cast.host, cast.cohort, session_count=5)
    assert cast.cohort.sessions.upcoming().count() == 3
    services.update_schedule(cast.host, cast.cohort, session_count=12)
    assert cast.cohort.sessions.upcoming().count() == 10
    for wrong in (0, 105):
        with pytest.raises(Refused) as refused:
            services.update_schedule(cast.host, cast.cohort, session_count=wrong)
        assert refused.value.message == services.SESSION_COUNT_RANGE % {"max": MAX_SESSIONS}
    assert CohortSchedule.objects.get().session_count == 12


def test_the_api_sets_the_number_and_shows_the_skipped_days(cast):
    make_schedule(cast.cohort, weekday=4)
    response = api_as(cast.host).patch(f"{API}/schedule", {"session_count": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["session_count"] == 3 and body["skipped"] == []
    assert cast.cohort.sessions.upcoming().count() == 3
    wide = api_as(cast.host).patch(f"{API}/schedule", {"session_count": 6}).json()
    assert [d["name"] for d in wide["skipped"]] == ["Christmas Day", "New Year’s Day"]


# --- titles -------------------------------------------------------------------------------------


def test_a_host_titles_a_session_and_it_shows_everywhere(cast, client_for):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.order_by("starts_at").first()
    response = page_as(cast.host).post(url(cast, "title", session.pk), {"title": "Game day"})
    assert response.status_code == 302
    member = client_for(cast.member)
    assert "Game day" in member.get(url(cast, "page")).content.decode()
    assert "Game day" in member.get(url(cast, "session", session.pk)).content.decode()
    ics = member.get(url(cast, "session_ics", session.pk)).content
    [event] = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert "Game day" in str(event["SUMMARY"])


def test_members_cannot_title_a_session(cast):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.order_by("starts_at").first()
    assert page_as(cast.member).post(
        url(cast, "title", session.pk), {"title": "x"}
    ).status_code == (403)
    assert page_as(cast.outsider).post(
        url(cast, "title", session.pk), {"title": "x"}
    ).status_code == (404)
    api = api_as(cast.member).patch(f"{API}/sessions/{session.pk}", {"title": "x"})
    assert api.status_code == 403
    assert Session.objects.get(pk=session.pk).title == ""


def test_titling_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.order_by("starts_at").first()
    page_as(cast.host).post(url(cast, "title", session.pk), {"title": " Game   day "})
    by_page = fields_of(Session.objects.filter(pk=session.pk))
    Session.objects.filter(pk=session.pk).update(title="")
    api = api_as(cast.host).patch(f"{API}/sessions/{session.pk}", {"title": " Game   day "})
    assert api.status_code == 200 and api.json()["title"] == "Game day"
    assert fields_of(Session.objects.filter(pk=session.pk)) == by_page


# --- swapping a role ----------------------------------------------------------------------------


def first_with_roles(cast):
    """The first upcoming session, where the member and the host both hold a role."""
    make_schedule(cast.cohort)
    session = cast.cohort.sessions.upcoming().order_by("starts_at").first()
    mine = RoleAssignment.objects.get(session=session, user=cast.member).role
    theirs = RoleAssignment.objects.get(session=session, user=cast.host).role
    return session, mine, theirs


def test_accepting_a_swap_exchanges_the_roles_and_they_stay(cast):
    session, mine, theirs = first_with_roles(cast)
    swap = services.ask_swap(
        cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk
    )
    assert Message.objects.filter(key=f"role-swap:{swap.pk}:asked", to=cast.host.email).exists()
    services.answer_swap(cast.host, cast.cohort, swap=swap.pk, accept=True)
    held = dict(RoleAssignment.objects.filter(session=session).values_list("user_id", "role"))
    assert held[cast.host.pk] == mine and held[cast.member.pk] == theirs
    assert RoleSwap.objects.get().status == SwapStatus.ACCEPTED
    assert Message.objects.filter(key=f"role-swap:{swap.pk}:accepted", to=cast.member.email)
    # Recomputing the rota (an absence elsewhere) keeps the swap.
    later = cast.cohort.sessions.upcoming().order_by("starts_at")[3]
    Absence.objects.create(session=later, user=cast.newcomer)
    held = dict(RoleAssignment.objects.filter(session=session).values_list("user_id", "role"))
    assert held[cast.host.pk] == mine and held[cast.member.pk] == theirs


def test_after_a_swap_the_later_sessions_keep_the_counts_within_one(cast):
    session, mine, _ = first_with_roles(cast)
    swap = services.ask_swap(
        cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk
    )
    services.answer_swap(cast.host, cast.cohort, swap=swap.pk, accept=True)
    counts: dict[str, Counter[int]] = {}
    for role, user in RoleAssignment.objects.filter(session__cohort=cast.cohort).values_list(
        "role", "user_id"
    ):
        counts.setdefault(role, Counter())[user] += 1
    members = rota.rota_members(cast.cohort)
    for role, by_person in counts.items():
        values = [by_person[m] for m in members]
        assert max(values) - min(values) <= 1, (role, values)


def test_declining_leaves_the_roles_and_tells_the_asker(cast):
    session, mine, _ = first_with_roles(cast)
    before = fields_of(RoleAssignment.objects.all())
    swap = services.ask_swap(
        cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk
    )
    services.answer_swap(cast.host, cast.cohort, swap=swap.pk, accept=False)
    assert fields_of(RoleAssignment.objects.all()) == before
    assert Message.objects.filter(key=f"role-swap:{swap.pk}:declined").exists()


def test_swaps_are_refused_when_they_cannot_be(cast):
    session, mine, theirs = first_with_roles(cast)
    past = add_past_sessions(cast.cohort, 1)[0]
    past_role = RoleAssignment.objects.filter(session=past).first()

    def refusal(by, **kwargs):
        with pytest.raises(Refused) as refused:
            services.ask_swap(by, cast.cohort, **kwargs)
        return refused.value.message

    assert (
        refusal(
            past_role.user,
            session=past.pk,
            role=past_role.role,
            partner=cast.host.pk if past_role.user != cast.host else cast.member.pk,
        )
        == services.SWAP_SESSION_OVER
    )
    assert (
        refusal(cast.member, session=session.pk, role=theirs, partner=cast.host.pk)
        == services.SWAP_NOT_YOUR_ROLE
    )
    for outsider in (cast.other_cohort_member, cast.mentor):
        assert (
            refusal(cast.member, session=session.pk, role=mine, partner=outsider.pk)
            == services.SWAP_NOT_ON_ROTA
        )
    assert (
        refusal(cast.member, session=session.pk, role=mine, partner=cast.member.pk)
        == services.SWAP_WITH_YOURSELF
    )
    services.ask_swap(cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk)
    assert (
        refusal(cast.member, session=session.pk, role=mine, partner=cast.newcomer.pk)
        == services.SWAP_ALREADY_ASKED
    )
    with pytest.raises(Refused) as refused:
        services.ask_swap(
            cast.other_cohort_member, cast.cohort, session=session.pk, role=mine, partner=1
        )
    assert refused.value.kind == "forbidden"


def test_only_the_person_asked_answers_and_only_once(cast):
    session, mine, _ = first_with_roles(cast)
    swap = services.ask_swap(
        cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk
    )
    with pytest.raises(Refused) as refused:
        services.answer_swap(cast.newcomer, cast.cohort, swap=swap.pk, accept=True)
    assert refused.value.message == services.SWAP_ONLY_PARTNER
    services.withdraw_swap(cast.member, cast.cohort, swap=swap.pk)
    with pytest.raises(Refused) as refused:
        services.answer_swap(cast.host, cast.cohort, swap=swap.pk, accept=True)
    assert refused.value.message == services.SWAP_ANSWERED


def test_a_request_lapses_when_the_rota_moves_the_role_away(cast):
    session, mine, _ = first_with_roles(cast)
    swap = services.ask_swap(
        cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk
    )
    Absence.objects.create(session=session, user=cast.member)  # the rota follows
    assert RoleSwap.objects.get(pk=swap.pk).status == SwapStatus.LAPSED


def test_the_swap_pages_ask_and_answer(cast):
    session, mine, theirs = first_with_roles(cast)
    member = page_as(cast.member)
    form = member.get(url(cast, "swap", session.pk))
    assert form.status_code == 200 and "Hana Host (is " in form.content.decode()
    response = member.post(url(cast, "swap", session.pk), {"role": mine, "partner": cast.host.pk})
    assert response.status_code == 302
    swap = RoleSwap.objects.get()
    host = page_as(cast.host)
    schedule = host.get(url(cast, "page")).content.decode()
    assert "asks you to take their role" in schedule
    host.post(url(cast, "swap_answer", swap.pk), {"action": "accept"})
    assert RoleAssignment.objects.get(session=session, user=cast.host).role == mine
    assert RoleAssignment.objects.get(session=session, user=cast.member).role == theirs


def test_a_refused_swap_says_the_same_on_the_page_and_in_the_api(cast):
    session, mine, _ = first_with_roles(cast)
    services.ask_swap(cast.member, cast.cohort, session=session.pk, role=mine, partner=cast.host.pk)
    page = page_as(cast.member).post(
        url(cast, "swap", session.pk), {"role": mine, "partner": cast.newcomer.pk}
    )
    api = api_as(cast.member).post(
        f"{API}/sessions/{session.pk}/swaps", {"role": mine, "partner": cast.newcomer.pk}
    )
    assert api.status_code == 409
    assert api_message(api) == services.SWAP_ALREADY_ASKED
    assert services.SWAP_ALREADY_ASKED in shown_on_page(page)
    assert RoleSwap.objects.count() == 1


def test_asking_and_accepting_leave_the_same_rows_through_both_doors(cast):
    session, mine, _ = first_with_roles(cast)

    def rows():
        return (
            fields_of(RoleSwap.objects.all(), ignore=["answered_at"]),
            fields_of(RoleAssignment.objects.all()),
        )

    page_as(cast.member).post(
        url(cast, "swap", session.pk), {"role": mine, "partner": cast.host.pk}
    )
    swap = RoleSwap.objects.get()
    page_as(cast.host).post(url(cast, "swap_answer", swap.pk), {"action": "accept"})
    by_page = rows()
    # Back to the start, then the API.
    RoleSwap.objects.all().delete()
    RoleAssignment.objects.filter(session__cohort=cast.cohort).delete()
    rota.regenerate(cast.cohort)
    asked = api_as(cast.member).post(
        f"{API}/sessions/{session.pk}/swaps", {"role": mine, "partner": cast.host.pk}
    )
    assert asked.status_code == 201
    accepted = api_as(cast.host).post(f"{API}/swaps/{asked.json()['id']}/accept")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert rows() == by_page


@pytest.mark.parametrize("who, status", [("other_cohort_member", 403), ("outsider", 404)])
def test_the_swap_api_refuses_people_outside_the_cohort(cast, who, status):
    session, mine, _ = first_with_roles(cast)
    response = api_as(getattr(cast, who)).post(
        f"{API}/sessions/{session.pk}/swaps", {"role": mine, "partner": cast.host.pk}
    )
    assert response.status_code in (status, 404)
    assert api_as(getattr(cast, who)).get(f"{API}/swaps").status_code in (status, 404)
    assert not RoleSwap.objects.exists()


def test_the_holiday_api_lists_adds_and_removes(cast):
    make_schedule(cast.cohort)
    host = api_as(cast.host)
    added = host.post(f"{API}/holidays", {"date": "2026-12-15", "name": "Offsite"})
    assert added.status_code == 201 and added.json()["network_wide"] is False
    assert [h["name"] for h in host.get(f"{API}/holidays").json()] == ["Offsite"]
    wide = host.post(f"{API}/holidays", {"date": "2026-12-22", "name": "x", "network_wide": True})
    assert wide.status_code == 403
    assert (
        api_as(cast.member).post(f"{API}/holidays", {"date": "2026-12-22", "name": "x"}).status_code
        == 403
    )
    assert host.delete(f"{API}/holidays/{added.json()['id']}").status_code == 204
    assert not Holiday.objects.exists()


def test_the_rota_engine_keeps_fixed_roles_and_rebalances_after_them():
    from cadre.engine.rotation import rotate_roles

    members = ["a", "b", "c"]
    sessions = [f"s{i}" for i in range(6)]
    result = rotate_roles(
        members, sessions, ["lead", "notes"], fixed={"s0": {"lead": "a", "notes": "b"}}
    )
    assert result.assignments[0] == {"lead": "a", "notes": "b"}
    leads = Counter(s["lead"] for s in result.assignments)
    assert max(leads.values()) - min(leads[m] for m in members) <= 1
    absent = rotate_roles(
        members, sessions[:1], ["lead"], absences={"a": {"s0"}}, fixed={"s0": {"lead": "a"}}
    )
    assert absent.assignments[0]["lead"] != "a"


def test_the_cohort_api_removes_only_the_cohorts_own_holidays(cast):
    holiday = services.add_holiday(
        cast.organizer, cast.cohort, on=date(2026, 12, 15), name="Retreat", network_wide=True
    )
    response = api_as(cast.organizer).delete(f"{API}/holidays/{holiday.pk}")
    assert response.status_code == 404
    assert Holiday.objects.filter(pk=holiday.pk).exists()
    assert page_as(cast.organizer).post(url(cast, "holiday_remove", holiday.pk)).status_code == 302
    assert not Holiday.objects.exists()
