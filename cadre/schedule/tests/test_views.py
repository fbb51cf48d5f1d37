"""The schedule pages tried by the people who may and may not use them."""

from datetime import time, timedelta
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.schedule.models import Absence, CohortSchedule, Session, SessionKind

from .helpers import add_members, add_past_sessions, assignments

CAN_SEE = ["admin", "organizer", "host", "member"]
CANNOT_SEE = ["other_cohort_member", "mentor", "partner", "outsider"]
EDITORS = ["admin", "organizer", "host"]


def schedule_post(**changes):
    return {
        "weekday": "3",
        "local_time": "10:30",
        "session_count": "8",
        "skip_default_holidays": "on",
        "roles": "facilitator\nscribe",
        **changes,
    }


# --- the schedule page ------------------------------------------------------------------------


@pytest.mark.parametrize("person", CAN_SEE)
def test_cohort_members_and_organizers_see_the_rota(cast, client_for, url, schedule, person):
    response = client_for(getattr(cast, person)).get(url("page"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Upcoming sessions" in text and "Facilitator" in text
    assert "Hana Host" in text


def test_my_roles_are_marked_with_text(cast, client_for, url, schedule):
    text = client_for(cast.member).get(url("page")).content.decode()
    assert "Mo Member (you)" in text


def test_the_page_shows_times_in_the_cohort_zone_and_mine(cast, client_for, url, schedule):
    cast.member.profile.time_zone = "America/Chicago"
    cast.member.profile.save()
    text = client_for(cast.member).get(url("page")).content.decode()
    assert "15:00" in text and "08:00 your time" in text
    assert "America/Chicago" in text


@pytest.mark.parametrize("person", CANNOT_SEE)
@pytest.mark.parametrize("page", ["page", "edit", "slots"])
def test_people_outside_the_cohort_get_404(cast, client_for, url, schedule, person, page):
    assert client_for(getattr(cast, person)).get(url(page)).status_code == 404


@pytest.mark.parametrize("page", ["page", "edit", "slots"])
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, url, page):
    response = client_for(None).get(url(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_newcomer_must_accept_the_code_of_conduct_first(cast, client_for, url, schedule):
    response = client_for(cast.newcomer).get(url("page"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("networks:conduct", args=["northwind"]))
    assert quote(url("page")) in response.url


def test_newcomer_cannot_mark_an_absence_before_accepting(cast, client_for, url, schedule):
    session = cast.cohort.sessions.first()
    response = client_for(cast.newcomer).post(url("absence", session.pk))
    assert response.status_code == 302
    assert not Absence.objects.exists()


def test_shared_cohort_schedule_is_readable_by_network_members(cast, client_for, url, schedule):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    response = client_for(cast.other_cohort_member).get(url("page"))
    assert response.status_code == 200
    assert "I can’t come" not in response.content.decode()


def test_past_sessions_are_listed(cast, client_for, url, schedule):
    add_past_sessions(cast.cohort, 2)
    text = client_for(cast.member).get(url("page")).content.decode()
    assert "No sessions have taken place yet" not in text
    assert "facilitator Hana Host" in text or "facilitator Mo Member" in text


# --- absences ---------------------------------------------------------------------------------


def test_member_marks_and_withdraws_an_absence_and_the_rota_follows(
    cast, client_for, url, schedule
):
    add_members(cast.cohort, 1)
    session = cast.cohort.sessions.order_by("starts_at").first()
    client = client_for(cast.member)
    response = client.post(url("absence", session.pk))
    assert response.status_code == 302
    assert Absence.objects.filter(session=session, user=cast.member).exists()
    assert not session.roles.filter(user=cast.member).exists()
    client.post(url("absence", session.pk))
    assert not Absence.objects.filter(session=session, user=cast.member).exists()


def test_absence_toggle_over_htmx_returns_the_rota_fragment(cast, client_for, url, schedule):
    session = cast.cohort.sessions.order_by("starts_at").first()
    response = client_for(cast.member).post(url("absence", session.pk), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="rota"' in text and "<html" not in text
    assert "You are marked absent." in text


@pytest.mark.parametrize("person", ["admin", "organizer"])
def test_organizers_outside_the_cohort_cannot_mark_absences(
    cast, client_for, url, schedule, person
):
    session = cast.cohort.sessions.first()
    response = client_for(getattr(cast, person)).post(url("absence", session.pk))
    assert response.status_code == 403
    assert not Absence.objects.exists()


@pytest.mark.parametrize("person", CANNOT_SEE)
def test_outsiders_get_404_for_absences(cast, client_for, url, schedule, person):
    session = cast.cohort.sessions.first()
    response = client_for(getattr(cast, person)).post(url("absence", session.pk))
    assert response.status_code == 404
    assert not Absence.objects.exists()


def test_past_sessions_take_no_absences(cast, client_for, url, schedule):
    past = add_past_sessions(cast.cohort, 1)[0]
    before = assignments([past])
    client_for(cast.member).post(url("absence", past.pk))
    assert not Absence.objects.exists()
    assert assignments([past]) == before


def test_a_session_of_another_cohort_is_404(cast, client_for, url, schedule):
    other = Session.objects.create(
        cohort=cast.other_cohort, starts_at=cast.cohort.sessions.first().starts_at
    )
    assert client_for(cast.member).post(url("absence", other.pk)).status_code == 404


# --- editing the schedule ---------------------------------------------------------------------


@pytest.mark.parametrize("person", EDITORS)
def test_hosts_and_organizers_set_the_schedule(cast, client_for, url, person):
    client = client_for(getattr(cast, person))
    assert client.get(url("edit")).status_code == 200
    response = client.post(url("edit"), schedule_post())
    assert response.status_code == 302
    schedule = CohortSchedule.objects.get(cohort=cast.cohort)
    assert (schedule.weekday, schedule.local_time) == (3, time(10, 30))
    assert schedule.roles == ["facilitator", "scribe"]
    assert cast.cohort.sessions.count() == 8
    first = cast.cohort.sessions.first()
    assert sorted(first.roles.values_list("role", flat=True)) == ["facilitator", "scribe"]


def test_members_may_not_change_the_schedule(cast, client_for, url, schedule):
    client = client_for(cast.member)
    assert client.get(url("edit")).status_code == 403
    assert client.post(url("edit"), schedule_post()).status_code == 403
    assert client.post(url("one_off"), {}).status_code == 403
    session = cast.cohort.sessions.first()
    assert client.post(url("cancel", session.pk), {"cancelled": "on"}).status_code == 403
    assert client.post(url("slot_use"), {"start": "40"}).status_code == 403
    schedule.refresh_from_db()
    assert schedule.weekday == 1 and not Session.objects.filter(cancelled=True).exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"weekday": "9"}, "weekday"),
        ({"local_time": "25:00"}, "local_time"),
        ({"roles": ""}, "roles"),
        ({"roles": "a\nA"}, "roles"),
        ({"roles": "\n".join("abcdefg")}, "roles"),
    ],
)
def test_bad_schedules_show_field_errors_and_save_nothing(
    cast, client_for, url, schedule, changes, field
):
    response = client_for(cast.host).post(url("edit"), schedule_post(**changes))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    schedule.refresh_from_db()
    assert (schedule.weekday, schedule.roles) == (1, ["facilitator", "note-taker", "data reporter"])


def test_host_adds_a_one_off_session_with_roles(cast, client_for, url, schedule):
    day = timezone.localdate() + timedelta(days=10)
    response = client_for(cast.host).post(
        url("one_off"),
        {"title": "Demo day", "date": day.isoformat(), "start": "17:00", "minutes": "90"},
    )
    assert response.status_code == 302
    session = Session.objects.get(kind=SessionKind.ONE_OFF)
    assert session.title == "Demo day" and session.minutes == 90
    assert session.roles.count() == 3


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": ""}, "title"),
        ({"minutes": "5"}, "minutes"),
        ({"start": "noon"}, "start"),
    ],
)
def test_bad_one_off_sessions_are_refused(cast, client_for, url, schedule, changes, field):
    data = {
        "title": "Demo day",
        "date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "start": "17:00",
        "minutes": "60",
        **changes,
    }
    response = client_for(cast.host).post(url("one_off"), data)
    assert response.status_code == 400
    assert response.context["one_off_form"].errors[field]
    assert not Session.objects.filter(kind=SessionKind.ONE_OFF).exists()


