"""What feature apps add to the network home page.

The core apps (accounts, networks, people, cohorts) import no feature app: the layers in
docs/architecture.md. Yet the network home shows a member's week (reminders) and each cohort
card shows its active members (metrics). So the page asks here, and a feature app that has
something to show registers a contributor in its `AppConfig.ready()`:

    from cadre.networks.contributions import on_network_home

    @on_network_home
    def my_week(home: NetworkHome) -> None:
        home.sections.append(Section("reminders/_my_week.html", {"my_week": ...}))

A contributor reads `home` and adds sections (templates the page includes, in the order the
apps are installed) or figures to the cohort cards; it never changes what the core put there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadre.accounts.models import User
    from cadre.cohorts.models import Cohort
    from cadre.networks.models import Network


@dataclass(frozen=True)
class Section:
    """A template the page includes, with what it needs on top of the page's own context."""

    template: str
    context: dict[str, Any]


@dataclass
class Card:
    """One cohort card: the cohort and the figures contributors add to it, by name."""

    cohort: Cohort
    is_member: bool
    figures: dict[str, Any] = field(default_factory=dict)


@dataclass
class NetworkHome:
    """The network home as `user` sees it, for contributors to add to."""

    user: User
    network: Network
    cards: list[Card]
    conduct_pending: bool
    sections: list[Section] = field(default_factory=list)

    @property
    def my_cards(self) -> list[Card]:
        return [c for c in self.cards if c.is_member]


NetworkHomeContributor = Callable[[NetworkHome], None]

_contributors: list[NetworkHomeContributor] = []


def on_network_home(contributor: NetworkHomeContributor) -> NetworkHomeContributor:
    """Register `contributor` to add to every network home page (once, however often called)."""
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


def contribute(home: NetworkHome) -> NetworkHome:
    """Let every registered feature app add to `home`; returns it."""
    for contributor in _contributors:
        contributor(home)
    return home


# --- an item's page -------------------------------------------------------------------------
# The page of one thing (an experiment, a session report) can show what apps above its own
# add about it: the conversation app, how many comments it has and where to read them.

ItemContributor = Callable[["User", Any], Section | None]

_item_contributors: list[ItemContributor] = []


def on_item_page(contributor: ItemContributor) -> ItemContributor:
    """Register `contributor(user, item)` to add a section to item pages (once, however
    often called); it returns None for an item it has nothing to say about."""
    if contributor not in _item_contributors:
        _item_contributors.append(contributor)
    return contributor


def item_sections(user: User, item: Any) -> list[Section]:
    """The sections the registered apps add to `item`'s page for `user`."""
    sections = (contributor(user, item) for contributor in _item_contributors)
    return [section for section in sections if section is not None]
