"""The session is one link: the schedule's meeting link and place are every session's unless
a session has its own; hosts and organizers set them through the page or the API (nobody
else); they show on the session page, the run view, the calendar files, the home's next
session and session reminders; a configured video service makes room links by pattern."""

import re
from typing import Any

import icalendar
import pytest
from django.urls import reverse

from cadre.schedule import services
from cadre.schedule.models import CalendarToken, CohortSchedule, Session
from cadre.testing_parity import (
    api_as,
    api_field_messages,
    fields_of,
    page_as,
    shown_on_page,
    through_both,
)

from .helpers import make_schedule

API = "/networks/northwind/cohorts/reliability"
LINK = "https://meet.example.org/reliability"
ROOM = "https://meet.example.org/cadre-{network}-{cohort}-{token}"


def page_url(cast: Any, name: str, *extra: Any) -> str:
    return reverse(f"schedule:{name}", args=[cast.network.slug, cast.cohort.slug, *extra])


def schedule_form(**extra: str) -> dict[str, str]:
    return {
        "weekday": "1",
        "local_time": "15:00",
        "session_count": "8",
        "roles": "facilitator\nnote-taker\ndata reporter",
        "skip_default_holidays": "on",
        **extra,
    }


@pytest.fixture
def schedule(cast: Any) -> CohortSchedule:
    return make_schedule(cast.cohort)


def first(cast: Any) -> Session:
    # Read afresh: the cast's cohort remembers the schedule row as it was made.
    return Session.objects.filter(cohort_id=cast.cohort.pk).upcoming().order_by("starts_at")[0]


# --- the rule -------------------------------------------------------------------------------


def test_a_session_without_its_own_link_and_place_meets_where_the_schedule_says(cast, schedule):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK, place="Room 4")
    session = first(cast)
    assert session.where().meeting_url == LINK and session.where().place == "Room 4"
    services.set_session_where(cast.host, cast.cohort, session=session.pk, place="The roof terrace")
    session = Session.objects.get(pk=session.pk)
    # The session's own place wins; the link it does not have is still the schedule's.
    assert session.where().place == "The roof terrace"
    assert session.where().meeting_url == LINK
    services.set_session_where(cast.host, cast.cohort, session=session.pk, place="")
    assert Session.objects.get(pk=session.pk).where().place == "Room 4"


def test_a_session_of_a_cohort_without_a_schedule_meets_nowhere_in_particular(cast):
    session = Session.objects.create(cohort=cast.cohort, starts_at="2030-01-08T14:00Z")
    assert not session.where() and session.where().location == ""


@pytest.mark.parametrize(
    "bad",
    [
        "http://meet.example.org/reliability",
        "javascript:alert(1)",
        "meet.example.org/reliability",
        "https://",
        "https://meet.example.org/" + "a" * 500,
    ],
)
def test_only_an_https_link_is_taken_and_the_refusal_says_where(cast, schedule, bad):
    response = page_as(cast.host).post(page_url(cast, "edit"), schedule_form(meeting_url=bad))
    assert response.status_code == 200
    [message] = response.context["form"].errors["meeting_url"]
    assert "https://" in message
    api = api_as(cast.host).patch(f"{API}/schedule", {"meeting_url": bad})
    assert api.status_code == 422 or api.status_code == 400
    assert api_field_messages(api, "meeting_url") == [message]
    session = first(cast)
    browser = page_as(cast.host)
    refused = browser.post(
        page_url(cast, "where", session.pk), {"meeting_url": bad, "place": "Room 9"}
    )
    assert message in shown_on_page(browser.get(refused["Location"]))
    # Nothing half saved: neither the link nor the place that came with it.
    assert CohortSchedule.objects.get().meeting_url == ""
    assert Session.objects.get(pk=session.pk).place == ""


def test_a_refused_link_through_the_api_leaves_the_title_sent_with_it_unsaved(cast, schedule):
    session = first(cast)
    api = api_as(cast.host).patch(
        f"{API}/sessions/{session.pk}", {"title": "Demo day", "meeting_url": "http://x.org"}
    )
    assert api_field_messages(api, "meeting_url")
    assert Session.objects.get(pk=session.pk).title == ""