def test_a_one_off_session_in_the_past_is_refused(cast, client_for, url, schedule):
    day = timezone.localdate() - timedelta(days=2)
    data = {"title": "Demo day", "date": day.isoformat(), "start": "17:00", "minutes": "60"}
    response = client_for(cast.host).post(url("one_off"), data)
    assert response.status_code == 400
    assert response.context["one_off_form"].errors["date"]
    assert not Session.objects.filter(kind=SessionKind.ONE_OFF).exists()


def test_host_cancels_a_session_and_holds_it_again(cast, client_for, url, schedule):
    session = cast.cohort.sessions.order_by("starts_at").first()
    client = client_for(cast.host)
    client.post(url("cancel", session.pk), {"cancelled": "on"})
    session.refresh_from_db()
    assert session.cancelled and not session.roles.exists()
    client.post(url("cancel", session.pk), {})
    session.refresh_from_db()
    assert not session.cancelled and session.roles.count() == 3


def test_past_sessions_cannot_be_cancelled(cast, client_for, url, schedule):
    past = add_past_sessions(cast.cohort, 1)[0]
    client_for(cast.host).post(url("cancel", past.pk), {"cancelled": "on"})
    past.refresh_from_db()
    assert not past.cancelled


# --- the slot finder --------------------------------------------------------------------------


