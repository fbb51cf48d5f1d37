"""Who may see and change what. Every view and API endpoint asks this module; nothing else
decides access.

The network is the boundary: only its members see anything of it. Inside a network, a
cohort's content is for the cohort's active members and the network's organizers (admins and
organizers), unless the cohort is shared with the network, which lets every network member
read its charter and roster. Changing a charter is for the cohort's hosts and the network's
organizers. People who have not accepted the network's current code of conduct are sent to
accept it before they see cohort content.

Lookups are cached on the user object for the length of a request, so a page that asks many
questions about the same network costs one query.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from cadre.cohorts.models import Cohort
    from cadre.formation.models import Intake
    from cadre.networks.models import Network
    from cadre.rotations.models import Ritual

_CACHE_ATTR = "_cadre_permission_cache"


def _cache(user: Any) -> dict[str, Any]:
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    return cache


def forget(user: Any) -> None:
    """Drop what was cached about `user` (after their memberships change)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _network_roles(user: Any) -> dict[int, str]:
    """network id -> role, for every network the user belongs to."""
    if not user.is_authenticated:
        return {}
    cache = _cache(user)
    if "network_roles" not in cache:
        from cadre.networks.models import NetworkMembership

        cache["network_roles"] = dict(
            NetworkMembership.objects.filter(user=user).values_list("network_id", "role")
        )
    return cache["network_roles"]


def _active_cohort_roles(user: Any) -> dict[int, str]:
    """cohort id -> cohort role, for the cohorts the user is an active member of."""
    if not user.is_authenticated:
        return {}
    cache = _cache(user)
    if "cohort_roles" not in cache:
        from cadre.cohorts.models import CohortMembership

        cache["cohort_roles"] = dict(
            CohortMembership.objects.active().filter(user=user).values_list("cohort_id", "role")
        )
    return cache["cohort_roles"]


# --- networks -----------------------------------------------------------------------------


def network_role(user: Any, network: Network) -> str | None:
    return _network_roles(user).get(network.pk)


def can_view_network(user: Any, network: Network) -> bool:
    return network_role(user, network) is not None


def can_manage_network(user: Any, network: Network) -> bool:
    """Admins and organizers run the network: invitations, cohorts, the code of conduct."""
    from cadre.networks.models import ORGANIZING_ROLES

    return network_role(user, network) in ORGANIZING_ROLES


def can_administer_network(user: Any, network: Network) -> bool:
    from cadre.networks.models import Role

    return network_role(user, network) == Role.ADMIN


def is_organizer_anywhere(user: Any) -> bool:
    from cadre.networks.models import ORGANIZING_ROLES

    return any(role in ORGANIZING_ROLES for role in _network_roles(user).values())


def visible_networks(user: Any) -> QuerySet[Network]:
    from cadre.networks.models import Network

    if not user.is_authenticated:
        return Network.objects.none()
    return Network.objects.filter(memberships__user=user)


def can_view_directory(user: Any, network: Network) -> bool:
    """Members, organizers and mentors see the network's people; partners see only what is
    shared with them (later), not the directory."""
    from cadre.networks.models import Role

    role = network_role(user, network)
    return role is not None and role != Role.PARTNER


def can_view_profile_in(user: Any, network: Network) -> bool:
    return can_view_directory(user, network)


# --- cohorts ------------------------------------------------------------------------------


def cohort_role(user: Any, cohort: Cohort) -> str | None:
    return _active_cohort_roles(user).get(cohort.pk)


def is_cohort_member(user: Any, cohort: Cohort) -> bool:
    return cohort_role(user, cohort) is not None


def can_view_cohort(user: Any, cohort: Cohort) -> bool:
    from cadre.networks.models import Role

    role = network_role(user, cohort.network)
    if role is None:
        return False
    if is_cohort_member(user, cohort) or can_manage_network(user, cohort.network):
        return True
    return cohort.shared_with_network and role != Role.PARTNER


def can_edit_cohort(user: Any, cohort: Cohort) -> bool:
    """Cohort settings (objective, status, cadence, sharing) are the organizers' to change."""
    return can_manage_network(user, cohort.network)


def can_edit_charter(user: Any, cohort: Cohort) -> bool:
    from cadre.cohorts.models import CohortRole

    return cohort_role(user, cohort) == CohortRole.HOST or can_manage_network(user, cohort.network)


