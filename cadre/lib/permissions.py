"""Access rules of the feature apps that have not moved to a `policy.py` of their own yet.

The core (who is in a network and in which role, who may open a cohort, the code of conduct,
the per-request cache) lives in `cadre.networks.policy` and `cadre.cohorts.policy` and is
re-exported here for the callers that still import this module. Each feature app's rules move
to its own `policy.py` (see docs/architecture.md); this module goes when the last one has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from cadre.cohorts.models import Cohort
    from cadre.networks.models import Network

from cadre.cohorts.policy import (
    active_cohort_roles as _active_cohort_roles,
)
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

# --- intakes and cohort formation: cadre.formation.policy ---------------------------------

# isort: split
# --- accountability: commitments, progress updates, blockers, experiments ------------------
from cadre.accountability.policy import (  # noqa: F401
    can_take_part,
    can_view_board,
    can_view_private_item,
)
from cadre.formation.policy import can_manage_intakes, can_view_intake  # noqa: F401

# --- impact report: cadre/impact/policy.py ---------------------------------------------------
from cadre.impact.policy import can_view_impact_report  # noqa: F401

# --- sessions, role rotas and mentors: cadre.schedule.policy (re-exported below) -----------
# --- peer rotations: coaching and virtual coffee (cadre.rotations.policy) ------------------
from cadre.rotations.policy import visible_rituals  # noqa: F401

# --- running sessions: agenda, attendance, notes, reports (cadre.schedule.policy) ----------
from cadre.schedule.policy import (  # noqa: F401
    can_edit_report,
    can_manage_mentoring,
    can_run_session,
    can_view_report,
    can_view_session,
    visible_session_reports,
)

# --- exports --------------------------------------------------------------------------------


def can_export_cohort(user: Any, cohort: Cohort) -> bool:
    """A cohort's data is for its hosts and the network's organizers to download; each gets
    exactly the rows the pages let them open (cadre.transfer.cohort.READABLE)."""
    return can_edit_charter(user, cohort)


# --- peer coaching and feedback -----------------------------------------------------------


def can_view_reciprocity(user: Any, cohort: Cohort) -> bool:
    """That coaching sessions happened (who coached whom, how often) is for the cohort's
    active members and the network's organizers; what was said is not (see below)."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def can_coach(user: Any, cohort: Cohort) -> bool:
    """Opening coaching sessions and giving feedback is for the cohort's active members."""
    return is_cohort_member(user, cohort)


def can_view_coaching_session(user: Any, session: Any) -> bool:
    """A session's content (focus, prompts, notes, next step) is for the people who sit in
    it: coachee, coach and observer. Hosts and organizers included out."""
    return bool(user.is_authenticated and user.pk in session.participant_ids())


def visible_coaching_sessions(user: Any, cohort: Cohort) -> QuerySet[Any]:
    """The coaching sessions of `cohort` whose content `user` may read (the list twin of
    can_view_coaching_session): those they sit in, whatever their role in the cohort."""
    from cadre.coaching.models import CoachingSession

    return CoachingSession.objects.with_participant(user).filter(cohort=cohort)


def can_edit_coaching_field(user: Any, session: Any, field: str) -> bool:
    """The coachee owns the focus, the kind of help and the next step; coachee and coach
    write the notes; the observer writes what they saw."""
    role = session.role_of(user)
    owners = {
        "focus": {"coachee"},
        "help_wanted": {"coachee"},
        "next_step": {"coachee"},
        "notes": {"coachee", "coach"},
        "observer_notes": {"observer"},
    }
    return role is not None and role in owners.get(field, set())


def can_manage_prompts(user: Any, network: Network) -> bool:
    """The bank of coach prompts is the organizers'."""
    return can_manage_network(user, network)


def visible_feedback(user: Any, cohort: Cohort) -> QuerySet[Any]:
    """Feedback of `cohort` that `user` may read: what they gave or received; what its
    receiver shared with them by name; cohort-visible feedback for the cohort's active
    members. Organizers see private feedback only when it is theirs."""
    from cadre.coaching.models import Feedback

    if not user.is_authenticated or network_role(user, cohort.network) is None:
        return Feedback.objects.none()
    q = Q(giver=user) | Q(receiver=user) | Q(visibility="shared", shared_with=user)
    if is_cohort_member(user, cohort):
        q |= Q(visibility="cohort")
    return Feedback.objects.filter(Q(cohort=cohort) & q).distinct()


