"""Members applying to an intake: prefilled from the profile, edited and withdrawn while it
is open, nothing half-saved."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from cadre.formation.models import Application, IntakeStatus
from cadre.networks.models import Skill
from cadre.people.models import Profile, ProfileSkill

QUESTION = "What would you like to change in your work?"


def application_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "answer_0": "Run experiments before building.",
        "goals": "experimentation, Facilitation, experimentation",
        "statement": "I lead a platform team.",
        "skill_facilitation": "3",
        "skill_data-analysis": "",
        "skill_product-discovery": "1",
        "availability": ["9", "10", "33"],
    }
    data.update(changes)
    return data


def test_the_form_is_prefilled_from_the_profile(cast, client_for, intake, url):
    Profile.objects.filter(user=cast.member).update(
        learning_goals=["coaching", "data storytelling"], availability=[10, 11, 58]
    )
    skill = Skill.objects.get(network=cast.network, slug="facilitation")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=skill, level=4)
    welding = Skill.objects.get(slug="welding")
    ProfileSkill.objects.create(profile=cast.member.profile, skill=welding, level=2)
    response = client_for(cast.member).get(url("apply"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["goals"].value() == "coaching, data storytelling"
    assert form["availability"].value() == [10, 11, 58]
    assert form["skill_facilitation"].value() == 4
    assert "skill_welding" not in form.fields  # another network's skill
    assert form["answer_0"].label == QUESTION
    content = response.content.decode()
    assert 'value="58" aria-label="Wed 10:00" checked' in content
    assert not Application.objects.exists()


@pytest.mark.parametrize("who", ["member", "mentor", "other_cohort_member", "newcomer"])
def test_members_and_mentors_apply(cast, client_for, intake, url, who):
    person = getattr(cast, who)
    response = client_for(person).post(url("apply"), application_data())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.user == person
    assert application.goals == ["experimentation", "Facilitation"]
    assert application.availability == [9, 10, 33]
    assert application.time_zone == "Europe/Berlin"
    assert application.skills == {"facilitation": 3, "product-discovery": 1}
    assert application.answers == {QUESTION: "Run experiments before building."}
    assert application.statement == "I lead a platform team."
    assert application.availability_utc() == [8, 9, 32]


@pytest.mark.parametrize("who", ["admin", "organizer", "partner", "outsider"])
def test_organizers_partners_and_outsiders_do_not_apply(cast, client_for, intake, url, who):
    client = client_for(getattr(cast, who))
    expected = 403 if who in ("admin", "organizer") else 404
    assert client.get(url("apply")).status_code == expected
    assert client.post(url("apply"), application_data()).status_code == expected
    assert not Application.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in(client_for, intake, url):
    assert client_for(None).post(url("apply"), application_data()).status_code == 302
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "status, opens, closes",
    [
        (IntakeStatus.DRAFT, -1, 5),
        (IntakeStatus.CLOSED, -1, 5),
        (IntakeStatus.PUBLISHED, -1, 5),
        (IntakeStatus.OPEN, 2, 5),
        (IntakeStatus.OPEN, -9, -1),
    ],
)
def test_no_applications_outside_the_open_window(
    cast, client_for, intake, url, status, opens, closes
):
    today = timezone.localdate()
    intake.status = status
    intake.opens_on, intake.closes_on = (
        today + timedelta(days=opens),
        today + timedelta(days=closes),
    )
    intake.save()
    response = client_for(cast.member).post(url("apply"), application_data())
    assert response.status_code in (403, 404)
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"answer_0": ""}, "answer_0"),
        ({"answer_0": "x" * 2001}, "answer_0"),
        ({"skill_facilitation": "5"}, "skill_facilitation"),
        ({"skill_facilitation": "-1"}, "skill_facilitation"),
        ({"availability": ["168"]}, "availability"),
        ({"availability": ["monday"]}, "availability"),
        ({"goals": ", ".join(f"goal {i}" for i in range(21))}, "goals"),
        ({"goals": "x" * 61}, "goals"),
    ],
)
def test_bad_application_input_shows_field_errors_and_saves_nothing(
    cast, client_for, intake, url, changes, field
):
    response = client_for(cast.member).post(url("apply"), application_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert b'class="errorlist' in response.content
    assert not Application.objects.exists()


def test_an_unknown_skill_is_ignored_by_the_form(cast, client_for, intake, url):
    client_for(cast.member).post(url("apply"), application_data(skill_welding="4"))
    assert "welding" not in Application.objects.get().skills


def test_applicant_changes_and_withdraws_their_application(cast, client_for, intake, url):
    client = client_for(cast.member)
    client.post(url("apply"), application_data())
    form = client.get(url("apply")).context["form"]
    assert form["answer_0"].value() == "Run experiments before building."
    assert form["goals"].value() == "experimentation, Facilitation"
    client.post(url("apply"), application_data(goals="coaching", answer_0="Coach more."))
    application = Application.objects.get()
    assert application.goals == ["coaching"]
    assert application.answers[QUESTION] == "Coach more."

    response = client.post(url("withdraw"))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.withdrawn
    client.post(url("apply"), application_data())
    application.refresh_from_db()
    assert not application.withdrawn
    assert Application.objects.count() == 1


def test_nobody_withdraws_someone_elses_application(cast, client_for, intake, url):
    client_for(cast.member).post(url("apply"), application_data())
    assert client_for(cast.mentor).post(url("withdraw")).status_code == 404
    assert not Application.objects.get().withdrawn


def test_after_closing_an_applicant_can_no_longer_withdraw(cast, client_for, intake, url):
    client_for(cast.member).post(url("apply"), application_data())
    intake.status = IntakeStatus.CLOSED
    intake.save()
    client_for(cast.member).post(url("withdraw"))
    assert not Application.objects.get().withdrawn