def test_the_slot_finder_names_who_cannot_come(cast, client_for, url, schedule):
    cast.host.profile.availability = [2 * 24 + 9, 2 * 24 + 10]
    cast.host.profile.save()
    cast.member.profile.availability = [2 * 24 + 9]
    cast.member.profile.save()
    response = client_for(cast.member).get(url("slots"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Wednesday 09:00–10:00" in text
    assert "2 of 3 can come" in text
    assert "Cannot make it: Nia Newcomer." in text
    assert "Use this slot" not in text


def test_host_uses_a_suggested_slot(cast, client_for, url, schedule):
    cast.host.profile.availability = [2 * 24 + 9]
    cast.host.profile.save()
    client = client_for(cast.host)
    assert "Use this slot" in client.get(url("slots")).content.decode()
    response = client.post(url("slot_use"), {"start": str(2 * 24 + 8)})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert (schedule.weekday, schedule.local_time) == (2, time(9, 0))


@pytest.mark.parametrize("start", ["", "168", "-1", "soon"])
def test_a_bad_slot_changes_nothing(cast, client_for, url, schedule, start):
    client_for(cast.host).post(url("slot_use"), {"start": start})
    schedule.refresh_from_db()
    assert (schedule.weekday, schedule.local_time) == (1, time(15, 0))


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("extra, past", [(2, 2), (12, 20)])
def test_the_schedule_page_issues_a_bounded_number_of_queries(
    cast, client_for, url, schedule, django_assert_max_num_queries, extra, past
):
    add_members(cast.cohort, extra)
    add_past_sessions(cast.cohort, past)
    for session in cast.cohort.sessions.upcoming()[:3]:
        Absence.objects.create(session=session, user=cast.host)
    client = client_for(cast.member)
    # 25: the page, plus the swaps waiting for an answer, the series' held sessions and the
    # holidays (for the skipped dates), plus the navigation's two (the cohort with its network,
    # the next and last session) and the header's unread notifications; none grows with the
    # sessions, members or roles.
    with django_assert_max_num_queries(26):
        assert client.get(url("page")).status_code == 200


def test_the_cohort_page_links_to_the_schedule(cast, client_for, url):
    page = reverse("cohorts:detail", args=["northwind", "reliability"])
    text = client_for(cast.member).get(page).content.decode()
    assert f'href="{url("page")}">Schedule</a>' in text


# --- links shown only to people they open for ---------------------------------------------


def _published_report(session, shared):
    from cadre.schedule.models import ReportStatus, SessionReport

    return SessionReport.objects.create(
        session=session,
        body="## Attendance\n\n- Present: everyone",
        status=ReportStatus.PUBLISHED,
        share_with_network=shared,
    )


def test_people_who_see_a_shared_cohort_get_no_session_links_but_its_shared_reports(
    cast, client_for, url, schedule
):
    cast.cohort.shared_with_network = True
    cast.cohort.save()
    shared, private = add_past_sessions(cast.cohort, 2)
    _published_report(shared, shared=True)
    _published_report(private, shared=False)

    def href(name, session):
        return f'href="{url(name, session.pk)}"'

    page = client_for(cast.other_cohort_member).get(url("page")).content.decode()
    for session in Session.objects.filter(cohort=cast.cohort):
        assert href("session", session) not in page
    assert href("report", shared) in page
    assert href("report", private) not in page
    report = client_for(cast.other_cohort_member).get(url("report", shared.pk))
    assert report.status_code == 200
    assert href("session", shared) not in report.content.decode()
    assert "<h2>Attendance</h2>" in report.content.decode()  # rendered, not shown as written
    member_page = client_for(cast.member).get(url("page")).content.decode()
    assert href("session", shared) in member_page


def test_the_run_page_links_the_report_only_to_those_who_may_open_it(cast, client_for, url):
    from .helpers import make_held_session

    session = make_held_session(cast.cohort, facilitator=cast.member, note_taker=cast.host)
    run = client_for(cast.member).get(url("run", session.pk)).content.decode()
    assert url("report", session.pk) not in run  # no report yet, and not the note-taker
    assert client_for(cast.member).get(url("report", session.pk)).status_code == 404
    _published_report(session, shared=False)
    run = client_for(cast.member).get(url("run", session.pk)).content.decode()
    assert url("report", session.pk) in run


def test_the_cohort_time_zone_in_the_schedule_form_is_text_not_markup(cast, schedule):
    from cadre.schedule.forms import ScheduleForm

    # A time zone is validated when saved; the form still must not trust what it reads.
    schedule.cohort.time_zone = "<script>alert(1)</script>"
    rendered = str(ScheduleForm(schedule=schedule))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "<script>" not in rendered


@pytest.mark.parametrize("day", ["9999-12-31", "2201-01-01"])
def test_a_one_off_session_outside_the_date_range_is_refused(cast, client_for, url, schedule, day):
    from cadre.lib.dates import RANGE_MESSAGE

    data = {"title": "Demo day", "date": day, "start": "17:00", "minutes": "60"}
    response = client_for(cast.host).post(url("one_off"), data)
    assert response.status_code == 400
    assert response.context["one_off_form"].errors["date"] == [RANGE_MESSAGE]
    assert not Session.objects.filter(kind=SessionKind.ONE_OFF).exists()
