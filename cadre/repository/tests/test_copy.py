"""Templates copied into a cohort in one step: an agenda onto a session, a charter as the next
version, an experiment plan as a new experiment; each copy counts as a reuse."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import Experiment
from cadre.repository.models import Reuse

from .conftest import item
from .helpers import upcoming_session

BLOCKS = [
    {"kind": "check_in", "title": "Round of wins", "minutes": 15},
    {"kind": "demo", "title": "Experiment demos", "minutes": 45},
    {"kind": "reflection", "title": "What I will try", "minutes": 30},
]


def copy_url(template):
    return reverse("repository:copy", args=["northwind", template.pk])


def agenda_template(cast):
    return item(
        cast.network,
        cast.host,
        "Demo-day agenda",
        kind="template",
        template_kind="agenda",
        data={"blocks": BLOCKS},
        visibility="public",
    )


def test_the_host_copies_an_agenda_onto_an_upcoming_session_fitted_to_its_length(
    cast, lib, client_for
):
    template = agenda_template(cast)
    session = upcoming_session(cast.cohort, minutes=60)
    client = client_for(cast.host)
    page = client.get(copy_url(template)).content.decode()
    assert "Platform Reliability" in page
    response = client.post(copy_url(template), {"session": session.pk})
    assert response.status_code == 302
    blocks = list(session.agenda.order_by("order"))
    assert [(b.kind, b.title) for b in blocks] == [(b["kind"], b["title"]) for b in BLOCKS]
    assert [b.minutes for b in blocks] == [10, 30, 20]
    template.refresh_from_db()
    assert template.reuse_count == 1
    assert Reuse.objects.get(item=template).cohort == cast.cohort


def test_the_sessions_facilitator_copies_an_agenda_but_a_plain_member_may_not(
    cast, lib, client_for
):
    template = agenda_template(cast)
    session = upcoming_session(cast.cohort, facilitator=lib.peer)
    response = client_for(cast.member).post(copy_url(template), {"session": session.pk})
    assert response.status_code == 422
    assert not session.agenda.exists()
    response = client_for(lib.peer).post(copy_url(template), {"session": session.pk})
    assert response.status_code == 302
    assert session.agenda.count() == 3


def test_an_agenda_is_not_copied_onto_another_networks_or_a_past_session(cast, lib, client_for):
    template = agenda_template(cast)
    past = upcoming_session(cast.cohort)
    past.starts_at = timezone.now() - timedelta(days=1)
    past.save()
    response = client_for(cast.host).post(copy_url(template), {"session": past.pk})
    assert response.status_code == 422
    assert not past.agenda.exists()
    assert template.reuses.count() == 0


def test_the_host_copies_a_charter_template_as_the_next_version(cast, lib, client_for):
    template = item(
        cast.network,
        cast.organizer,
        "Reliability charter",
        kind="template",
        template_kind="charter",
        data={
            "mission": "Recover fast, learn faster.",
            "weekly_hours": 3,
            "norms": "Blameless always.",
        },
    )
    client = client_for(cast.host)
    page = client.get(copy_url(template), {"cohort": cast.cohort.pk}).content.decode()
    assert "Recover fast, learn faster." in page
    review = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = client.post(
        copy_url(template),
        {
            "cohort": cast.cohort.pk,
            "based_on": 1,
            "mission": "Recover fast, learn faster.",
            "weekly_hours": "3",
            "learning_formats": ["case"],
            "project_kinds": "Real work",
            "norms": "Blameless always.",
            "next_review_on": review,
            "change_note": "From template",
        },
    )
    assert response.status_code == 302
    charter = cast.cohort.current_charter()
    assert charter.version == 2 and charter.mission == "Recover fast, learn faster."
    assert charter.created_by == cast.host
    assert template.reuses.get().cohort == cast.cohort


def test_a_charter_copy_follows_the_charter_rules_and_saves_nothing_when_wrong(
    cast, lib, client_for
):
    template = item(
        cast.network,
        cast.organizer,
        "Charter",
        kind="template",
        template_kind="charter",
        data={"mission": "M"},
    )
    response = client_for(cast.host).post(
        copy_url(template),
        {
            "cohort": cast.cohort.pk,
            "based_on": 1,
            "mission": "M",
            "weekly_hours": "99",
            "next_review_on": "2001-01-01",
            "change_note": "x",
        },
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "Ask for at most 40 hours a week." in body and "Pick a review date after today." in body
    assert cast.cohort.current_charter().version == 1
    assert not template.reuses.exists()


def test_members_may_not_copy_a_charter_into_their_cohort(cast, lib, client_for):
    template = item(
        cast.network,
        cast.organizer,
        "Charter",
        kind="template",
        template_kind="charter",
        data={"mission": "M"},
    )
    response = client_for(cast.member).get(copy_url(template), {"cohort": cast.cohort.pk})
    assert response.status_code == 404
    page = client_for(cast.member).get(copy_url(template)).content.decode()
    assert "There is no cohort whose charter you may change" in page


def test_a_member_starts_an_experiment_from_a_plan(cast, lib, client_for):
    template = item(
        cast.network,
        cast.host,
        "Game day plan",
        kind="template",
        template_kind="experiment_plan",
        visibility="partners",
        groups=[lib.group_a],
        data={
            "title": "Game day",
            "capability": "Incident response",
            "hypothesis": "Drills help.",
            "plan": "Run one.",
            "measure": "Minutes to recover",
        },
    )
    client = client_for(cast.member)
    page = client.get(copy_url(template), {"cohort": cast.cohort.pk}).content.decode()
    assert "Drills help." in page
    today = timezone.localdate()
    bad = {
        "cohort": cast.cohort.pk,
        "title": "Game day",
        "capability": "Incident response",
        "hypothesis": "Drills help.",
        "plan": "Run one.",
        "measure": "Minutes",
        "starts_on": today.isoformat(),
        "ends_on": (today - timedelta(days=1)).isoformat(),
        "outcome": "running",
        "visibility": "cohort",
    }
    response = client.post(copy_url(template), bad)
    assert response.status_code == 422
    assert not Experiment.objects.exists() and not template.reuses.exists()
    good = {**bad, "ends_on": (today + timedelta(days=14)).isoformat()}
    response = client.post(copy_url(template), good)
    assert response.status_code == 302
    made = Experiment.objects.get()
    assert made.owner == cast.member and made.cohort == cast.cohort
    template.refresh_from_db()
    assert template.reuse_count == 1


def test_organizers_do_not_run_experiments_and_other_members_cannot_pick_a_foreign_cohort(
    cast, lib, client_for
):
    template = item(
        cast.network,
        cast.host,
        "Plan",
        kind="template",
        template_kind="experiment_plan",
        data={"hypothesis": "h", "plan": "p"},
    )
    assert (
        client_for(cast.organizer).get(copy_url(template), {"cohort": cast.cohort.pk}).status_code
        == 404
    )
    assert (
        client_for(cast.other_cohort_member)
        .get(copy_url(template), {"cohort": cast.cohort.pk})
        .status_code
        == 404
    )


def test_only_readers_copy_and_only_templates_are_copied(cast, lib, client_for):
    template = item(
        cast.network,
        cast.host,
        "Plan",
        kind="template",
        template_kind="experiment_plan",
        data={"hypothesis": "h", "plan": "p"},
    )
    assert client_for(cast.partner).get(copy_url(template)).status_code == 404
    assert client_for(cast.outsider).get(copy_url(template)).status_code == 404
    assert client_for(None).get(copy_url(template)).status_code == 302
    assert client_for(cast.member).get(copy_url(lib.network_item)).status_code == 404
