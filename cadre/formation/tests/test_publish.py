"""Publishing a proposal: each cohort gets a name, a host and a time zone, cohorts that cannot
meet need a confirmation, the cohorts and memberships are created in one transaction, then
every applicant gets an e-mail; publishing twice is refused."""

from typing import Any

import pytest
from django.core import mail

from cadre.cohorts.models import Cohort, CohortMembership, CohortRole, CohortStatus
from cadre.formation import proposals, publishing
from cadre.formation.models import Application, IntakeStatus, RunStatus

from .helpers import run_worker

SUNDAY_3AM = 6 * 24 + 3  # an hour none of the other applicants can meet at


@pytest.fixture
def run(cast: Any, intake: Any, applied: Any) -> Any:
    started = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


@pytest.fixture
def lonely_run(cast: Any, intake: Any, applied: Any) -> Any:
    """A proposal in which the cast's member can meet nobody, so their cohort cannot meet."""
    Application.objects.filter(intake=intake, user=cast.member).update(availability=[SUNDAY_3AM])
    started = proposals.start_run(intake, cast.organizer, seconds=1, seed=2)
    run_worker()
    started.refresh_from_db()
    assert started.status == RunStatus.DONE
    return started


def new_cohorts(cast: Any) -> Any:
    return Cohort.objects.filter(network=cast.network).exclude(
        pk__in=[cast.cohort.pk, cast.other_cohort.pk]
    )


def form_data(response: Any, **changes: Any) -> dict[str, Any]:
    """What the publish page's form sends as it was shown, with `changes`."""
    form = response.context["form"]
    data = {
        name: ("" if form[name].value() is None else form[name].value())
        for name in form.fields
        if name != "confirm"
    }
    return {**data, **changes}


def cohort_number_of(run: Any, application: Any) -> int:
    return run.group_of(application.pk) + 1


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_the_page_suggests_names_from_shared_goals_and_the_members_time_zone(
    cast, client_for, url, run, who
):
    response = client_for(getattr(cast, who)).get(url("publish"))
    assert response.status_code == 200
    form = response.context["form"]
    cohorts = proposals.proposed_cohorts(run)
    names = [form[f"name_{c.number}"].value() for c in cohorts]
    assert len(set(names)) == len(names)
    for cohort, name in zip(cohorts, names, strict=True):
        shared = publishing._shared_goals(cohort.members)
        assert shared and name.casefold().startswith(shared[0].casefold())
        assert form[f"time_zone_{cohort.number}"].value() == "Europe/Berlin"
    # Hosts: the cohort's own members, then the organizers; nobody else.
    first = cohorts[0]
    offered = {int(value) for value, _ in _options(form["host_1"].field.choices) if value}
    assert offered == {m.user_id for m in first.members} | {cast.admin.pk, cast.organizer.pk}
    content = response.content.decode()
    assert "Every cohort can meet" in content
    assert "Publish the cohorts" in content


def _options(choices: Any) -> list[tuple[str, str]]:
    flat: list[tuple[str, str]] = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


