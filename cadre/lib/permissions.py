"""Access rules of the feature apps that have not moved to a `policy.py` of their own yet.

The core (who is in a network and in which role, who may open a cohort, the code of conduct,
the per-request cache) lives in `cadre.networks.policy` and `cadre.cohorts.policy` and is
re-exported here for the callers that still import this module. Each feature app's rules move
to its own `policy.py` (see docs/architecture.md); this module goes when the last one has.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from cadre.cohorts.models import Cohort
    from cadre.formation.models import Intake
    from cadre.networks.models import Network
    from cadre.rotations.models import Ritual

from cadre.cohorts.policy import (  # noqa: F401
    annotate_is_member,
    can_edit_charter,
    can_edit_cohort,
    can_view_cohort,
    cohort_role,
    get_cohort_or_404,
    is_cohort_member,
    visible_cohorts,
)
from cadre.networks.policy import (  # noqa: F401
    can_administer_network,
    can_manage_network,
    can_view_directory,
    can_view_network,
    forget,
    get_network_or_404,
    insider_network_ids,
    is_network_insider,
    is_organizer_anywhere,
    must_accept_conduct,
    network_role,
    visible_networks,
)
from cadre.networks.policy import network_roles as _network_roles
from cadre.networks.policy import remembered as _cache

# --- intakes and cohort formation ---------------------------------------------------------


def can_manage_intakes(user: Any, network: Network) -> bool:
    """Intakes, their applications, formation runs and publishing are the organizers'."""
    return can_manage_network(user, network)


def can_apply(user: Any, intake: Intake) -> bool:
    """Members and mentors of the intake's network apply while the intake is open; partners
    and organizers (who run it) do not."""
    from cadre.networks.models import Role

    role = network_role(user, intake.network)
    return role in (Role.MEMBER, Role.MENTOR) and intake.accepts_applications()


def has_applied(user: Any, intake: Intake) -> bool:
    if not user.is_authenticated:
        return False
    return intake.applications.filter(user=user).exists()


def can_view_intake(user: Any, intake: Intake) -> bool:
    """Organizers see every intake; members and mentors see open ones and those they
    applied to; partners see none."""
    from cadre.formation.models import IntakeStatus
    from cadre.networks.models import Role

    role = network_role(user, intake.network)
    if role is None or role == Role.PARTNER:
        return False
    if can_manage_intakes(user, intake.network):
        return True
    return intake.status == IntakeStatus.OPEN or has_applied(user, intake)


def visible_intakes(user: Any, network: Network) -> QuerySet[Intake]:
    """The intakes of `network` that `user` may open."""
    from cadre.formation.models import Application, Intake, IntakeStatus
    from cadre.networks.models import Role

    role = network_role(user, network)
    if role is None or role == Role.PARTNER:
        return Intake.objects.none()
    intakes = Intake.objects.filter(network=network)
    if can_manage_intakes(user, network):
        return intakes
    applied = Application.objects.filter(intake=OuterRef("pk"), user=user)
    return intakes.filter(Q(status=IntakeStatus.OPEN) | Q(Exists(applied)))


def get_intake_or_404(user: Any, network_slug: str, intake_slug: str) -> Intake:
    """The intake, or 404 for anyone who may not see it."""
    from cadre.formation.models import Intake

    intake = (
        Intake.objects.select_related("network")
        .filter(network__slug=network_slug, slug=intake_slug)
        .first()
    )
    if intake is None or not can_view_intake(user, intake):
        raise Http404("No such intake.")
    return intake


def may_host_formed_cohort(user: Any, network: Network, member_ids: Iterable[int]) -> bool:
    """A cohort formed from an intake is hosted by one of its own members (`member_ids`, user
    ids) or by one of the network's organizers, who then join it as its host."""
    return user.pk in set(member_ids) or can_manage_network(user, network)


def formed_cohort_hosts(network: Network, member_ids: Iterable[int]) -> QuerySet[Any]:
    """The people `may_host_formed_cohort` allows, as users."""
    from django.contrib.auth import get_user_model

    from cadre.networks.models import NetworkMembership

    organizing = NetworkMembership.objects.organizing().filter(network=network, user=OuterRef("pk"))
    return get_user_model().objects.filter(Q(pk__in=list(member_ids)) | Exists(organizing))


