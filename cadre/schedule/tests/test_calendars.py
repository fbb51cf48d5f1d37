"""Calendar files: one session's .ics and the personal feed behind a secret URL. Each is
checked with a small RFC 5545 reader written here (unfolding, content lines, required
properties, UTC times) and round-tripped through icalendar's parser."""

import re
from datetime import UTC, date, datetime
from typing import Any

import icalendar
import pytest
from django.urls import reverse

from cadre.schedule.models import CalendarToken

from .helpers import add_members, make_held_session, make_schedule

CONTENT_LINE = re.compile(r"^(?P<name>[A-Za-z0-9-]+)(?P<params>(;[^:]*)?):(?P<value>.*)$")
UTC_STAMP = re.compile(r"^\d{8}T\d{6}Z$")
EVENT_REQUIRED = {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION", "URL"}


def parse_rfc5545(data: bytes) -> dict[str, Any]:
    """A strict, independent reading: CRLF line ends, folded lines of at most 75 octets,
    balanced BEGIN/END; returns the calendar's properties and each event's."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    physical = text[:-2].split("\r\n")
    assert all(len(line.encode()) <= 75 for line in physical)
    lines: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    stack: list[str] = []
    calendar: dict[str, str] = {}
    events: list[dict[str, str]] = []
    for line in lines:
        match = CONTENT_LINE.match(line)
        assert match, f"not a content line: {line!r}"
        name, value = match["name"].upper(), match["value"]
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
        elif name == "END":
            assert stack.pop() == value
        elif stack == ["VCALENDAR"]:
            calendar[name] = value
        elif stack == ["VCALENDAR", "VEVENT"]:
            events[-1][name] = match["params"] + ":" + value if match["params"] else value
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return {"calendar": calendar, "events": events}


def assert_session_event(event: dict[str, str]) -> None:
    assert set(event) >= EVENT_REQUIRED
    for name in ("DTSTAMP", "DTSTART", "DTEND"):
        assert UTC_STAMP.match(event[name]), (name, event[name])
    assert event["URL"].startswith("http")


@pytest.fixture
def session(cast: Any) -> Any:
    note_taker = add_members(cast.cohort, 1)[0]
    return make_held_session(cast.cohort, facilitator=cast.member, note_taker=note_taker)


def session_ics(session: Any) -> str:
    return reverse("schedule:session_ics", args=["northwind", "reliability", session.pk])


def test_a_session_ics_is_valid_and_names_my_role(cast, client_for, session):
    response = client_for(cast.member).get(session_ics(session))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = parse_rfc5545(response.content)
    [event] = parsed["events"]
    assert_session_event(event)
    assert "(you are facilitator)" in event["SUMMARY"]
    start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert start == session.starts_at.replace(microsecond=0)
    again = icalendar.Calendar.from_ical(response.content)
    [vevent] = again.walk("VEVENT")
    assert vevent["UID"] == event["UID"]
    assert (
        vevent.decoded("DTEND") - vevent.decoded("DTSTART") == session.ends_at - session.starts_at
    )


@pytest.mark.parametrize("who", ["other_cohort_member", "partner", "outsider"])
def test_others_get_404_for_a_session_ics(cast, client_for, session, who):
    assert client_for(getattr(cast, who)).get(session_ics(session)).status_code == 404


def test_the_personal_feed_lists_my_sessions_with_my_role_without_sign_in(
    cast, client_for, session
):
    make_schedule(cast.cohort)
    token = CalendarToken.for_user(cast.member)
    response = client_for(None).get(reverse("calendar:feed", args=[token.token]))
    assert response.status_code == 200
    parsed = parse_rfc5545(response.content)
    sessions = [e for e in parsed["events"] if e["UID"].startswith("session-")]
    assert len(sessions) == 8  # the series of eight: the held one and seven upcoming
    for event in sessions:
        assert_session_event(event)
    assert len({e["UID"] for e in sessions}) == 8
    assert any("(you are facilitator)" in e["SUMMARY"] for e in sessions)
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == len(
        parsed["events"]
    )


def test_the_feed_shows_no_sessions_of_cohorts_i_am_not_in(cast, client_for, session):
    token = CalendarToken.for_user(cast.other_cohort_member)
    response = client_for(None).get(reverse("calendar:feed", args=[token.token]))
    assert parse_rfc5545(response.content)["events"] == []


def test_the_feed_has_my_open_commitments_due_dates(cast, client_for, session):
    from cadre.schedule.reports import accountability

    models = accountability()
    if models is None:
        pytest.skip("the accountability app is not installed")
    models.Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="Write the runbook", due_on="2030-01-10"
    )
    token = CalendarToken.for_user(cast.member)
    events = parse_rfc5545(
        client_for(None).get(reverse("calendar:feed", args=[token.token])).content
    )["events"]
    [due] = [e for e in events if e["UID"].startswith("commitment-")]
    assert due["DTSTART"] == ";VALUE=DATE:20300110" and "Write the runbook" in due["SUMMARY"]


def test_an_unknown_token_is_not_found(client_for, db):
    assert client_for(None).get(reverse("calendar:feed", args=["nope"])).status_code == 404


def test_regenerating_the_token_retires_the_old_url(cast, client_for):
    client = client_for(cast.member)
    page = client.get(reverse("calendar:page"))
    old = CalendarToken.objects.get(user=cast.member).token
    assert old in page.content.decode()
    response = client.post(reverse("calendar:regenerate"))
    assert response.status_code == 302
    new = CalendarToken.objects.get(user=cast.member).token
    assert new != old
    assert client_for(None).get(reverse("calendar:feed", args=[old])).status_code == 404
    assert client_for(None).get(reverse("calendar:feed", args=[new])).status_code == 200


def test_the_calendar_page_needs_sign_in(client_for, db):
    assert client_for(None).get(reverse("calendar:page")).status_code == 302
    assert client_for(None).post(reverse("calendar:regenerate")).status_code == 302


def test_the_feed_leaves_out_dates_stored_before_the_date_rule(cast, client_for, session):
    # Rows saved before cadre.lib.dates may hold any date Python has; 9999-12-31 made the feed
    # a 500 (an all-day event ends the day after). They are left out; the rest is listed.
    from cadre.schedule.models import Session
    from cadre.schedule.reports import accountability

    models = accountability()
    if models is None:
        pytest.skip("the accountability app is not installed")
    for text, due_on in [
        ("Typo in the year", date(9999, 12, 31)),
        ("Long ago", date(1, 1, 1)),
        ("Some day", None),
        ("Write the runbook", date(2030, 1, 10)),
    ]:
        models.Commitment.objects.create(
            cohort=cast.cohort, owner=cast.member, text=text, due_on=due_on
        )
    Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC), minutes=60
    )
    token = CalendarToken.for_user(cast.member)
    response = client_for(None).get(reverse("calendar:feed", args=[token.token]))
    assert response.status_code == 200
    events = parse_rfc5545(response.content)["events"]
    [due] = [e["SUMMARY"] for e in events if e["UID"].startswith("commitment-")]
    assert "Write the runbook" in due
    starts = [e["DTSTART"] for e in events if e["UID"].startswith("session-")]
    assert starts and not any(s.startswith("9999") for s in starts)


def test_a_session_ics_of_a_date_stored_before_the_rule_is_not_found(cast, client_for):
    from cadre.schedule.models import Session

    stored = Session.objects.create(
        cohort=cast.cohort, starts_at=datetime(9999, 12, 31, 23, 30, tzinfo=UTC), minutes=60
    )
    assert client_for(cast.member).get(session_ics(stored)).status_code == 404