@pytest.mark.parametrize("who", ["member", "host", "other_cohort_member", "mentor"])
def test_members_and_hosts_of_other_cohorts_may_not_publish(cast, client_for, url, run, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("publish")).status_code == 403
    assert client.post(url("publish"), {"confirm": "1"}).status_code == 403
    assert not new_cohorts(cast).exists()


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_partners_and_other_networks_organizers_get_404(cast, client_for, url, run, who):
    client = client_for(getattr(cast, who))
    assert client.get(url("publish")).status_code == 404
    assert client.post(url("publish"), {"confirm": "1"}).status_code == 404
    assert not new_cohorts(cast).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client_for, url, run, cast):
    response = client_for(None).post(url("publish"), {"confirm": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not new_cohorts(cast).exists()


# --- publishing ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_publishing_creates_the_named_cohorts_with_their_hosts_and_time_zones(
    cast, client_for, url, intake, run, applied, who
):
    client = client_for(getattr(cast, who))
    page = client.get(url("publish"))
    groups = proposals.proposed_cohorts(run)
    member_host = groups[0].members[0].user
    names = {c.number: f"Circle {c.number}" for c in groups}
    changes = {f"name_{n}": name for n, name in names.items()}
    changes |= {
        "host_1": member_host.pk,
        "host_2": cast.organizer.pk,
        "time_zone_1": "America/Chicago",
    }
    response = client.post(url("publish"), form_data(page, **changes))
    assert response.status_code == 302, response.context and response.context["form"].errors
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.PUBLISHED and intake.published_at
    cohorts = {c.name: c for c in new_cohorts(cast)}
    assert set(cohorts) == set(names.values())
    first, second = cohorts["Circle 1"], cohorts["Circle 2"]
    assert first.time_zone == "America/Chicago" and second.time_zone == "Europe/Berlin"
    assert all(c.status == CohortStatus.FORMING for c in cohorts.values())
    assert all(c.objective == intake.objective for c in cohorts.values())
    assert all(c.session_minutes == run.session_minutes for c in cohorts.values())
    assert len({c.slug for c in cohorts.values()}) == len(cohorts)

    # The host is one of the members, or an organizer who joins as host.
    assert first.memberships.get(user=member_host).role == CohortRole.HOST
    assert first.memberships.filter(role=CohortRole.HOST).count() == 1
    assert second.memberships.get(user=cast.organizer).role == CohortRole.HOST
    assert not second.memberships.exclude(user=cast.organizer).filter(role=CohortRole.HOST)
    assert not cohorts["Circle 3"].memberships.filter(role=CohortRole.HOST).exists()
    by_pk = {a.pk: a.user_id for a in applied}
    for number, group in enumerate(run.assignment, start=1):
        members = set(
            CohortMembership.objects.filter(cohort=cohorts[f"Circle {number}"])
            .exclude(user=cast.organizer)
            .values_list("user_id", flat=True)
        )
        assert members == {by_pk[pk] for pk in group}
    run.refresh_from_db()
    assert sorted(run.published_cohorts) == sorted(c.pk for c in cohorts.values())

    assert mail.outbox == []  # nothing is sent in the web request
    run_worker()
    assert len(mail.outbox) == len(applied) + 1  # and the organizer who hosts
    to_host = next(m for m in mail.outbox if m.to == [member_host.email])
    assert "You are in Circle 1, as its host." in to_host.body
    to_organizer = next(m for m in mail.outbox if m.to == [cast.organizer.email])
    assert "Circle 2, as its host" in to_organizer.body
    to_member = next(m for m in mail.outbox if m.to == [cast.member.email])
    mine = CohortMembership.objects.get(user=cast.member, cohort__in=cohorts.values()).cohort
    assert mine.name in to_member.subject
    assert mine.get_absolute_url() in to_member.body
    for membership in mine.memberships.exclude(user=cast.member).select_related("user"):
        assert membership.user.name in to_member.body


def test_the_suggestions_are_published_as_they_are(cast, client_for, url, run):
    client = client_for(cast.organizer)
    page = client.get(url("publish"))
    suggested = [
        page.context["form"][f"name_{c.number}"].value() for c in page.context["form"].cohorts
    ]
    assert client.post(url("publish"), form_data(page)).status_code == 302
    assert sorted(new_cohorts(cast).values_list("name", flat=True)) == sorted(suggested)
    assert set(new_cohorts(cast).values_list("time_zone", flat=True)) == {"Europe/Berlin"}


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name_2": "  "}, "name_2", "Give cohort 2 a name."),
        ({"name_1": "Twins", "name_2": "twins"}, "name_2", "Cohort 1 is called “twins” too"),
        ({"name_1": "Platform Reliability"}, "name_1", "already has a cohort called"),
        ({"name_1": "x" * 121}, "name_1", "at most 120 characters"),
        ({"time_zone_1": "Mars/Olympus"}, "time_zone_1", "“Mars/Olympus” is not a time zone"),
        ({"time_zone_2": ""}, "time_zone_2", "Give cohort 2 a time zone"),
        ({"host_1": "OTHER"}, "host_1", "Select a valid choice"),
    ],
)
def test_details_that_cannot_be_used_are_refused_and_nothing_is_saved(
    cast, client_for, url, intake, run, changes, field, message
):
    client = client_for(cast.organizer)
    page = client.get(url("publish"))
    changes = {k: (cast.other_cohort_member.pk if v == "OTHER" else v) for k, v in changes.items()}
    response = client.post(url("publish"), form_data(page, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert "Nothing was saved" in response.content.decode()
    assert not new_cohorts(cast).exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN


def test_the_service_refuses_a_host_who_is_neither_member_nor_organizer(cast, intake, run):
    with pytest.raises(publishing.DetailsProblem) as refused:
        publishing.publish(
            intake=intake,
            run=run,
            by=cast.organizer,
            details={1: publishing.CohortDetails(host=cast.other_cohort_member.pk)},
        )
    assert refused.value.problems == {
        1: {
            "host": [
                "The host of cohort 1 is one of its members or an organizer of Northwind Learning."
            ]
        }
    }
    assert not new_cohorts(cast).exists()


# --- cohorts that cannot meet ----------------------------------------------------------------


def test_a_cohort_that_cannot_meet_is_named_in_a_confirmation_step(
    cast, client_for, url, intake, lonely_run
):
    client = client_for(cast.organizer)
    lonely = cohort_number_of(lonely_run, Application.objects.get(user=cast.member))
    page = client.get(url("publish"))
    assert f"1 of {len(lonely_run.assignment)} cohorts cannot meet" in page.content.decode()

    data = form_data(page, **{f"name_{lonely}": "Night owls"})
    response = client.post(url("publish"), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Not every cohort can meet." in content
    assert f"Cohort {lonely} (“Night owls”) cannot meet" in content
    assert "Publish anyway" in content
    assert response.context["form"]["name_1"].value() == data["name_1"]  # kept as typed
    assert not new_cohorts(cast).exists()
    run_worker()
    assert mail.outbox == []

    response = client.post(url("publish"), {**data, "confirm": "1"})
    assert response.status_code == 302
    assert new_cohorts(cast).filter(name="Night owls").exists()
    assert new_cohorts(cast).count() == len(lonely_run.assignment)


def test_the_proposal_says_which_cohorts_cannot_meet(cast, client_for, url, lonely_run):
    lonely = cohort_number_of(lonely_run, Application.objects.get(user=cast.member))
    content = client_for(cast.organizer).get(url("proposal")).content.decode()
    assert f"1 of {len(lonely_run.assignment)} cohorts cannot meet:" in content
    assert f'<a href="#cohort-{lonely}">Cohort {lonely}</a>' in content
    assert content.count("✗ Cannot meet") == 1


# --- once published --------------------------------------------------------------------------


def test_publishing_twice_is_refused(cast, client_for, url, run):
    client = client_for(cast.organizer)
    data = form_data(client.get(url("publish")))
    client.post(url("publish"), data)
    run_worker()
    count, sent = new_cohorts(cast).count(), len(mail.outbox)
    response = client.post(url("publish"), data, follow=True)
    run_worker()
    assert "already published" in response.content.decode()
    assert new_cohorts(cast).count() == count
    assert len(mail.outbox) == sent
    with pytest.raises(proposals.ProposalProblem, match="already published"):
        publishing.publish(intake=run.intake, run=run, by=cast.organizer, confirm=True)


def test_a_failure_half_way_creates_nothing(cast, client_for, url, intake, run, monkeypatch):
    # Every cohort gets the same slug, so the second one breaks the unique constraint after
    # the first cohort and its memberships were written.
    monkeypatch.setattr(publishing, "cohort_slug", lambda intake, number, taken: "clash")
    client = client_for(cast.organizer)
    response = client.post(url("publish"), form_data(client.get(url("publish"))), follow=True)
    assert "Nothing was published" in response.content.decode()
    assert not new_cohorts(cast).exists()
    assert not CohortMembership.objects.filter(cohort__slug="clash").exists()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.OPEN
    run_worker()
    assert mail.outbox == []


def test_published_proposal_can_no_longer_change(cast, client_for, url, run, intake):
    client = client_for(cast.organizer)
    client.post(url("publish"), form_data(client.get(url("publish"))))
    pk = run.assignment[0][0]
    response = client.post(url("move"), {"application": pk, "cohort": 2}, follow=True)
    assert "published" in response.content.decode()
    run.refresh_from_db()
    assert pk in run.assignment[0]
    assert client.post(url("rerun"), {"seconds": 1, "seed": 1}).status_code == 302
    assert intake.runs.count() == 1
    page = client.get(url("proposal"))
    assert b"Name and publish" not in page.content
    assert client.get(url("publish")).status_code == 302


def test_slugs_step_around_existing_cohorts(cast, intake):
    taken = {"spring-1", "spring-1-2"}
    assert publishing.cohort_slug(intake, 1, taken) == "spring-1-3"
    assert publishing.cohort_slug(intake, 2, taken) == "spring-2"


def test_applicants_get_their_cohort_by_real_smtp(cast, client_for, url, run, applied, smtp_inbox):
    client = client_for(cast.organizer)
    client.post(url("publish"), form_data(client.get(url("publish"))))
    run_worker()
    assert len(smtp_inbox.messages) == len(applied)
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    assert recipients == sorted(a.user.email for a in applied)
    body = next(
        b
        for m, b in zip(smtp_inbox.messages, smtp_inbox.bodies(), strict=True)
        if m.rcpt_tos == [cast.member.email]
    )
    mine = CohortMembership.objects.get(user=cast.member, cohort__in=new_cohorts(cast)).cohort
    assert f"You are in {mine.name}." in body
    assert "Mo Member (you)" in body


# --- the suggestions --------------------------------------------------------------------------


def test_suggested_names_step_around_each_other_and_the_networks_cohorts(cast, intake, run):
    cohorts = proposals.proposed_cohorts(run)
    first = publishing.suggestions(intake, cohorts)[1].name
    Cohort.objects.create(network=cast.network, name=first, slug="taken", objective="x")
    again = publishing.suggestions(intake, cohorts)
    names = [s.name.casefold() for s in again.values()]
    assert first.casefold() not in names
    assert len(set(names)) == len(names)


def test_without_shared_goals_the_name_is_the_intakes_and_the_zone_the_most_common(
    cast, intake, run
):
    applications = list(Application.objects.filter(intake=intake).order_by("pk"))
    for n, application in enumerate(applications):
        application.goals = [f"goal {n}"]
        application.time_zone = "Asia/Tokyo" if n % 3 else "America/Lima"
        application.save()
    cohorts = proposals.proposed_cohorts(run)
    suggested = publishing.suggestions(intake, cohorts)
    for cohort in cohorts:
        assert suggested[cohort.number].name == f"Spring Intake · Cohort {cohort.number}"
        assert suggested[cohort.number].goals == ()
        zones = [m.time_zone for m in cohort.members]
        best = max(set(zones), key=lambda z: (zones.count(z), z == "America/Lima"))
        assert suggested[cohort.number].time_zone == best


def test_the_name_comes_from_the_goals_most_members_share():
    from types import SimpleNamespace

    members = [
        SimpleNamespace(goals=["Data storytelling", "coaching"]),
        SimpleNamespace(goals=["data storytelling", "Coaching", "pricing"]),
        SimpleNamespace(goals=["data  storytelling", "pricing"]),
        SimpleNamespace(goals=["negotiation"]),
    ]
    assert publishing._shared_goals(members) == ["Data storytelling", "coaching", "pricing"]
    names = [name for name, _ in publishing._name_candidates(["data storytelling", "coaching"])]
    assert names == ["Data storytelling and coaching", "Data storytelling", "Coaching"]