def can_use_feedback_pages(user: Any, cohort: Cohort) -> bool:
    """The cohort's feedback pages: its members and organizers, and anyone in the network a
    receiver has shared feedback with (a mentor, say)."""
    if can_view_reciprocity(user, cohort):
        return True
    return visible_feedback(user, cohort).exists()


def can_set_feedback_visibility(user: Any, feedback: Any) -> bool:
    """Only the receiver decides who else reads feedback about them."""
    return bool(user.is_authenticated and feedback.receiver_id == user.pk)


# --- skill diagnostics: cadre/diagnostics/policy.py ------------------------------------------

from cadre.diagnostics.policy import can_view_diagnostics  # noqa: E402, F401

# --- learning journal -----------------------------------------------------------------------


def can_write_journal(user: Any, network: Network) -> bool:
    """Everyone in the network, any role, keeps a journal there (see journal_visibilities)."""
    return network_role(user, network) is not None


def journal_visibilities(user: Any, network: Network) -> list[str]:
    """The visibilities `user` may give their entries: partners keep private entries only,
    since they see nothing of the network's cohorts or its other people."""
    from cadre.networks.models import Role

    role = network_role(user, network)
    if role is None:
        return []
    if role == Role.PARTNER:
        return ["private"]
    return ["private", "cohort", "network"]


def journal_cohorts(user: Any, network: Network) -> QuerySet[Cohort]:
    """The cohorts an entry may be written in: those `user` is an active member of."""
    from cadre.cohorts.models import Cohort

    return Cohort.objects.filter(network=network, pk__in=list(_active_cohort_roles(user)))


def journal_link_choices(user: Any, network: Network) -> dict[str, QuerySet[Any]]:
    """What an entry may be tied to: sessions, and experiments and commitments `user` may see
    (cohort ones and their own private ones, never a peer's private one), of the cohorts they
    write in."""
    from cadre.accountability.models import Commitment, Experiment
    from cadre.schedule.models import Session

    cohorts = list(_active_cohort_roles(user)) if can_write_journal(user, network) else []
    mine = {"cohort__network": network, "cohort__in": cohorts}
    return {
        "session": Session.objects.filter(**mine),
        "experiment": Experiment.objects.visible_to(user).filter(**mine),
        "commitment": Commitment.objects.visible_to(user).filter(**mine),
    }


def can_see_journal_link(user: Any, item: Any) -> bool:
    """Whether a reader of an entry may see what it is tied to: a session as its page does,
    an experiment or commitment as the board does (a private one only for its owner)."""
    if hasattr(item, "visibility"):
        return can_view_private_item(user, item)
    return can_view_session(user, item.cohort)


def _journal_q(user: Any, network: Network) -> Q | None:
    """The entries of `network` that `user` may read, as a filter; None for nothing."""
    from cadre.journal.models import JournalEntry
    from cadre.networks.models import Role

    role = network_role(user, network)
    if role is None:
        return None
    # Shared by name is a subquery on the through table rather than a join, so an entry
    # shared with several people is still one row and no DISTINCT is needed.
    shared = JournalEntry.shared_with.through.objects.filter(user=user).values("journalentry_id")
    mine = Q(author=user) | Q(pk__in=shared)
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
    return JournalEntry.objects.filter(Q(network=network) & q)


def can_view_journal_entry(user: Any, entry: Any) -> bool:
    return visible_journal_entries(user, entry.network).filter(pk=entry.pk).exists()


def can_edit_journal_entry(user: Any, entry: Any) -> bool:
    """Only the author edits or deletes an entry."""
    return bool(user.is_authenticated and entry.author_id == user.pk)


# --- shared repository and partner groups (cadre.repository.policy) -------------------------

# --- cohort health: cadre/health/policy.py ----------------------------------------------------
from cadre.health.policy import can_view_cohort_health  # noqa: E402, F401

# --- metrics: cadre/metrics/policy.py -------------------------------------------------------
from cadre.metrics.policy import (  # noqa: E402, F401
    can_view_builtin_metrics,
    can_view_metric,
    visible_cohort_metrics,
)
from cadre.repository.policy import (  # noqa: E402, F401
    can_add_repository_item,
    can_promote_experiment,
    can_promote_report,
    can_view_repository_item,
    visible_repository_items,
    visible_reuses,
)
