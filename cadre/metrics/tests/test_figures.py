"""The cohort figures (cadre.metrics.figures), worked out by hand for one cohort with known
facts, and then read off every page, file and API endpoint that shows them: they must all say
the same, each with its window beside it."""

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    HelpOffer,
    ProgressUpdate,
    Visibility,
)
from cadre.cohorts.models import CohortMembership
from cadre.health import facts
from cadre.impact.tests.test_views import pdf_text
from cadre.metrics import figures
from cadre.schedule.models import Attendance, Session
from cadre.schedule.tests.helpers import add_members

# A Wednesday; the last 4 weeks are the 28 days before it.
NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


@pytest.fixture
def known(clock, cast):
    """Platform Reliability with facts whose figures are worked out by hand below."""
    cohort = cast.cohort
    (ann, lee) = add_members(cohort, 2)
    CohortMembership.objects.filter(cohort=cohort, user=lee).update(
        joined_on=(NOW - timedelta(days=90)).date(), left_on=(NOW - timedelta(days=30)).date()
    )
    host, member, newcomer = cast.host, cast.member, cast.newcomer

    def session(days_ago: float, marks: dict, cancelled: bool = False) -> None:
        s = Session.objects.create(cohort=cohort, starts_at=ago(days_ago), cancelled=cancelled)
        for user, status in marks.items():
            Attendance.objects.create(session=s, user=user, status=status)

    # The last 4 weeks: present 6, absent 2, one excused (in neither part).
    session(3, {host: "present", member: "present", newcomer: "absent", ann: "excused"})
    session(10, {host: "present", member: "absent", newcomer: "present"})
    session(17, {host: "present", member: "present"})
    session(5, {host: "present", member: "present"}, cancelled=True)  # not counted
    session(-2, {host: "absent"})  # still to come: not counted
    # Before the window (counted since the start only): present 1, absent 1; and a session
    # exactly 28 days ago, which belongs to the 4 weeks before.
    session(40, {host: "present", member: "absent"})

    def commitment(due_days_ago: int, status: str, **extra) -> Commitment:
        return Commitment.objects.create(
            cohort=cohort,
            owner=member,
            text="Publish the runbook by Friday",
            due_on=(NOW - timedelta(days=due_days_ago)).date(),
            status=status,
            **extra,
        )

    # Due in the last 4 weeks: 2 done (one late) of 4; dropped, private and not-yet-due ones
    # are left out.
    commitment(5, CommitmentStatus.DONE, completed_at=ago(6))
    commitment(12, CommitmentStatus.DONE, completed_at=ago(10))
    commitment(20, CommitmentStatus.MISSED)
    commitment(2, CommitmentStatus.OPEN)
    commitment(3, CommitmentStatus.DROPPED)
    commitment(4, CommitmentStatus.DONE, completed_at=ago(4), visibility=Visibility.PRIVATE)
    commitment(-1, CommitmentStatus.OPEN)
    commitment(35, CommitmentStatus.DONE, completed_at=ago(36))  # before the window

    def blocker(author, days_ago: float, about=None) -> Blocker:
        update = ProgressUpdate.objects.create(
            cohort=cohort, author=author, commitment=about, created_at=ago(days_ago)
        )
        return Blocker.objects.create(update=update, text="Stuck", created_at=ago(days_ago))

    shared = blocker(member, 6)
    HelpOffer.objects.create(blocker=shared, helper=host, created_at=ago(5))
    HelpOffer.objects.create(blocker=shared, helper=newcomer, created_at=ago(5))
    secret = commitment(1, CommitmentStatus.OPEN, visibility=Visibility.PRIVATE)
    HelpOffer.objects.create(blocker=blocker(member, 4, secret), helper=host, created_at=ago(3))
    HelpOffer.objects.create(blocker=blocker(newcomer, 46), helper=ann, created_at=ago(45))
    facts.refresh_cohort(cohort)
    return cohort


# Worked out by hand from the facts above.
RECENT = {"attendance": "75%", "follow_through": "50%", "help_offered": "2"}
SINCE_START = {"attendance": "70%", "follow_through": "60%", "help_offered": "3"}
ACTIVE_MEMBERS = "4"  # host, member, newcomer, Ann; Lee left


def test_the_figures_are_what_the_facts_say(known):
    found = figures.of_cohort(known)
    assert (found.attendance.part, found.attendance.whole, found.attendance.value) == (6, 8, 75.0)
    assert (found.follow_through.part, found.follow_through.whole) == (2, 4)
    assert (found.help_offered.value, found.active_members.value) == (2, 4)
    whole = figures.of_cohort(known, figures.WHOLE)
    assert (whole.attendance.part, whole.attendance.whole, whole.attendance.value) == (7, 10, 70)
    assert (whole.follow_through.part, whole.follow_through.whole) == (3, 5)
    assert whole.help_offered.value == 3
    assert [v.label for v in found] == [
        "Attendance, last 4 weeks",
        "Follow-through, last 4 weeks",
        "Offers of help, last 4 weeks",
        "Active members, today",
    ]
    assert found.attendance.parts == "6 of 8 marks present"