# --- who may set it -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["host", "organizer"])
def test_hosts_and_organizers_set_the_link_and_place(cast, schedule, who):
    person = getattr(cast, who)
    page_as(person).post(page_url(cast, "edit"), schedule_form(meeting_url=LINK, place="Room 4"))
    assert CohortSchedule.objects.filter(meeting_url=LINK, place="Room 4").exists()
    session = first(cast)
    response = api_as(person).patch(
        f"{API}/sessions/{session.pk}", {"meeting_url": LINK + "-2", "place": "Room 5"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["meeting_url"] == LINK + "-2" and body["where"]["place"] == "Room 5"
    assert api_as(person).get(f"{API}/schedule").json()["meeting_url"] == LINK


@pytest.mark.parametrize("who", ["member", "other_cohort_member", "partner", "outsider"])
def test_nobody_else_sets_them(cast, schedule, who):
    person = getattr(cast, who)
    session = first(cast)
    page = page_as(person).post(
        page_url(cast, "where", session.pk), {"meeting_url": LINK, "place": "Room 4"}
    )
    assert page.status_code in (403, 404)
    assert page_as(person).post(
        page_url(cast, "edit"), schedule_form(meeting_url=LINK)
    ).status_code in (403, 404)
    api = api_as(person).patch(f"{API}/sessions/{session.pk}", {"meeting_url": LINK})
    assert api.status_code in (403, 404)
    api = api_as(person).patch(f"{API}/schedule", {"meeting_url": LINK})
    assert api.status_code in (403, 404)
    assert not CohortSchedule.objects.exclude(meeting_url="").exists()
    assert not Session.objects.exclude(meeting_url="").exists()
    assert not Session.objects.exclude(place="").exists()


def test_anonymous_people_are_sent_to_sign_in(cast, schedule, client_for):
    session = first(cast)
    response = client_for(None).post(page_url(cast, "where", session.pk), {"place": "x"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not Session.objects.exclude(place="").exists()


def test_members_do_not_see_the_form_but_do_see_the_link(cast, schedule, client_for):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK, place="Room 4")
    session = first(cast)
    text = shown_on_page(client_for(cast.member).get(page_url(cast, "session", session.pk)))
    assert f'href="{LINK}"' in text and "Join the meeting" in text and "Room 4" in text
    assert page_url(cast, "where", session.pk) not in text
    host = shown_on_page(client_for(cast.host).get(page_url(cast, "session", session.pk)))
    assert page_url(cast, "where", session.pk) in host


def test_the_run_view_shows_the_link_and_place(cast, schedule, client_for):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK, place="Room 4")
    session = first(cast)
    text = shown_on_page(client_for(cast.host).get(page_url(cast, "run", session.pk)))
    assert f'href="{LINK}"' in text and "Join the meeting" in text and "Room 4" in text


# --- page and API alike ---------------------------------------------------------------------


def test_setting_the_schedules_link_leaves_the_same_rows_through_both_doors(cast):
    make_schedule(cast.cohort)
    page, api = through_both(
        lambda: None,
        lambda _: page_as(cast.host).post(
            page_url(cast, "edit"), schedule_form(meeting_url=f" {LINK} ", place=" Room  4 ")
        ),
        lambda _: api_as(cast.host).patch(
            f"{API}/schedule", {"meeting_url": f" {LINK} ", "place": " Room  4 "}
        ),
        lambda _: fields_of(CohortSchedule.objects.all()),
    )
    assert page[0]["meeting_url"] == LINK and page[0]["place"] == "Room 4"
    assert page == api


def test_setting_a_sessions_link_leaves_the_same_rows_through_both_doors(cast):
    def setup() -> Any:
        make_schedule(cast.cohort)
        return first(cast).pk

    page, api = through_both(
        setup,
        lambda pk: page_as(cast.host).post(
            page_url(cast, "where", pk), {"meeting_url": LINK, "place": "Room 4"}
        ),
        lambda pk: api_as(cast.host).patch(
            f"{API}/sessions/{pk}", {"meeting_url": LINK, "place": "Room 4"}
        ),
        lambda _: fields_of(Session.objects.exclude(meeting_url="")),
    )
    assert len(page) == 1 and page == api


# --- calendar files -------------------------------------------------------------------------


def _event(content: bytes) -> Any:
    [event] = icalendar.Calendar.from_ical(content).walk("VEVENT")
    return event


def test_a_session_ics_carries_location_url_and_conference(cast, schedule, client_for):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK, place="Room 4, 2nd floor")
    session = first(cast)
    content = client_for(cast.member).get(page_url(cast, "session_ics", session.pk)).content
    event = _event(content)
    assert str(event["LOCATION"]) == "Room 4, 2nd floor"
    assert str(event["URL"]) == LINK
    conference = event["CONFERENCE"]
    assert str(conference) == LINK
    assert conference.params["VALUE"] == "URI"
    assert conference.params["FEATURE"] == "VIDEO" and conference.params["LABEL"] == "Join"
    assert LINK in str(event["DESCRIPTION"])
    # The line itself, unfolded, reads as RFC 7986 writes it.
    unfolded = content.decode().replace("\r\n ", "")
    assert re.search(r"^CONFERENCE;[^:]*FEATURE=VIDEO[^:]*:" + re.escape(LINK), unfolded, re.M)


def test_without_a_place_the_location_is_the_link(cast, schedule, client_for):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK)
    session = first(cast)
    event = _event(client_for(cast.member).get(page_url(cast, "session_ics", session.pk)).content)
    assert str(event["LOCATION"]) == LINK


