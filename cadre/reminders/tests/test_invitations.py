"""Calendar invitations: every iTIP object Cadre writes is parsed back with icalendar and
checked (METHOD, a stable UID, SEQUENCE going up, STATUS on a cancel, ORGANIZER and ATTENDEE,
times in UTC), and the e-mails go through a real local SMTP server."""

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from typing import Any

import icalendar
import pytest
import time_machine

from cadre.cohorts.models import CohortMembership
from cadre.delivery.models import Message
from cadre.reminders import invitations
from cadre.reminders.models import Invitation, NotificationPreference
from cadre.schedule import services
from cadre.schedule.models import MentorMatch, Session
from cadre.schedule.tests.helpers import make_schedule
from cadre.testing import run_worker

from .helpers import NOW  # the clock stands here (conftest)


def parsed(message: Message) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(message.calendar)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    for name in ("DTSTART", "DTEND", "DTSTAMP"):
        assert event.decoded(name).utcoffset() == timedelta(0)
        assert re.search(rf"^{name}:\d{{8}}T\d{{6}}Z\r?$", message.calendar, re.MULTILINE)
    return calendar


def event_of(message: Message) -> Any:
    return parsed(message).walk("VEVENT")[0]


def mails(user: Any, thing: str) -> list[Message]:
    return list(Message.objects.filter(user=user, key__startswith=f"itip:{thing}:").order_by("pk"))


@pytest.fixture
def schedule(cast: Any) -> Any:
    return make_schedule(cast.cohort)


def first(cast: Any) -> Session:
    return cast.cohort.sessions.order_by("starts_at").first()


def test_members_are_invited_to_the_sessions_of_the_next_four_weeks(cast, schedule):
    queued = invitations.sync_all()
    sessions = list(cast.cohort.sessions.filter(starts_at__lte=NOW + invitations.INVITE_AHEAD))
    members = CohortMembership.objects.active().filter(cohort=cast.cohort).count()
    assert len(sessions) == 4 and queued == 4 * members
    message = mails(cast.member, f"session:{first(cast).pk}")[0]
    calendar = parsed(message)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == f"session-{first(cast).pk}@testserver" or "@" in str(event["UID"])
    assert event["SEQUENCE"] == 0
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    attendee = event["ATTENDEE"]
    assert str(attendee) == f"mailto:{cast.member.email}"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION" and attendee.params["RSVP"] == "TRUE"
    assert event.decoded("DTSTART") == first(cast).starts_at
    assert message.subject.startswith("[Cadre] Invitation: Platform Reliability: Session")
    assert "/rsvp/" in message.body and "does not read the replies" in message.body


def test_a_second_sync_sends_nothing(cast, schedule):
    invitations.sync_all()
    before = Message.objects.count()
    assert invitations.sync_all() == 0
    assert Message.objects.count() == before


def test_a_change_sends_an_update_with_the_same_uid_and_a_higher_sequence(cast, schedule):
    invitations.sync_all()
    session = first(cast)
    services.set_session_where(
        cast.host, cast.cohort, session=session.pk, meeting_url="https://meet.example/x", place=""
    )
    assert invitations.sync_cohort(cast.cohort.pk) == 3  # the three members, that session only
    sent = mails(cast.member, f"session:{session.pk}")
    assert len(sent) == 2
    old, new = event_of(sent[0]), event_of(sent[1])
    assert old["UID"] == new["UID"]
    assert new["SEQUENCE"] == old["SEQUENCE"] + 1
    assert str(new["LOCATION"]) == "https://meet.example/x"
    assert sent[1].subject.startswith("[Cadre] Updated:")
    # The rota or agenda changing is not a change a calendar shows: no update.
    session.agenda.all().delete()
    assert invitations.sync_cohort(cast.cohort.pk) == 0


def test_cancelling_sends_a_cancel_and_holding_it_again_a_new_request(cast, schedule):
    invitations.sync_all()
    session = first(cast)
    services.cancel_session(cast.host, cast.cohort, session=session.pk, cancelled=True)
    invitations.sync_cohort(cast.cohort.pk)
    cancel = mails(cast.member, f"session:{session.pk}")[-1]
    calendar = parsed(cancel)
    assert calendar["METHOD"] == "CANCEL"
    event = calendar.walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert cancel.subject.startswith("[Cadre] Cancelled:")
    services.cancel_session(cast.host, cast.cohort, session=session.pk, cancelled=False)
    invitations.sync_cohort(cast.cohort.pk)
    again = event_of(mails(cast.member, f"session:{session.pk}")[-1])
    assert again["SEQUENCE"] == 2 and again["STATUS"] == "CONFIRMED"


def test_a_member_who_leaves_gets_a_cancel_for_each_session_ahead(cast, schedule):
    invitations.sync_all()
    CohortMembership.objects.filter(cohort=cast.cohort, user=cast.member).update(left_on=NOW.date())
    assert invitations.sync_cohort(cast.cohort.pk) == 4
    for session in cast.cohort.sessions.filter(starts_at__lte=NOW + invitations.INVITE_AHEAD):
        last = mails(cast.member, f"session:{session.pk}")[-1]
        assert parsed(last)["METHOD"] == "CANCEL"
        assert event_of(last)["SEQUENCE"] == 1
    assert mails(cast.host, f"session:{first(cast).pk}")[-1].key.endswith(":0")


