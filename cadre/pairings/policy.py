"""Who may see and answer follow-through on pairings. Built on the core
(`cadre.networks.policy`) and on mentoring's own rule (`cadre.schedule.policy`).

- A "did you meet?" check is answered by its own person alone. Its note is read by that
  person; for a mentor match also by the other person of the pair and by the network's
  organizers, on the relationship page. Counts ("7 of 10 groups met") show to whoever sees
  the ritual's rounds or the mentors page.
- A mentoring relationship (agreement, meeting log, check-ins) is seen by its mentor, its
  mentee and the network's organizers and admins; nobody else. The mentor and the mentee
  change the agreement and the log; the organizers re-match.

Each rule is an instance check beside the QuerySet filter for lists, so they never disagree.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from cadre.networks.models import Network
from cadre.networks.policy import Person, can_view_network
from cadre.schedule.models import MentorMatch
from cadre.schedule.policy import can_manage_mentoring

from .models import MeetingCheck

# --- mentoring relationships ----------------------------------------------------------------


def is_in_mentoring_pair(user: Person, match: MentorMatch) -> bool:
    return bool(user.is_authenticated and user.pk in (match.mentor_id, match.newcomer_id))


def can_view_relationship(user: Person, match: MentorMatch) -> bool:
    """The mentor, the mentee and the network's organizers (and admins)."""
    if not can_view_network(user, match.network):
        return False
    return is_in_mentoring_pair(user, match) or can_manage_mentoring(user, match.network)


def visible_relationships(user: Person, network: Network) -> QuerySet[MentorMatch]:
    matches = MentorMatch.objects.filter(network=network)
    if not user.is_authenticated or not can_view_network(user, network):
        return matches.none()
    if can_manage_mentoring(user, network):
        return matches
    return matches.filter(Q(mentor=user) | Q(newcomer=user))


def can_edit_relationship(user: Person, match: MentorMatch) -> bool:
    """The agreement and the meeting log belong to the pair, while the match is current."""
    return (
        match.ended_at is None
        and can_view_network(user, match.network)
        and is_in_mentoring_pair(user, match)
    )


def can_rematch(user: Person, match: MentorMatch) -> bool:
    return match.ended_at is None and can_manage_mentoring(user, match.network)


# --- "did you meet?" ------------------------------------------------------------------------


def can_answer_check(user: Person, check: MeetingCheck) -> bool:
    return bool(user.is_authenticated and user.pk == check.user_id)


def can_read_check(user: Person, check: MeetingCheck) -> bool:
    """A check's note: its person; for a mentor match the pair and the organizers too."""
    if can_answer_check(user, check):
        return True
    match = check.mentor_match
    return match is not None and can_view_relationship(user, match)


def readable_checks(user: Person, network: Network) -> QuerySet[MeetingCheck]:
    checks = MeetingCheck.objects.filter(network=network)
    if not user.is_authenticated:
        return checks.none()
    return checks.filter(Q(user=user) | Q(mentor_match__in=visible_relationships(user, network)))
