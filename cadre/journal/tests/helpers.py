"""Shared set-up for the journal tests: entries, and the extra people the cast lacks."""

from typing import Any

from django.utils import timezone

from cadre.journal.models import JournalEntry, JournalTag
from cadre.networks.models import NetworkMembership, Role
from cadre.schedule.models import Session
from cadre.testing import make_user

VISIBILITIES = ["private", "cohort", "network"]


def write(
    author: Any,
    network: Any,
    *,
    title: str = "What I learned from the game day",
    body: str = "We practised **failover**.",
    tags: tuple[str, ...] = (),
    skills: tuple[Any, ...] = (),
    shared_with: tuple[Any, ...] = (),
    **fields: Any,
) -> JournalEntry:
    entry = JournalEntry.objects.create(
        network=network, author=author, title=title, body=body, **fields
    )
    JournalTag.objects.bulk_create([JournalTag(entry=entry, name=t) for t in tags])
    entry.skills.set(skills)
    entry.shared_with.set(shared_with)
    return entry


def entry_for(cast: Any, visibility: str, **fields: Any) -> JournalEntry:
    """An entry by `cast.member` with the given visibility (in `cast.cohort` when cohort)."""
    cohort = cast.cohort if visibility == "cohort" else fields.pop("cohort", None)
    return write(cast.member, cast.network, visibility=visibility, cohort=cohort, **fields)


def add_person(cast: Any, email: str, name: str, role: str = Role.MEMBER) -> Any:
    """One more person of the cast's network, with the code of conduct accepted."""
    user = make_user(email, name)
    NetworkMembership.objects.create(network=cast.network, user=user, role=role)
    cast.network.current_code_of_conduct().acceptances.create(user=user)
    return user


def a_session(cohort: Any) -> Session:
    return Session.objects.create(cohort=cohort, starts_at=timezone.now(), minutes=60)
