"""Intakes: who sees them, and organizers creating, editing, opening and closing them."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse

from cadre.formation.models import Intake, IntakeStatus

# The intakes' dates are written from TODAY, so the clock stands still on it for every test.
NOW = datetime(2026, 1, 14, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
pytestmark = pytest.mark.time_machine(NOW, tick=False)


def list_url(cast: Any) -> str:
    return reverse("formation:list", args=[cast.network.slug])


def create_url(cast: Any) -> str:
    return reverse("formation:create", args=[cast.network.slug])


def intake_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Autumn Intake",
        "slug": "autumn",
        "description": "Cohorts on product discovery.",
        "objective": "Ship one discovery experiment each.",
        "questions_text": "What do you want to learn?\n\n  Which team are you in?  ",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=14)).isoformat(),
        "min_size": "4",
        "max_size": "6",
        "session_minutes": "90",
        "target_skills": ["facilitation", "data-analysis"],
    }
    data.update(changes)
    return data


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for, intake, url):
    client = client_for(None)
    for path in (list_url(cast), create_url(cast), url("detail")):
        assert client.get(path).status_code == 302


@pytest.mark.parametrize("who", ["outsider", "partner"])
def test_outsiders_and_partners_see_no_intakes(cast, client_for, intake, url, who):
    client = client_for(getattr(cast, who))
    expected = 404 if who == "outsider" else 200
    response = client.get(list_url(cast))
    assert response.status_code == expected
    if expected == 200:
        assert response.context["intakes"] == []
    assert client.get(url("detail")).status_code == 404


@pytest.mark.parametrize("who", ["member", "other_cohort_member", "mentor", "host"])
def test_members_see_open_intakes_only(cast, client_for, intake, who):
    Intake.objects.create(
        network=cast.network,
        title="Draft Intake",
        slug="draft",
        objective="x",
        opens_on=TODAY,
        closes_on=TODAY + timedelta(days=3),
        created_by=cast.organizer,
    )
    client = client_for(getattr(cast, who))
    response = client.get(list_url(cast))
    assert [i.slug for i in response.context["intakes"]] == ["spring"]
    assert b"New intake" not in response.content
    assert client.get(reverse("formation:detail", args=["northwind", "draft"])).status_code == 404
    page = client.get(reverse("formation:detail", args=["northwind", "spring"]))
    assert page.status_code == 200
    assert b"Apply" in page.content
    assert b"Run formation" not in page.content


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_see_every_intake_and_create_one_as_a_draft(cast, client_for, intake, who):
    client = client_for(getattr(cast, who))
    assert b"New intake" in client.get(list_url(cast)).content
    assert client.get(create_url(cast)).status_code == 200
    response = client.post(create_url(cast), intake_data())
    created = Intake.objects.get(slug="autumn")
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert created.status == IntakeStatus.DRAFT
    assert created.network == cast.network
    assert created.created_by == getattr(cast, who)
    assert created.questions == ["What do you want to learn?", "Which team are you in?"]
    assert created.target_skills == ["facilitation", "data-analysis"]
    assert (created.min_size, created.max_size, created.session_minutes) == (4, 6, 90)
    assert [i.slug for i in client.get(list_url(cast)).context["intakes"]] == ["autumn", "spring"]


@pytest.mark.parametrize("who", ["member", "mentor", "host"])
def test_members_may_not_create_edit_open_or_close_intakes(cast, client_for, intake, url, who):
    client = client_for(getattr(cast, who))
    assert client.get(create_url(cast)).status_code == 403
    assert client.post(create_url(cast), intake_data()).status_code == 403
    assert client.get(url("edit")).status_code == 403
    assert client.post(url("edit"), intake_data(slug="spring")).status_code == 403
    assert client.post(url("status"), {"action": "close"}).status_code == 403
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN and intake.title == "Spring Intake"
    assert Intake.objects.count() == 1


def test_outsider_cannot_create_an_intake_in_another_network(cast, client_for):
    assert client_for(cast.outsider).post(create_url(cast), intake_data()).status_code == 404
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"closes_on": TODAY.isoformat()}, "closes_on"),
        ({"closes_on": (TODAY - timedelta(days=1)).isoformat()}, "closes_on"),
        ({"opens_on": "not a date"}, "opens_on"),
        ({"min_size": "1"}, "min_size"),
        ({"max_size": "21"}, "max_size"),
        ({"min_size": "7", "max_size": "5"}, "max_size"),
        ({"session_minutes": "5"}, "session_minutes"),
        ({"target_skills": ["welding"]}, "target_skills"),
        ({"slug": "spring"}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"slug": "has spaces"}, "slug"),
        ({"title": ""}, "title"),
        ({"questions_text": "Same?\nsame?"}, "questions_text"),
    ],
)
def test_bad_intake_input_shows_field_errors_and_saves_nothing(
    cast, client_for, intake, changes, field
):
    response = client_for(cast.organizer).post(create_url(cast), intake_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b'class="errorlist' in response.content
    assert Intake.objects.count() == 1


def test_organizer_edits_an_intake(cast, client_for, intake, url):
    data = intake_data(slug="spring", title="Spring Intake 2026", questions_text="Why now?")
    response = client_for(cast.organizer).post(url("edit"), data)
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.title == "Spring Intake 2026"
    assert intake.questions == ["Why now?"]
    assert intake.status == IntakeStatus.OPEN


def test_organizer_opens_and_closes_an_intake(cast, client_for, intake, url):
    client = client_for(cast.organizer)
    client.post(url("status"), {"action": "close"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.CLOSED
    client.post(url("status"), {"action": "open"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN
    client.post(url("status"), {"action": "open"})  # already open: nothing changes
    client.post(url("status"), {"action": "publish"})
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN


def test_members_who_applied_still_see_a_closed_intake(cast, client_for, intake, url, applied):
    intake.status = IntakeStatus.CLOSED
    intake.save()
    assert client_for(cast.member).get(url("detail")).status_code == 200
    assert client_for(cast.mentor).get(url("detail")).status_code == 404
    assert [i.slug for i in client_for(cast.member).get(list_url(cast)).context["intakes"]] == [
        "spring"
    ]


def test_network_home_links_to_the_intakes(cast, client_for):
    response = client_for(cast.member).get(reverse("networks:home", args=["northwind"]))
    assert list_url(cast).encode() in response.content
