"""Writing, changing and deleting journal entries: the one path the pages and the API take.

Who may write (anyone in the network) and who may change or delete an entry (its author) is
checked here; what an entry's fields may hold (the author's visibilities and cohorts, what
it may be tied to, tags, skills, the people it is shared with) is checked by
JournalEntryForm and the model's clean(), whose messages are the ones both doors show. A
refusal is a `cadre.lib.rules.Refused`; invalid fields come as `EntryInvalid`, which also
carries the bound form for the page to show again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from cadre.cohorts.models import CohortMembership
from cadre.lib.rules import Refused
from cadre.networks.models import ORGANIZING_ROLES, Network, Role
from cadre.networks.policy import can_view_directory

from . import policy
from .forms import JournalEntryForm
from .models import JournalEntry, with_details

if TYPE_CHECKING:
    from cadre.accounts.models import User


class EntryInvalid(Refused):
    """The entry's fields do not hold: `fields` names each problem; `form` is the bound form
    with the same errors."""

    def __init__(self, form: JournalEntryForm) -> None:
        fields = {
            ("body" if name == "__all__" else name): [str(m) for m in messages]
            for name, messages in form.errors.items()
        }
        super().__init__(
            _("The entry is not saved: see what is wrong with each field."), fields=fields
        )
        self.form = form


def writing_refusal(person: User, network: Network) -> Refused | None:
    """Why `person` may not write an entry in `network` (None: they may)."""
    if not policy.can_write_journal(person, network):
        return Refused(_("Only people of the network keep a journal here."), kind="forbidden")
    return None


def changing_refusal(person: User, entry: JournalEntry) -> Refused | None:
    """Why `person` may not change or delete `entry` (None: they may, as its author)."""
    if not policy.can_edit_journal_entry(person, entry):
        return Refused(_("Only the author changes or deletes a journal entry."), kind="forbidden")
    return None


def share_choices(person: User, network: Network, entry: JournalEntry) -> list[Any]:
    """The people the entry form offers to share with: the author's cohort peers, the
    network's mentors and organizers, and whoever the entry is already shared with. The form
    names them, so it offers no one to an author who may not see the network's people (a
    partner)."""
    if not can_view_directory(person, network):
        return list(entry.shared_with.order_by("name", "pk")) if entry.pk else []
    cohorts = list(policy.journal_cohorts(person, network).values_list("pk", flat=True))
    peers = CohortMembership.objects.active().filter(cohort__in=cohorts).values("user_id")
    roles = [Role.MENTOR, *ORGANIZING_ROLES]
    q = Q(pk__in=peers) | Q(
        network_memberships__network=network, network_memberships__role__in=roles
    )
    if entry.pk:
        q |= Q(pk__in=entry.shared_with.values("pk"))
    people = get_user_model().objects.filter(q).exclude(pk=person.pk).distinct()
    return list(people.order_by("name", "pk"))


def _save(entry: JournalEntry, data: Mapping[str, Any], share: list[Any] | None) -> JournalEntry:
    form = JournalEntryForm(data, instance=entry, share_choices=share)
    if not form.is_valid():
        raise EntryInvalid(form)
    with transaction.atomic():
        saved = form.save()
    return with_details(JournalEntry.objects.filter(pk=saved.pk)).get()


def write_entry(
    person: User,
    network: Network,
    *,
    data: Mapping[str, Any],
    share_choices: list[Any] | None = None,
) -> JournalEntry:
    """`person` writes an entry in `network` from `data`, the entry form's fields (tags as
    one comma-separated text, cohort and skills by slug, links and people by id)."""
    refusal = writing_refusal(person, network)
    if refusal is not None:
        raise refusal
    return _save(JournalEntry(network=network, author=person), data, share_choices)


def change_entry(
    person: User,
    entry: JournalEntry,
    *,
    data: Mapping[str, Any],
    share_choices: list[Any] | None = None,
) -> JournalEntry:
    """The author replaces the entry's fields with `data` (as write_entry takes them)."""
    refusal = changing_refusal(person, entry)
    if refusal is not None:
        raise refusal
    return _save(entry, data, share_choices)


def delete_entry(person: User, entry: JournalEntry) -> None:
    """The author deletes the entry, with its tags."""
    refusal = changing_refusal(person, entry)
    if refusal is not None:
        raise refusal
    entry.delete()