def visible_cohorts(user: Any, network: Network) -> QuerySet[Cohort]:
    """The cohorts of `network` that `user` may open."""
    from cadre.cohorts.models import Cohort
    from cadre.networks.models import Role

    role = network_role(user, network)
    if role is None:
        return Cohort.objects.none()
    cohorts = Cohort.objects.filter(network=network)
    if can_manage_network(user, network):
        return cohorts
    mine = Q(pk__in=list(_active_cohort_roles(user)))
    if role == Role.PARTNER:
        return cohorts.filter(mine)
    return cohorts.filter(mine | Q(shared_with_network=True))


def annotate_is_member(cohorts: QuerySet[Cohort], user: Any) -> QuerySet[Cohort]:
    from cadre.cohorts.models import CohortMembership

    return cohorts.annotate(
        is_member=Exists(CohortMembership.objects.active().filter(cohort=OuterRef("pk"), user=user))
    )


# --- code of conduct ----------------------------------------------------------------------


def must_accept_conduct(user: Any, network: Network) -> bool:
    """True when the network has a code of conduct whose current version `user` has not
    accepted yet."""
    if not user.is_authenticated:
        return False
    cache = _cache(user)
    key = f"conduct:{network.pk}"
    if key not in cache:
        code = network.current_code_of_conduct()
        cache[key] = code is not None and not code.acceptances.filter(user=user).exists()
    return bool(cache[key])


# --- lookups for views --------------------------------------------------------------------


def get_network_or_404(user: Any, slug: str) -> Network:
    """The network, or 404 for anyone who is not in it (an outsider cannot tell whether the
    network exists)."""
    from cadre.networks.models import Network

    network = Network.objects.filter(slug=slug).first()
    if network is None or not can_view_network(user, network):
        raise Http404("No such network.")
    return network


def get_cohort_or_404(user: Any, network_slug: str, cohort_slug: str) -> Cohort:
    from cadre.cohorts.models import Cohort

    cohort = (
        Cohort.objects.select_related("network")
        .filter(network__slug=network_slug, slug=cohort_slug)
        .first()
    )
    if cohort is None or not can_view_cohort(user, cohort):
        raise Http404("No such cohort.")
    return cohort


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


# --- exports --------------------------------------------------------------------------------


def can_export_cohort(user: Any, cohort: Cohort) -> bool:
    """A cohort's data (what its pages show them, private rows left out) is for its hosts
    and the network's organizers to download."""
    return can_edit_charter(user, cohort)


# --- peer coaching and feedback -----------------------------------------------------------


# --- skill diagnostics ----------------------------------------------------------------------


# --- learning journal -----------------------------------------------------------------------


def _journal_q(user: Any, network: Network) -> Q | None:
    """The entries of `network` that `user` may read, as a filter; None for nothing."""
    from cadre.networks.models import Role

    role = network_role(user, network)
    if role is None:
        return None
    mine = Q(author=user) | Q(shared_with=user)
    if role == Role.PARTNER:
        return mine
    cohort_q = Q(visibility="cohort") & (
        Q(cohort__in=list(_active_cohort_roles(user)))
        if not can_manage_network(user, network)
        else Q(cohort__network=network)
    )
    return mine | Q(visibility="network") | cohort_q


def visible_journal_entries(user: Any, network: Network) -> QuerySet[Any]:
    """Journal entries of `network` that `user` may read: their own; those shared with them by
    name; network entries (members, mentors and organizers, not partners); cohort entries for
    the cohort's active members and the network's organizers. Private entries are never seen
    by organizers unless shared with them."""
    from cadre.journal.models import JournalEntry

    q = _journal_q(user, network)
    if q is None:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(Q(network=network) & q).distinct()


def can_view_journal_entry(user: Any, entry: Any) -> bool:
    return visible_journal_entries(user, entry.network).filter(pk=entry.pk).exists()


def can_edit_journal_entry(user: Any, entry: Any) -> bool:
    """Only the author edits or deletes an entry."""
    return bool(user.is_authenticated and entry.author_id == user.pk)


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
        q |= Q(visibility="partners", partner_groups__members=user)
    return items.filter(q).distinct()


def can_view_repository_item(user: Any, item: Any) -> bool:
    return visible_repository_items(user, None).filter(pk=item.pk).exists()