def test_the_window_ends_now_and_starts_after_28_days(clock, cast):
    for days_ago in (0, 27.9, 28, 28.1):
        s = Session.objects.create(cohort=cast.cohort, starts_at=ago(days_ago))
        Attendance.objects.create(session=s, user=cast.member, status="present")
    Session.objects.create(cohort=cast.cohort, starts_at=ago(-0.1))
    recent = figures.of_cohort(cast.cohort)
    before = figures.of_cohort(cast.cohort, figures.RECENT.before())
    # 0 and 27.9 days ago are in the last 4 weeks; exactly 28 and 28.1 days ago before it.
    assert (recent.attendance.whole, before.attendance.whole) == (2, 2)
    assert before.attendance.label == "Attendance, the 4 weeks before"


def test_every_cohort_costs_the_same_queries(clock, cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        found = figures.for_cohorts([cast.cohort.pk, cast.other_cohort.pk])
    assert found[cast.other_cohort.pk].attendance.value is None
    assert found[cast.other_cohort.pk].active_members.value == 1


# --- every page says the same ----------------------------------------------------------------


class _Texts(HTMLParser):
    """The text inside each element with an id or a class, keyed by either."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.found: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list) -> None:
        keys = [f"#{v}" for k, v in attrs if k == "id" and v]
        keys += [f".{c}" for k, v in attrs if k == "class" and v for c in v.split()]
        self.open.append(keys)
        for key in keys:
            self.found.setdefault(key, []).append("")

    def handle_endtag(self, tag: str) -> None:
        if self.open:
            self.open.pop()

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        pass

    def handle_data(self, data: str) -> None:
        for keys in self.open:
            for key in keys:
                self.found[key][-1] += data


def texts(html: str, scope: str = "") -> dict[str, list[str]]:
    """Texts by "#id" or ".class"; within the element whose id is `scope` when given."""
    if scope:
        start = html.index(f'id="{scope}"')
        start = html.rindex("<", 0, start)
        opening = re.match(r"<(\w+)", html[start:])
        assert opening is not None, f"no tag opens at {scope}"
        tag = opening.group(1)
        html = html[start : html.index(f"</{tag}>", start)]
    parser = _Texts()
    parser.feed(html)
    return {k: [" ".join(t.split()) for t in v] for k, v in parser.found.items()}


def first_word(text: str) -> str:
    return text.split()[0]


def test_every_page_file_and_endpoint_shows_the_same_figures_with_their_window(
    known, cast, client_for, api_as
):
    net, slug = cast.network.slug, known.slug
    seen: dict[str, dict[str, str]] = {}

    # Health: the cohort's page (a host), the network's table (an organizer).
    page = client_for(cast.host).get(reverse("health:cohort", args=[net, slug])).content.decode()
    found = texts(page)
    seen["health page"] = {k: first_word(found[f"#figure-{k}"][0]) for k in RECENT}
    seen["health page"]["active_members"] = found["#figure-active_members"][0]
    for label in ("Attendance, last 4 weeks", "Follow-through, last 4 weeks"):
        assert label in page
    assert "Offers of help, last 4 weeks" in page and "Active members, today" in page
    page = client_for(cast.organizer).get(reverse("health:network", args=[net])).content.decode()
    assert "over the last 4 weeks, members today" in page
    row = re.search(r'<tr id="cohort-reliability">(.*?)</tr>', page, re.S).group(1)
    cells = dict(re.findall(r'<td data-label="([^"]+)">\s*([^<\s]+)', row))
    seen["health table"] = {
        "attendance": cells["Attendance"],
        "follow_through": cells["Follow-through"],
        "help_offered": cells["Offers of help"],
        "active_members": cells["Active members"],
    }

    # Metrics: the cohort's built-ins (a member), the organizers' table and its CSV.
    page = client_for(cast.member).get(reverse("metrics_cohort:index", args=[net, slug]))
    found = texts(page.content.decode())
    seen["metrics page"] = {}
    for key in [*RECENT, "active_members"]:
        label, value = found[f"#figure-{key}"][0].split(": ", 1)
        assert (
            label
            == {
                "attendance": "Attendance, last 4 weeks",
                "follow_through": "Follow-through, last 4 weeks",
                "help_offered": "Offers of help, last 4 weeks",
                "active_members": "Active members, today",
            }[key]
        )
        seen["metrics page"][key] = first_word(value)
    page = client_for(cast.organizer).get(reverse("metrics:index", args=[net])).content.decode()
    assert "Attendance, last 4 weeks" in page and "Active members, today" in page
    found = texts(page, "across-reliability")
    seen["metrics table"] = {k: found[f".figure-{k}"][0] for k in [*RECENT, "active_members"]}
    body = client_for(cast.organizer).get(reverse("metrics:index", args=[net]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(body.content.decode())))
    header, line = rows[0], next(r for r in rows if r[0] == known.name)
    assert header[2:] == [
        "Follow-through, last 4 weeks (%)",
        "Attendance, last 4 weeks (%)",
        "Offers of help, last 4 weeks",
        "Active members, today",
    ]
    seen["metrics CSV"] = {
        "follow_through": line[2] + "%",
        "attendance": line[3] + "%",
        "help_offered": line[4],
        "active_members": line[5],
    }

    # The member's home: their cohorts' figures and the cohort cards.
    page = client_for(cast.member).get(reverse("networks:home", args=[net])).content.decode()
    assert "Attendance, last 4 weeks" in page and "Active members, today" in page
    found = texts(page, "figures-reliability")
    seen["home"] = {k: found[f".figure-{k}"][0] for k in [*RECENT, "active_members"]}
    cards = texts(page)[".figure-active_members"]
    assert ACTIVE_MEMBERS in cards and f"{ACTIVE_MEMBERS} active members" in " ".join(
        texts(page)[".card"]
    )

    # The API: health (as of its snapshot), the metrics figures, and both agree with `numbers`.
    health = api_as(cast.host).get(f"/networks/{net}/cohorts/{slug}/health").json()
    seen["health API"] = {f["key"]: f["text"] for f in health["figures"]}
    assert {f["key"]: f["label"] for f in health["figures"]}["attendance"] == (
        "Attendance, last 4 weeks"
    )
    numbers = health["numbers"]
    assert (numbers["attendance_rate"], numbers["follow_through"]) == (75.0, 50.0)
    assert (numbers["help_offered"], numbers["members"]) == (2, 4)
    listed = api_as(cast.organizer).get(f"/networks/{net}/health").json()["items"]
    row = next(r for r in listed if r["cohort"] == slug)
    seen["health API, network"] = {f["key"]: f["text"] for f in row["figures"]}
    metrics = api_as(cast.member).get(f"/networks/{net}/cohorts/{slug}/metrics/figures").json()
    seen["metrics API"] = {f["key"]: f["text"] for f in metrics}
    assert [f["window"] for f in metrics] == ["last 4 weeks"] * 3 + ["today"]

    expected = {**RECENT, "active_members": ACTIVE_MEMBERS}
    for where, shown in seen.items():
        assert shown == expected, where


def test_the_impact_report_shows_the_same_figures_since_the_start(known, cast, client_for, api_as):
    """The report covers the cohort's whole life: the same definitions over a longer window,
    said as such on the page, in the PDF and in the API."""
    net, slug = cast.network.slug, known.slug
    expected = {**SINCE_START, "active_members": ACTIVE_MEMBERS}
    page = client_for(cast.member).get(reverse("impact:report", args=[net, slug]))
    html = page.content.decode()
    found = texts(html)
    shown = {k: first_word(found[f"#figure-{k}"][0]) for k in expected}
    assert shown == expected
    for label in (
        "Attendance, since the start",
        "Follow-through, since the start",
        "Offers of help, since the start",
        "active members, today",
    ):
        assert label in html
    assert "7 of 10 marks present" in html and "3 of 5 due done" in html
    pdf = " ".join(
        pdf_text(
            client_for(cast.member).get(reverse("impact:pdf", args=[net, slug])).content
        ).split()
    )
    assert "Attendance, since the start 70% (7 of 10 marks present)" in pdf
    assert "Follow-through, since the start 60% (3 of 5 due done)" in pdf
    assert "Offers of help, since the start (by how many people) 3 (3)" in pdf
    assert "Members (active members, today: 4)" in pdf
    body = api_as(cast.member).get(f"/networks/{net}/cohorts/{slug}/impact").json()
    assert {f["key"]: f["text"] for f in body["figures"]} == expected
    assert {f["window"] for f in body["figures"]} == {"since the start", "today"}
    assert body["sessions"]["attendance_rate"] == 70.0
    assert body["commitments"]["follow_through"] == 60.0
    assert body["help"]["offers_made"] == 3


def test_the_health_snapshot_says_when_its_figures_were_computed(known, cast, client_for):
    page = client_for(cast.host).get(reverse("health:cohort", args=[cast.network.slug, known.slug]))
    assert f"Computed {timezone.localtime(NOW):%-d %b %Y, %H:%M}" in page.content.decode()