# --- sessions, role rotas and mentors ------------------------------------------------------


def can_edit_schedule(user: Any, cohort: Cohort) -> bool:
    """The schedule (weekday, time, the roles that rotate, one-off and cancelled sessions)
    is for the cohort's hosts and the network's organizers; members view it."""
    return can_edit_charter(user, cohort)


def can_mark_absence(user: Any, cohort: Cohort) -> bool:
    """Active members mark their own absences for the cohort's upcoming sessions."""
    return is_cohort_member(user, cohort)


def can_manage_mentoring(user: Any, network: Network) -> bool:
    """Proposing and confirming mentor matches is the organizers' work."""
    return can_manage_network(user, network)


def can_view_own_mentoring(user: Any, network: Network) -> bool:
    """Members see their mentor, mentors their mentees; partners have no mentoring here."""
    from cadre.networks.models import Role

    return network_role(user, network) not in (None, Role.PARTNER)


def can_edit_mentor_settings(user: Any, network: Network, mentor: Any) -> bool:
    """A mentor's capacity and whether they accept newcomers: the mentor and the organizers."""
    from cadre.networks.models import Role

    if can_manage_mentoring(user, network):
        return True
    return user.pk == mentor.pk and network_role(user, network) == Role.MENTOR


# --- peer rotations: coaching and virtual coffee ------------------------------------------


def can_plan_coaching(user: Any, cohort: Cohort) -> bool:
    """A cohort's coaching rotation is planned by its hosts and the network's organizers."""
    return can_edit_charter(user, cohort)


def can_view_rituals(user: Any, network: Network) -> bool:
    """Virtual coffee is for the network's own people: members, mentors and organizers, as
    the directory; partners do not see it."""
    return can_view_directory(user, network)