def test_a_removed_session_is_cancelled_from_what_was_sent(cast, schedule):
    invitations.sync_all()
    session = first(cast)
    pk = session.pk
    uid = Invitation.objects.get(user=cast.member, thing=f"session:{pk}").uid
    session.delete()
    invitations.sync_all()
    last = mails(cast.member, f"session:{pk}")[-1]
    assert parsed(last)["METHOD"] == "CANCEL" and str(event_of(last)["UID"]) == uid


def test_sessions_come_into_range_week_by_week(cast, schedule):
    invitations.sync_all()
    with time_machine.travel(NOW + timedelta(days=7), tick=False):
        assert invitations.sync_all() == 3  # one more session for the three members


def test_members_who_turned_invitations_off_get_none(cast, schedule):
    NotificationPreference.objects.create(user=cast.member, calendar_invitations=False)
    invitations.sync_all()
    assert not Message.objects.filter(user=cast.member).exists()
    assert Message.objects.filter(user=cast.host).exists()


def test_a_mentoring_pair_is_invited_to_its_first_shared_hour(cast):
    for person, hours in ((cast.mentor, [24 + 10, 48 + 10]), (cast.newcomer, [48 + 10])):
        profile = person.profile
        profile.time_zone = "UTC"
        profile.availability = hours
        profile.save()
    match = MentorMatch.objects.create(
        network=cast.network, mentor=cast.mentor, newcomer=cast.newcomer, created_at=NOW
    )
    assert invitations.sync_mentor_match(match.pk) == 2
    event = event_of(mails(cast.mentor, f"mentoring:{match.pk}")[0])
    assert event["UID"].startswith(f"mentoring-{match.pk}@")
    assert event.decoded("DTSTART") == invitations.next_hour(48 + 10, NOW)  # Wednesday 10:00
    match.ended_at = NOW
    match.save()
    invitations.sync_mentor_match(match.pk)
    assert parsed(mails(cast.newcomer, f"mentoring:{match.pk}")[-1])["METHOD"] == "CANCEL"


def test_next_hour_counts_from_monday_utc():
    tuesday = datetime(2026, 12, 1, 9, tzinfo=UTC)
    assert invitations.next_hour(24 + 10, tuesday) == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert invitations.next_hour(24 + 8, tuesday) == datetime(2026, 12, 8, 8, tzinfo=UTC)


def test_the_invitation_reaches_the_mail_server_with_its_calendar_part(cast, schedule, smtp_inbox):
    invitations.sync_cohort(cast.cohort.pk)
    run_worker()
    received = [
        message_from_bytes(e.content, policy=policy.default)
        for e in smtp_inbox.messages
        if cast.member.email in e.rcpt_tos
    ]
    assert len(received) == 4
    message = received[0]
    calendar_parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar_parts) == 1
    assert calendar_parts[0].get_param("method") == "REQUEST"
    attached = [p for p in message.walk() if p.get_filename() == "invite.ics"]
    assert len(attached) == 1
    for part in (calendar_parts[0], attached[0]):
        calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
        assert calendar["METHOD"] == "REQUEST"
        assert str(calendar.walk("VEVENT")[0]["ATTENDEE"]) == f"mailto:{cast.member.email}"
    assert "Are you coming?" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_coffee_group_is_invited_to_its_suggested_hour(cast):
    from cadre.rotations.models import CoffeeGroup, CoffeeGroupMember, CoffeeRound, Ritual

    for person, hours in ((cast.member, [24 + 9, 24 + 14]), (cast.other_cohort_member, [24 + 14])):
        profile = person.profile
        profile.time_zone = "UTC"
        profile.availability = hours
        profile.save()
    ritual = Ritual.objects.create(network=cast.network, name="Monday coffee")
    coffee = CoffeeRound.objects.create(
        ritual=ritual, number=1, scheduled_for=NOW.date(), announced_at=NOW
    )
    group = CoffeeGroup.objects.create(round=coffee, index=0)
    for person in (cast.member, cast.other_cohort_member):
        CoffeeGroupMember.objects.create(group=group, user=person)
    assert invitations.sync_all() == 2
    message = mails(cast.member, f"coffee-group:{group.pk}")[0]
    event = event_of(message)
    assert parsed(message)["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == invitations.next_hour(24 + 14, NOW)  # Tuesday 14:00
    assert str(event["SUMMARY"]) == "Monday coffee: coffee with Oscar Othercohort"
    assert event["UID"] == f"coffee-group-{group.pk}@" + str(event["UID"]).split("@")[1]
    assert "/rsvp/" not in message.body  # groups and pairs are not answered in Cadre
    assert invitations.sync_all() == 0


def test_the_preference_is_on_the_notifications_page(cast, client_for):
    client = client_for(cast.member)
    page = client.get("/me/notifications/").content.decode()
    assert "Calendar invitations to my sessions" in page
