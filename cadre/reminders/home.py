"""A member's week on the network home page: their next session and role, commitments
due, blockers they could help with, their experiments and recent reports, and their cohorts'
figures over the last four weeks (cadre.metrics.figures). A fixed number of queries
whatever the size of the network."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, Experiment
from cadre.cohorts.models import Cohort, CohortMembership
from cadre.metrics import figures
from cadre.networks.contributions import NetworkHome, Section
from cadre.networks.models import Network
from cadre.schedule.models import ReportStatus, RoleAssignment, Session, SessionReport

from .sending import HELPER_LEVEL

SHOWN = 5


def my_cohorts_figures(user: Any, network: Network) -> list[tuple[Cohort, figures.CohortFigures]]:
    """The figures of the cohorts `user` is an active member of, over the last four weeks,
    in five queries however many cohorts."""
    cohorts = list(
        Cohort.objects.filter(
            network=network, memberships__user=user, memberships__left_on__isnull=True
        ).order_by("name", "pk")
    )
    found = figures.for_cohorts([c.pk for c in cohorts])
    return [(c, found[c.pk]) for c in cohorts]


def my_week(user: Any, network: Network) -> dict[str, Any]:
    """What `user` has on this week in `network`'s cohorts they are an active member of."""
    mine = (
        CohortMembership.objects.active()
        .filter(user=user, cohort__network=network)
        .values("cohort_id")
    )
    session = (
        Session.objects.held()
        .upcoming()
        .filter(cohort_id__in=mine)
        .select_related("cohort__network", "cohort__schedule")
        .order_by("starts_at")
        .first()
    )
    role = None
    if session is not None:
        role = (
            RoleAssignment.objects.filter(session=session, user=user)
            .values_list("role", flat=True)
            .first()
        )
    commitments = list(
        Commitment.objects.open()
        .filter(owner=user, cohort_id__in=mine, due_on__isnull=False)
        .select_related("cohort__network")
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
        .select_related("update__author", "update__cohort__network")
        .distinct()
        .order_by("created_at", "pk")[:SHOWN]
    )
    experiments = list(
        Experiment.objects.running()
        .filter(owner=user, cohort_id__in=mine)
        .select_related("cohort__network")
        .order_by("ends_on", "pk")[:SHOWN]
    )
    reports = list(
        SessionReport.objects.filter(status=ReportStatus.PUBLISHED, session__cohort_id__in=mine)
        .select_related("session__cohort__network")
        .order_by("-published_at", "-pk")[:SHOWN]
    )
    return {
        "today": timezone.localdate(),
        "next_session": session,
        "next_role": role,
        "next_where": session.where() if session is not None else None,
        "commitments": commitments,
        "blockers": blockers,
        "experiments": experiments,
        "reports": reports,
        "figures": my_cohorts_figures(user, network),
        "window": figures.RECENT,
    }


def add_my_week(home: NetworkHome) -> None:
    """The network home's "My week" section, for a member of one of its cohorts who has
    accepted the code of conduct."""
    if home.my_cards and not home.conduct_pending:
        home.sections.append(
            Section("reminders/_my_week.html", {"my_week": my_week(home.user, home.network)})
        )
