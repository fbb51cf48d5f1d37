"""A member's week on the network home page: their next session and role, commitments
due, blockers they could help with, their experiments and recent reports, and their cohorts'
figures over the last four weeks (cadre.metrics.figures). A fixed number of queries
whatever the size of the network."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, Experiment
from cadre.cohorts.policy import member_of
from cadre.metrics import figures
from cadre.networks.contributions import NetworkHome, Section
from cadre.networks.models import Network
from cadre.schedule.models import ReportStatus, RoleAssignment, Session, SessionReport

from .sending import HELPER_LEVEL

SHOWN = 5


def my_week(user: Any, network: Network) -> dict[str, Any]:
    """What `user` has on this week in `network`'s cohorts they are an active member of."""
    # Read through the network's manager, so each cohort's `network` is `network` (links to
    # them cost no query). The rows below are of these cohorts: each is given its cohort from
    # here rather than joined again (the ids as a list, rather than a subquery in every query).
    cohorts = list(network.cohorts.filter(member_of(user)).order_by("name", "pk"))
    by_id = {c.pk: c for c in cohorts}
    mine = list(by_id)
    session = (
        Session.objects.held()
        .upcoming()
        .filter(cohort_id__in=mine)
        .select_related("cohort__schedule")
        .order_by("starts_at")
        .first()
    )
    role = None
    if session is not None:
        session.cohort.network = network
        # One role per person in a session: no ordering (the model's joins the sessions).
        role = (
            RoleAssignment.objects.filter(session=session, user=user)
            .order_by()
            .values_list("role", flat=True)
            .first()
        )
    commitments = list(
        Commitment.objects.open()
        .filter(owner=user, cohort_id__in=mine, due_on__isnull=False)
        .order_by("due_on", "pk")[:SHOWN]
    )
    blockers = list(
        Blocker.objects.unresolved()
        .visible_to(user)
        .filter(
            update__cohort_id__in=mine,
            skills__ratings__profile__user=user,
            skills__ratings__level__gte=HELPER_LEVEL,
        )
        .exclude(update__author=user)
        .select_related("update__author")
        .distinct()
        .order_by("created_at", "pk")[:SHOWN]
    )
    experiments = list(
        Experiment.objects.running()
        .filter(owner=user, cohort_id__in=mine)
        .order_by("ends_on", "pk")[:SHOWN]
    )
    reports = list(
        SessionReport.objects.filter(status=ReportStatus.PUBLISHED, session__cohort_id__in=mine)
        .select_related("session")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
    for commitment in commitments:
        commitment.cohort = by_id[commitment.cohort_id]
    for experiment in experiments:
        experiment.cohort = by_id[experiment.cohort_id]
    for blocker in blockers:
        blocker.update.cohort = by_id[blocker.update.cohort_id]
    for report in reports:
        report.session.cohort = by_id[report.session.cohort_id]
    found = figures.for_cohorts(mine)
    return {
        "today": timezone.localdate(),
        "next_session": session,
        "next_role": role,
        "next_where": session.where() if session is not None else None,
        "commitments": commitments,
        "blockers": blockers,
        "experiments": experiments,
        "reports": reports,
        # Each of the person's cohorts over the last four weeks (five queries for any number).
        "figures": [(c, found[c.pk]) for c in cohorts],
        "window": figures.RECENT,
    }


def add_my_week(home: NetworkHome) -> None:
    """The network home's "My week" section, for a member of one of its cohorts who has
    accepted the code of conduct."""
    if home.my_cards and not home.conduct_pending:
        home.sections.append(
            Section("reminders/_my_week.html", {"my_week": my_week(home.user, home.network)})
        )
