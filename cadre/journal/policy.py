"""Who reads and writes the learning journal, on the core of `cadre.networks.policy` and
`cadre.cohorts.policy`.

- Everyone in a network, any role, keeps a journal there. Partners keep private entries only,
  since they see nothing of the network's cohorts or its other people.
- An entry is read by its author, by the people the author named, and then by its
  visibility: a network entry by the network's insiders (not partners), a cohort entry by the
  cohort's active members and the network's organizers. Private entries are never read by
  organizers unless shared with them.
- An entry is written in a cohort its author is an active member of, and tied to a session of
  those cohorts, or to an experiment or commitment the author may see there.
- What an entry is tied to is shown only to readers who may see that thing.
- Only the author changes or deletes an entry.

`visible_journal_entries` (a list) and `can_view_journal_entry` (one entry) are one rule:
the instance check asks the filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cadre.accountability.models import Commitment, Experiment
from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import active_cohort_roles
from cadre.networks.models import Network, Role
from cadre.networks.policy import Person, can_manage_network, network_role

from .models import JournalEntry, JournalVisibility, with_details

if TYPE_CHECKING:
    from cadre.schedule.models import Session

# --- writing --------------------------------------------------------------------------------


def can_write_journal(user: Person, network: Network) -> bool:
    """Everyone in the network, any role, keeps a journal there (see journal_visibilities)."""
    return network_role(user, network) is not None


def journal_visibilities(user: Person, network: Network) -> list[str]:
    """The visibilities `user` may give their entries: partners keep private entries only."""
    role = network_role(user, network)
    if role is None:
        return []
    if role == Role.PARTNER:
        return [JournalVisibility.PRIVATE]
    return [JournalVisibility.PRIVATE, JournalVisibility.COHORT, JournalVisibility.NETWORK]


def journal_cohorts(user: Person, network: Network) -> QuerySet[Cohort]:
    """The cohorts an entry may be written in: those `user` is an active member of."""
    return Cohort.objects.filter(network=network, pk__in=list(active_cohort_roles(user)))


def journal_link_choices(user: Person, network: Network) -> dict[str, QuerySet[Any]]:
    """What an entry may be tied to: sessions, and experiments and commitments `user` may see
    (cohort ones and their own private ones, never a peer's private one), of the cohorts they
    write in."""
    from cadre.accountability.models import Commitment, Experiment
    from cadre.schedule.models import Session

    cohorts = list(active_cohort_roles(user)) if can_write_journal(user, network) else []
    mine = {"cohort__network": network, "cohort__in": cohorts}
    return {
        "session": Session.objects.filter(**mine),
        "experiment": Experiment.objects.visible_to(user).filter(**mine),
        "commitment": Commitment.objects.visible_to(user).filter(**mine),
    }


def can_edit_journal_entry(user: Person, entry: JournalEntry) -> bool:
    """Only the author edits or deletes an entry."""
    return bool(user.is_authenticated and entry.author_id == user.pk)


# --- reading --------------------------------------------------------------------------------


def _readable(user: Person, network: Network) -> Q | None:
    """The entries of `network` that `user` may read, as a filter; None for nothing."""
    role = network_role(user, network)
    if role is None or not user.is_authenticated:
        # Only a signed-in person has a role; the second test tells the type checker so.
        return None
    # Shared by name is a subquery on the through table rather than a join, so an entry
    # shared with several people is still one row and no DISTINCT is needed.
    shared = JournalEntry.shared_with.through.objects.filter(user=user).values("journalentry_id")
    mine = Q(author=user) | Q(pk__in=shared)
    if role == Role.PARTNER:
        return mine
    cohort_q = Q(visibility=JournalVisibility.COHORT) & (
        Q(cohort__network=network)
        if can_manage_network(user, network)
        else Q(cohort__in=list(active_cohort_roles(user)))
    )
    return mine | Q(visibility=JournalVisibility.NETWORK) | cohort_q


def visible_journal_entries(user: Person, network: Network) -> QuerySet[JournalEntry]:
    """Journal entries of `network` that `user` may read: their own; those shared with them by
    name; network entries (members, mentors and organizers, not partners); cohort entries for
    the cohort's active members and the network's organizers. Private entries are never seen
    by organizers unless shared with them."""
    q = _readable(user, network)
    if q is None:
        return JournalEntry.objects.none()
    return JournalEntry.objects.filter(Q(network=network) & q)


def can_view_journal_entry(user: Person, entry: JournalEntry) -> bool:
    return visible_journal_entries(user, entry.network).filter(pk=entry.pk).exists()


def get_journal_entry_or_404(user: Person, network: Network, pk: int) -> JournalEntry:
    """The entry with everything its page shows, or 404 for people who may not read it."""
    entry = with_details(visible_journal_entries(user, network).filter(pk=pk)).first()
    if entry is None:
        raise Http404("No such journal entry.")
    entry.network = network
    return entry


def can_see_journal_link(user: Person, item: Session | Experiment | Commitment) -> bool:
    """Whether a reader of an entry may see what it is tied to: a session as its page does,
    an experiment or commitment as the board does (a private one only for its owner)."""
    from cadre.accountability.policy import can_view_private_item
    from cadre.schedule.policy import can_view_session

    if isinstance(item, Commitment | Experiment):
        return bool(can_view_private_item(user, item))
    return bool(can_view_session(user, item.cohort))
