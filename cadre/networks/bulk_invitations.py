"""Inviting many people at once: a pasted list or a CSV file is read into entries, each entry
sorted into new / already a member / already invited / not usable, and the new ones invited
in one transaction, each through the same path as a single invitation (`services.invite`'s
rules, `invitations.send_invitation`'s e-mail).

    preview = read_list(network, text="Ada <ada@example.org>\\nbob@example.org, Bob")
    sent = invite_list(me, network, text=..., role="member", message="")

A pasted list has one person a line: `email`, `Name <email>` or `email, name`. A CSV file has
a header row with an `email` column and, optionally, a `name` column."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from cadre.lib.rules import Refused

from . import invitations as invitation_links
from .models import Invitation, Network
from .services import check_role, invitee_standing, require_invitation_manager

if TYPE_CHECKING:
    from cadre.accounts.models import User

MAX_LINES = 500
MAX_MESSAGE = 2000
# The rules' sentences, marked for the catalogues and translated when raised; TOO_MANY and
# MESSAGE_TOO_LONG are what they say in English, their numbers filled in.
_TOO_MANY = gettext_noop(
    "Please send at most %(most)d people at a time; split the list and send the rest after."
)
TOO_MANY = _TOO_MANY % {"most": MAX_LINES}
EMPTY = gettext_noop("The list is empty: paste one address a line, or choose a CSV file.")
NOTHING_NEW = gettext_noop(
    "Nobody on the list can be invited: everyone is already a member, invited, or not usable."
)
_MESSAGE_TOO_LONG = gettext_noop("The personal message is at most %(most)d characters.")
MESSAGE_TOO_LONG = _MESSAGE_TOO_LONG % {"most": MAX_MESSAGE}

Format = Literal["lines", "csv"]
Group = Literal["new", "member", "pending", "invalid"]

_ANGLE = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]+)>\s*$")


@dataclass(frozen=True)
class Entry:
    """One line of the list: where it was, the address and name read from it, and, for a
    line that cannot be used, why."""

    line: int
    email: str
    name: str = ""
    problem: str = ""


@dataclass
class Preview:
    """The list sorted: who would be invited, who is already in or invited, and the lines
    that cannot be used (with their line numbers and reasons)."""

    new: list[Entry] = field(default_factory=list)
    member: list[Entry] = field(default_factory=list)
    pending: list[Entry] = field(default_factory=list)
    invalid: list[Entry] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.new) + len(self.member) + len(self.pending) + len(self.invalid)


def _entry(line: int, email: str, name: str) -> Entry:
    email, name = email.strip().lower(), " ".join(name.split())
    if not email:
        return Entry(line, "", name, gettext("No e-mail address on this line."))
    try:
        validate_email(email)
    except ValidationError:
        return Entry(
            line, email, name, gettext("“%(email)s” is not an e-mail address.") % {"email": email}
        )
    if len(name) > 150:
        return Entry(line, email, name[:150], gettext("The name is longer than 150 characters."))
    return Entry(line, email, name)


def _from_lines(text: str) -> list[Entry]:
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        angle = _ANGLE.match(line)
        if angle:
            entries.append(_entry(number, angle["email"], angle["name"].strip(" \"'")))
        elif "," in line:
            email, name = line.split(",", 1)
            entries.append(_entry(number, email, name))
        else:
            entries.append(_entry(number, line, ""))
    return entries


def _from_csv(text: str) -> list[Entry]:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(rows, None)
    columns = [column.strip().lower() for column in header or []]
    if "email" not in columns:
        raise Refused(
            gettext(
                "The CSV file needs a header row with an “email” column (and, if you like, “name”)."
            ),
            field="file",
        )
    at_email = columns.index("email")
    at_name = columns.index("name") if "name" in columns else None
    entries = []
    # The header is line 1, so the first person is on line 2, as a spreadsheet numbers it.
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        email = row[at_email] if at_email < len(row) else ""
        name = row[at_name] if at_name is not None and at_name < len(row) else ""
        entries.append(_entry(number, email, name))
    return entries


def read_list(network: Network, *, text: str, format: Format = "lines") -> Preview:
    """Sort the people on the list as `send` would find them now (the organizers'
    preview). Refused when the list is empty or longer than `MAX_LINES` people."""
    entries = _from_csv(text) if format == "csv" else _from_lines(text)
    if not entries:
        raise Refused(gettext(EMPTY), field="text")
    if len(entries) > MAX_LINES:
        raise Refused(gettext(_TOO_MANY) % {"most": MAX_LINES}, field="text")
    preview = Preview()
    usable = [e for e in entries if not e.problem]
    standing = invitee_standing(network, [e.email for e in usable])
    seen: dict[str, int] = {}
    for entry in entries:
        if entry.problem:
            preview.invalid.append(entry)
        elif entry.email in seen:
            preview.invalid.append(
                Entry(
                    entry.line,
                    entry.email,
                    entry.name,
                    gettext("Already listed on line %(line)d.") % {"line": seen[entry.email]},
                )
            )
        else:
            seen[entry.email] = entry.line
            group: list[Entry] = getattr(preview, standing[entry.email])
            group.append(entry)
    return preview


def invite_list(
    user: User,
    network: Network,
    *,
    text: str,
    format: Format = "lines",
    role: str,
    message: str,
) -> tuple[list[Invitation], Preview]:
    """Invite everyone on the list who is new to `network`, in `role`, all in one
    transaction, each invitation e-mailed as a single one is. The list is read again here,
    so someone who joined or was invited since the preview is left out. Returns the
    invitations and the preview they were made from."""
    require_invitation_manager(user, network)
    check_role(user, network, role)
    message = message.strip()
    if len(message) > MAX_MESSAGE:
        raise Refused(gettext(_MESSAGE_TOO_LONG) % {"most": MAX_MESSAGE}, field="message")
    with transaction.atomic():
        # Lock the network so two organizers sending the same list cannot invite twice.
        Network.objects.select_for_update().filter(pk=network.pk).first()
        preview = read_list(network, text=text, format=format)
        if not preview.new:
            raise Refused(gettext(NOTHING_NEW), field="text")
        made = []
        for entry in preview.new:
            invitation = Invitation.objects.create(
                network=network, invited_by=user, email=entry.email, role=role, message=message
            )
            invitation_links.send_invitation(invitation)
            made.append(invitation)
    return made, preview