def can_manage_rituals(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def visible_rituals(user: Any, network: Network) -> QuerySet[Ritual]:
    """Active rituals for the network's people; inactive ones too for organizers."""
    from cadre.rotations.models import Ritual

    if not can_view_rituals(user, network):
        return Ritual.objects.none()
    rituals = Ritual.objects.filter(network=network)
    return rituals if can_manage_rituals(user, network) else rituals.filter(active=True)


def get_rituals_network_or_404(user: Any, slug: str) -> Network:
    network = get_network_or_404(user, slug)
    if not can_view_rituals(user, network):
        raise Http404("No such page.")
    return network


def get_ritual_or_404(user: Any, network_slug: str, ritual_id: int) -> Ritual:
    network = get_rituals_network_or_404(user, network_slug)
    ritual = visible_rituals(user, network).select_related("network").filter(pk=ritual_id).first()
    if ritual is None:
        raise Http404("No such ritual.")
    return ritual


def can_join_ritual(user: Any, ritual: Ritual) -> bool:
    return ritual.active and can_view_rituals(user, ritual.network)


# --- accountability: commitments, progress updates, blockers, experiments ------------------


def can_view_board(user: Any, cohort: Cohort) -> bool:
    """A cohort's board (commitments, updates, blockers, experiments) is for its active
    members and the network's organizers, even when the cohort is shared with the network."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def can_take_part(user: Any, cohort: Cohort) -> bool:
    """Making commitments, posting updates, offering help and giving kudos is for the cohort's
    active members."""
    return is_cohort_member(user, cohort)


def can_view_private_item(user: Any, item: Any) -> bool:
    """A commitment or experiment: cohort ones for whoever sees the board, private ones for
    their owner alone (organizers included out)."""
    if item.visibility == "private":
        return bool(user.is_authenticated and item.owner_id == user.pk)
    return can_view_board(user, item.cohort)


def can_set_commitment_status(user: Any, commitment: Any, status: str) -> bool:
    """The owner closes or reopens their commitment; hosts and organizers may also mark a
    cohort commitment missed."""
    if commitment.owner_id == user.pk and can_take_part(user, commitment.cohort):
        return True
    return status == "missed" and can_edit_charter(user, commitment.cohort)


def get_board_cohort_or_404(user: Any, network_slug: str, cohort_slug: str) -> Cohort:
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_board(user, cohort):
        raise Http404("No such page.")
    return cohort


# --- running sessions: agenda, attendance, notes, reports ---------------------------------


def _holds_session_role(user: Any, session: Any, role: str) -> bool:
    if not user.is_authenticated:
        return False
    return any(a.user_id == user.pk and a.role == role for a in session.roles.all())


def can_view_session(user: Any, cohort: Cohort) -> bool:
    """A session's page (agenda, roles, attendance, notes) is for the cohort's active
    members and the network's organizers."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def can_run_session(user: Any, session: Any) -> bool:
    """Editing the agenda and running the session (attendance, live notes): the session's
    facilitator, the cohort's hosts and the network's organizers."""
    if can_edit_charter(user, session.cohort):
        return True
    return is_cohort_member(user, session.cohort) and _holds_session_role(
        user, session, "facilitator"
    )


def can_edit_report(user: Any, session: Any) -> bool:
    """Drafting, editing and publishing the report: the session's note-taker, the cohort's
    hosts and the network's organizers."""
    if can_edit_charter(user, session.cohort):
        return True
    return is_cohort_member(user, session.cohort) and _holds_session_role(
        user, session, "note-taker"
    )


def can_view_report(user: Any, report: Any) -> bool:
    """A published report is read by the cohort, and by the network's members and mentors
    when it is shared with the network; a draft only by those who may edit it."""
    from cadre.networks.models import Role

    session = report.session
    if not report.is_published:
        return can_edit_report(user, session)
    if can_view_session(user, session.cohort):
        return True
    role = network_role(user, session.cohort.network)
    return report.share_with_network and role not in (None, Role.PARTNER)


def visible_session_reports(user: Any, cohort: Cohort) -> QuerySet[Any]:
    """The reports of `cohort`'s sessions that `user` may read (the list twin of
    can_view_report): published ones as above, drafts for those who may edit them."""
    from cadre.networks.models import Role
    from cadre.schedule.models import ReportStatus, RoleAssignment, SessionReport

    reports = SessionReport.objects.filter(session__cohort=cohort)
    published = Q(status=ReportStatus.PUBLISHED)
    if can_view_session(user, cohort):
        readable = published
    elif network_role(user, cohort.network) not in (None, Role.PARTNER):
        readable = published & Q(share_with_network=True)
    else:
        readable = Q(pk__in=[])
    if can_edit_charter(user, cohort):
        readable |= ~published
    elif is_cohort_member(user, cohort):
        takes_notes = RoleAssignment.objects.filter(
            session=OuterRef("session"), user=user, role="note-taker"
        )
        readable |= ~published & Q(Exists(takes_notes))
    return reports.filter(readable)


# --- impact report ------------------------------------------------------------------------


def can_view_impact_report(user: Any, cohort: Cohort) -> bool:
    """A cohort's impact report (counts and averages, cohort-visible items only) is for
    whoever sees its board; when the cohort is shared with the network, also for the
    network's members and mentors, whom it is written to inform. Never partners outside it."""
    if can_view_board(user, cohort):
        return True
    return cohort.shared_with_network and can_view_cohort(user, cohort)


def get_impact_cohort_or_404(user: Any, network_slug: str, cohort_slug: str) -> Cohort:
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_impact_report(user, cohort):
        raise Http404("No such page.")
    return cohort


# --- exports --------------------------------------------------------------------------------


def can_export_cohort(user: Any, cohort: Cohort) -> bool:
    """A cohort's data is for its hosts and the network's organizers to download; each gets
    exactly the rows the pages let them open (cadre.transfer.cohort.READABLE)."""
    return can_edit_charter(user, cohort)


# --- peer coaching and feedback: cadre.coaching.policy -----------------------------------

from cadre.coaching.policy import (  # noqa: E402, F401
    visible_coaching_sessions,
    visible_feedback,
)

# --- skill diagnostics ----------------------------------------------------------------------


def can_view_diagnostics(user: Any, cohort: Cohort) -> bool:
    """A cohort's targets, rounds and gap map are for its active members (who see each
    other's levels) and the network's organizers; sharing the cohort with the network does
    not share them, and mentors or partners see them only as members of the cohort."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def can_manage_diagnostics(user: Any, cohort: Cohort) -> bool:
    """Target skills and assessment rounds: the cohort's hosts and the network's organizers."""
    return can_edit_charter(user, cohort)


def can_assess(user: Any, cohort: Cohort) -> bool:
    """Self- and peer assessments are for the cohort's learners: active members and hosts
    (not the cohort's mentors or observers, nor organizers outside it)."""
    from cadre.cohorts.models import CohortRole

    return cohort_role(user, cohort) in (CohortRole.MEMBER, CohortRole.HOST)


def can_view_growth_of(user: Any, cohort: Cohort, subject_id: int) -> bool:
    """A member's growth (their levels per round and their peer means): the member, the
    cohort's hosts and the network's organizers."""
    if not can_view_diagnostics(user, cohort):
        return False
    return user.pk == subject_id or can_manage_diagnostics(user, cohort)


def can_view_all_skill_suggestions(user: Any, cohort: Cohort) -> bool:
    """Hosts and organizers see every skill-share and mentor suggestion; a member sees those
    they are part of."""
    return can_manage_diagnostics(user, cohort)


def get_diagnostics_cohort_or_404(user: Any, network_slug: str, cohort_slug: str) -> Cohort:
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_diagnostics(user, cohort):
        raise Http404("No such page.")
    return cohort


# --- learning journal: cadre.journal.policy ------------------------------------------------

from cadre.journal.policy import (  # noqa: E402, F401
    can_view_journal_entry,
    visible_journal_entries,
)

# --- shared repository and partner groups ---------------------------------------------------


def visible_repository_items(user: Any, network: Network | None = None) -> QuerySet[Any]:
    """Repository items `user` may read, of one network or of all: public items for anyone;
    network and partner items for the members, mentors and organizers of their network;
    partner items for the people of the partner groups they name. Partners of a network see
    only what is shared with their groups (and public items)."""
    from cadre.networks.models import Role
    from cadre.repository.models import RepositoryItem

    items = RepositoryItem.objects.all()
    if network is not None:
        items = items.filter(network=network)
    q = Q(visibility="public")
    if user.is_authenticated:
        insiders = [nid for nid, role in _network_roles(user).items() if role != Role.PARTNER]
        if insiders:
            q |= Q(network__in=insiders)
        # An EXISTS on the through table instead of a join to every group member: one row
        # per item, so no DISTINCT over the whole table.
        through = RepositoryItem.partner_groups.through
        in_my_group = through.objects.filter(
            repositoryitem_id=OuterRef("pk"), partnergroup__members=user
        )
        q |= Q(visibility="partners") & Q(Exists(in_my_group))
    return items.filter(q)


def can_view_repository_item(user: Any, item: Any) -> bool:
    return visible_repository_items(user, None).filter(pk=item.pk).exists()


def can_view_library(user: Any, network: Network) -> bool:
    """The library page of a network: its insiders and its partners (who see only the items
    shared with them)."""
    return can_view_network(user, network)


def can_add_repository_item(user: Any, network: Network) -> bool:
    """Insiders write items; partners read what is shared with them."""
    return is_network_insider(user, network)


def can_edit_repository_item(user: Any, item: Any) -> bool:
    """The author (while still inside the network) and the network's organizers."""
    if can_manage_network(user, item.network):
        return True
    return bool(
        user.is_authenticated
        and item.author_id == user.pk
        and is_network_insider(user, item.network)
    )


def can_see_reusers(user: Any, network: Network) -> bool:
    """Who used an item, and in which cohort, names people: only for those who may see the
    network's directory (never partners, outsiders or anonymous readers of public items)."""
    return can_view_directory(user, network)


def can_see_item_author(user: Any, network: Network) -> bool:
    """Who wrote a library item is shown to the network's own people, like who used it:
    never to partners, outsiders or anonymous readers of public items, who read the item
    with its origin (network and cohort) only."""
    return is_network_insider(user, network)


def visible_reuses(user: Any) -> QuerySet[Any]:
    """The reuses `user` may read (the list twin of can_see_reusers, on an item they may
    read): every reuse of an item of a network whose directory they see, and their own."""
    from cadre.repository.models import Reuse

    if not user.is_authenticated:
        return Reuse.objects.none()
    directories = insider_network_ids(user)
    return Reuse.objects.filter(
        Q(item__in=visible_repository_items(user, None))
        & (Q(item__network__in=directories) | Q(user=user))
    )


def can_manage_partner_groups(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_promote_experiment(user: Any, experiment: Any) -> bool:
    """A concluded experiment (any outcome but running) becomes a case study by its owner, or
    by the cohort's hosts and the network's organizers when it is a cohort experiment. A
    private experiment is its owner's alone to promote."""
    if not user.is_authenticated or experiment.outcome == "running":
        return False
    if experiment.visibility == "private":
        return experiment.owner_id == user.pk and is_cohort_member(user, experiment.cohort)
    if experiment.owner_id == user.pk and is_cohort_member(user, experiment.cohort):
        return True
    return can_edit_charter(user, experiment.cohort)


def can_promote_report(user: Any, report: Any) -> bool:
    """A published session report becomes a case study by those who may edit it."""
    return bool(report.is_published and can_edit_report(user, report.session))


def get_repository_item_or_404(user: Any, network_slug: str, pk: int) -> Any:
    """The item of that network, or 404 for anyone who may not read it."""
    item = (
        visible_repository_items(user, None)
        .select_related("network", "author", "origin_cohort")
        .filter(network__slug=network_slug, pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such item.")
    return item


# --- cohort health ------------------------------------------------------------------------


def is_next_facilitator(user: Any, cohort: Cohort) -> bool:
    """Whether `user`, an active member, facilitates the cohort's next held session."""
    if not is_cohort_member(user, cohort):
        return False
    cache = _cache(user)
    key = f"next_facilitator:{cohort.pk}"
    if key not in cache:
        from django.utils import timezone

        from cadre.schedule.models import RoleAssignment, Session

        upcoming = (
            Session.objects.held()
            .filter(cohort=cohort, starts_at__gt=timezone.now())
            .order_by("starts_at")
            .values("pk")[:1]
        )
        cache[key] = RoleAssignment.objects.filter(
            session__in=upcoming, role="facilitator", user=user
        ).exists()
    return bool(cache[key])


def can_view_cohort_health(user: Any, cohort: Cohort) -> bool:
    """The drift signals of a cohort, names included: its hosts, the facilitator of its next
    session and the network's organizers."""
    from cadre.cohorts.models import CohortRole

    if can_manage_network(user, cohort.network) or cohort_role(user, cohort) == CohortRole.HOST:
        return True
    return is_next_facilitator(user, cohort)


def can_view_health_summary(user: Any, cohort: Cohort) -> bool:
    """The cohort's members see its health without names: numbers and signal summaries,
    never who missed what."""
    return is_cohort_member(user, cohort) or can_view_cohort_health(user, cohort)


def can_refresh_cohort_health(user: Any, cohort: Cohort) -> bool:
    from cadre.cohorts.models import CohortRole

    return can_manage_network(user, cohort.network) or cohort_role(user, cohort) == CohortRole.HOST


def can_view_network_health(user: Any, network: Network) -> bool:
    """Every cohort's health side by side, and the health settings: admins and organizers."""
    return can_manage_network(user, network)


def can_edit_health_settings(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def get_health_cohort_or_404(user: Any, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort, or 404 for anyone who may not see even its member-safe health summary."""
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_health_summary(user, cohort):
        raise Http404("No such page.")
    return cohort


# --- metrics --------------------------------------------------------------------------------


def _metric_grants(user: Any) -> list[tuple[int | None, int | None, int | None]]:
    """(metric id, that metric's cohort id, cohort id) for each data-reporter grant of
    `user`; one query per request."""
    if not user.is_authenticated:
        return []
    cache = _cache(user)
    if "metric_grants" not in cache:
        from cadre.metrics.models import MetricReporter

        cache["metric_grants"] = list(
            MetricReporter.objects.filter(user=user).values_list(
                "metric_id", "metric__cohort_id", "cohort_id"
            )
        )
    return list(cache["metric_grants"])


def is_metric_reporter(user: Any, metric: Any) -> bool:
    """A named data reporter for this metric (or for its cohort) who is still in the
    network. The grant lets them read and record this metric, nothing more."""
    if _network_roles(user).get(metric.network_id) is None:
        return False
    return any(
        m == metric.pk or (c is not None and c == metric.cohort_id)
        for m, _, c in _metric_grants(user)
    )


def is_cohort_reporter(user: Any, cohort: Cohort) -> bool:
    """A data reporter for the cohort or for at least one of its metrics."""
    if network_role(user, cohort.network) is None:
        return False
    return any(c == cohort.pk or mc == cohort.pk for _, mc, c in _metric_grants(user))


def can_view_cohort_metrics(user: Any, cohort: Cohort) -> bool:
    """Whoever sees the cohort's board, and its named data reporters (for their metrics)."""
    return can_view_board(user, cohort) or is_cohort_reporter(user, cohort)


def can_view_builtin_metrics(user: Any, cohort: Cohort) -> bool:
    """What Cadre computes from the board and the sessions (attendance, follow-through,
    composition) is board content: not for data reporters who are not members."""
    return can_view_board(user, cohort)


def can_define_cohort_metrics(user: Any, cohort: Cohort) -> bool:
    """Defining metrics and naming data reporters: the cohort's hosts and the organizers."""
    return can_edit_charter(user, cohort)


def can_view_network_metrics(user: Any, network: Network) -> bool:
    """Network-level metrics are read by the network's members, mentors and organizers."""
    return can_view_directory(user, network)


def can_define_network_metrics(user: Any, network: Network) -> bool:
    return can_manage_network(user, network)


def can_define_metric(user: Any, metric: Any) -> bool:
    if metric.cohort_id is not None:
        return can_define_cohort_metrics(user, metric.cohort)
    return can_define_network_metrics(user, metric.network)


def can_view_metric(user: Any, metric: Any) -> bool:
    if is_metric_reporter(user, metric):
        return True
    if metric.cohort_id is not None:
        return can_view_board(user, metric.cohort)
    return can_view_network_metrics(user, metric.network)


def can_record_observation(user: Any, metric: Any) -> bool:
    """A cohort metric: its active members, its data reporters and the organizers. A network
    metric: the organizers and its data reporters (members only read it)."""
    if is_metric_reporter(user, metric):
        return True
    if metric.cohort_id is not None and is_cohort_member(user, metric.cohort):
        return True
    return can_manage_network(user, metric.network)


def can_edit_observation(user: Any, observation: Any) -> bool:
    """Whoever recorded it (while they still may record), and those who define the metric."""
    metric = observation.metric
    if can_define_metric(user, metric):
        return True
    return (
        user.is_authenticated
        and observation.recorded_by_id == user.pk
        and can_record_observation(user, metric)
    )


def _granted_metrics_q(user: Any) -> Q:
    grants = _metric_grants(user)
    metric_ids = [m for m, _, _ in grants if m is not None]
    cohort_ids = [c for _, _, c in grants if c is not None]
    return Q(pk__in=metric_ids) | Q(cohort_id__in=cohort_ids)


def visible_cohort_metrics(user: Any, cohort: Cohort) -> QuerySet[Any]:
    """The cohort's metrics `user` may read: all for the board's viewers, the granted ones
    for a data reporter."""
    from cadre.metrics.models import Metric

    metrics = Metric.objects.filter(cohort=cohort)
    if can_view_board(user, cohort):
        return metrics
    if not is_cohort_reporter(user, cohort):
        return Metric.objects.none()
    return metrics.filter(_granted_metrics_q(user))


def visible_network_metrics(user: Any, network: Network) -> QuerySet[Any]:
    """The network-level metrics `user` may read."""
    from cadre.metrics.models import Metric

    metrics = Metric.objects.of_network(network)
    if can_view_network_metrics(user, network):
        return metrics
    if network_role(user, network) is None:
        return Metric.objects.none()
    return metrics.filter(_granted_metrics_q(user))


def get_metrics_cohort_or_404(user: Any, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort for its metrics pages: the board's viewers and its data reporters (who need
    not see the cohort otherwise); 404 for everyone else."""
    from cadre.cohorts.models import Cohort

    cohort = (
        Cohort.objects.select_related("network")
        .filter(network__slug=network_slug, slug=cohort_slug)
        .first()
    )
    if cohort is None or not can_view_cohort_metrics(user, cohort):
        raise Http404("No such page.")
    return cohort


def get_metrics_network_or_404(user: Any, slug: str) -> Network:
    """The network for its metrics pages: members, mentors and organizers, and the data
    reporters of a network metric; 404 for partners and outsiders."""
    network = get_network_or_404(user, slug)
    if can_view_network_metrics(user, network):
        return network
    if not visible_network_metrics(user, network).exists():
        raise Http404("No such page.")
    return network
