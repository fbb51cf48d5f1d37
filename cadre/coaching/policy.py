"""Who may see and do what in peer coaching, on the core of `cadre.networks.policy` and
`cadre.cohorts.policy`.

- The coaching pages of a cohort (its sessions list, the who-coached-whom counts, the prompt
  bank) are for the cohort's active members and the network's organizers; sharing the cohort
  with the network does not open them.
- Opening sessions and giving feedback is for the cohort's active members.
- A session's content is for the people who sit in it (coachee, coach, observer), hosts and
  organizers included out; each of them writes only their own fields.
- Feedback is read by its giver and receiver, by the people its receiver named, and, when
  its receiver shared it with the cohort, by the cohort's active members. Only the receiver
  decides who reads it. The feedback pages also open to the people it was shared with by
  name (a mentor, say), who may not otherwise see the cohort.
- The bank of coach prompts is the network's organizers'.

Each instance check sits beside the QuerySet filter for the same rule and is built from the
same definition.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cadre.cohorts.models import Cohort
from cadre.cohorts.policy import get_cohort_or_404, is_cohort_member
from cadre.networks.models import Network
from cadre.networks.policy import Person, can_manage_network, get_network_or_404, network_role
from cadre.rotations.models import SeatRole

from .models import CoachingSession, Feedback, FeedbackVisibility

SESSION_NOT_FOUND = "No such coaching session."

# --- the cohort's coaching pages --------------------------------------------------------------


def can_view_reciprocity(user: Person, cohort: Cohort) -> bool:
    """That coaching sessions happened (who coached whom, how often) and the coaching pages
    are for the cohort's active members and the network's organizers; what was said is not
    (see can_view_coaching_session)."""
    return is_cohort_member(user, cohort) or can_manage_network(user, cohort.network)


def get_coaching_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort, or 404 for people who may not open its coaching pages."""
    cohort = get_cohort_or_404(user, network_slug, cohort_slug)
    if not can_view_reciprocity(user, cohort):
        raise Http404("No such cohort.")
    return cohort


def can_coach(user: Person, cohort: Cohort) -> bool:
    """Opening coaching sessions, giving feedback and turning a next step into a commitment
    is for the cohort's active members."""
    return is_cohort_member(user, cohort)


# --- sessions -------------------------------------------------------------------------------


def can_view_coaching_session(user: Person, session: CoachingSession) -> bool:
    """A session's content (focus, prompts, notes, next step) is for the people who sit in
    it: coachee, coach and observer. Hosts and organizers included out. (Who sits in it is
    the model's SEAT_FIELDS, which the list below filters on too.)"""
    return session.role_of(user) is not None


def visible_coaching_sessions(user: Person, cohort: Cohort) -> QuerySet[CoachingSession]:
    """The coaching sessions of `cohort` whose content `user` may read (the list twin of
    can_view_coaching_session): those they sit in, whatever their role in the cohort."""
    return CoachingSession.objects.with_participant(user).filter(cohort=cohort)


def get_coaching_session_or_404(user: Person, cohort: Cohort, pk: int) -> CoachingSession:
    """The session of `cohort`, or 404 for anyone who does not sit in it."""
    session = (
        visible_coaching_sessions(user, cohort)
        .select_related("coachee", "coach", "observer", "commitment", "cohort__network")
        .filter(pk=pk)
        .first()
    )
    if session is None:
        raise Http404(SESSION_NOT_FOUND)
    return session


# Who writes which field of a session.
FIELD_WRITERS: dict[str, set[SeatRole]] = {
    "focus": {SeatRole.COACHEE},
    "help_wanted": {SeatRole.COACHEE},
    "next_step": {SeatRole.COACHEE},
    "notes": {SeatRole.COACHEE, SeatRole.COACH},
    "observer_notes": {SeatRole.OBSERVER},
}


def can_edit_coaching_field(user: Person, session: CoachingSession, field: str) -> bool:
    """The coachee owns the focus, the kind of help and the next step; coachee and coach
    write the notes; the observer writes what they saw."""
    role = session.role_of(user)
    return role is not None and role in FIELD_WRITERS.get(field, set())


def editable_coaching_fields(user: Person, session: CoachingSession) -> list[str]:
    """The fields of `session` that `user` writes (can_edit_coaching_field for each)."""
    return [f for f in FIELD_WRITERS if can_edit_coaching_field(user, session, f)]


# --- prompts --------------------------------------------------------------------------------


def can_manage_prompts(user: Person, network: Network) -> bool:
    """The bank of coach prompts is the organizers'."""
    return can_manage_network(user, network)


# --- feedback -------------------------------------------------------------------------------


def visible_feedback(user: Person, cohort: Cohort) -> QuerySet[Feedback]:
    """Feedback of `cohort` that `user` may read: what they gave or received; what its
    receiver shared with them by name; cohort-visible feedback for the cohort's active
    members. Organizers see private feedback only when it is theirs."""
    if not user.is_authenticated or network_role(user, cohort.network) is None:
        return Feedback.objects.none()
    q = Q(giver=user) | Q(receiver=user) | Q(visibility=FeedbackVisibility.SHARED, shared_with=user)
    if is_cohort_member(user, cohort):
        q |= Q(visibility=FeedbackVisibility.COHORT)
    return Feedback.objects.filter(Q(cohort=cohort) & q).distinct()


def get_feedback_or_404(user: Person, cohort: Cohort, pk: int) -> Feedback:
    """Feedback of `cohort` that `user` may read (visible_feedback), or 404."""
    item = (
        visible_feedback(user, cohort)
        .select_related("giver", "receiver", "cohort__network")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("No such feedback.")
    return item


def can_use_feedback_pages(user: Person, cohort: Cohort) -> bool:
    """The cohort's feedback pages: its members and organizers, and anyone in the network a
    receiver has shared feedback with (a mentor, say)."""
    if can_view_reciprocity(user, cohort):
        return True
    return visible_feedback(user, cohort).exists()


def get_feedback_cohort_or_404(user: Person, network_slug: str, cohort_slug: str) -> Cohort:
    """The cohort for the feedback pages and endpoints, or 404 (can_use_feedback_pages)."""
    network = get_network_or_404(user, network_slug)
    cohort = (
        Cohort.objects.select_related("network").filter(network=network, slug=cohort_slug).first()
    )
    if cohort is None or not can_use_feedback_pages(user, cohort):
        raise Http404("No such cohort.")
    return cohort


def can_set_feedback_visibility(user: Person, feedback: Feedback) -> bool:
    """Only the receiver decides who else reads feedback about them."""
    return bool(user.is_authenticated and feedback.receiver_id == user.pk)