def test_without_link_or_place_the_ics_has_neither(cast, schedule, client_for):
    session = first(cast)
    event = _event(client_for(cast.member).get(page_url(cast, "session_ics", session.pk)).content)
    assert "LOCATION" not in event and "CONFERENCE" not in event
    assert str(event["URL"]).endswith(page_url(cast, "session", session.pk))


def test_the_feed_gives_each_session_its_own_link(cast, schedule, client_for):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK)
    session = first(cast)
    services.set_session_where(
        cast.host, cast.cohort, session=session.pk, meeting_url=LINK + "-special"
    )
    token = CalendarToken.for_user(cast.member)
    content = client_for(None).get(reverse("calendar:feed", args=[token.token])).content
    events = [
        e
        for e in icalendar.Calendar.from_ical(content).walk("VEVENT")
        if str(e["UID"]).startswith("session-")
    ]
    links = {str(e["UID"]): str(e["CONFERENCE"]) for e in events}
    assert links.pop(f"session-{session.pk}@127.0.0.1") == LINK + "-special"
    assert set(links.values()) == {LINK}


# --- the home ----------------------------------------------------------------------------------


def test_the_homes_next_session_shows_the_link_and_place(cast, schedule, client_for):
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK, place="Room 4")
    text = shown_on_page(client_for(cast.member).get(reverse("networks:home", args=["northwind"])))
    week = text[text.index("My week") :]
    assert f'href="{LINK}"' in week and "Place: Room 4" in week


# --- room links by pattern ------------------------------------------------------------------


def test_without_a_video_service_no_room_link_is_offered(cast, schedule, settings):
    settings.CADRE_VIDEO_ROOM_PATTERN = ""
    text = shown_on_page(page_as(cast.host).get(page_url(cast, "edit")))
    assert "Generate a room link" not in text
    api = api_as(cast.host).patch(f"{API}/schedule", {"generate_room_link": True})
    assert api_field_messages(api, "generate_room_link")
    assert CohortSchedule.objects.get().meeting_url == ""


def test_a_configured_video_service_makes_an_unguessable_room_link(cast, schedule, settings):
    settings.CADRE_VIDEO_ROOM_PATTERN = ROOM
    text = shown_on_page(page_as(cast.host).get(page_url(cast, "edit")))
    assert "Generate a room link" in text
    page_as(cast.host).post(page_url(cast, "edit"), schedule_form(generate_room_link="on"))
    link = CohortSchedule.objects.get().meeting_url
    match = re.fullmatch(r"https://meet\.example\.org/cadre-northwind-reliability-(\S+)", link)
    assert match and len(match[1]) >= 16
    again = api_as(cast.host).patch(f"{API}/schedule", {"generate_room_link": True})
    assert again.status_code == 200
    assert again.json()["meeting_url"] not in ("", link)
    assert again.json()["meeting_url"].startswith("https://meet.example.org/cadre-northwind-")


@pytest.mark.parametrize("who", ["other_cohort_member", "partner", "mentor"])
def test_people_outside_the_cohort_never_read_the_link_through_the_api(cast, schedule, who):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    services.update_schedule(cast.host, cast.cohort, meeting_url=LINK, place="Room 4")
    for path in (f"{API}/schedule", f"{API}/sessions"):
        response = api_as(getattr(cast, who)).get(path)
        assert LINK not in response.content.decode()
        assert "Room 4" not in response.content.decode()
    organizer = api_as(cast.organizer).get(f"{API}/schedule").json()
    assert organizer["meeting_url"] == LINK and organizer["place"] == "Room 4"
