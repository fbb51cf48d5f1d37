"""What apps above the board add to it.

The board is a feature app's page, and the apps that read it (the conversation's activity
feed) sit above it in the layers (docs/architecture.md), so the board imports none of them.
An app that has something to show registers a contributor in its `AppConfig.ready()`:

    from cadre.accountability.contributions import on_board

    def add_feed(user: User, cohort: Cohort) -> Section | None: ...
    on_board(add_feed)

The board includes each section's template (in the order the apps are installed) with its
context on top of the board's own. An app that is not installed adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cadre.networks.contributions import Section

if TYPE_CHECKING:
    from cadre.accounts.models import User
    from cadre.cohorts.models import Cohort

BoardContributor = Callable[["User", "Cohort"], Section | None]

_contributors: list[BoardContributor] = []


def on_board(contributor: BoardContributor) -> BoardContributor:
    """Register `contributor` to add a section to every board (once, however often called)."""
    if contributor not in _contributors:
        _contributors.append(contributor)
    return contributor


def board_sections(user: User, cohort: Cohort) -> list[Section]:
    """The sections the registered apps add to `cohort`'s board for `user`."""
    sections = (contributor(user, cohort) for contributor in _contributors)
    return [section for section in sections if section is not None]
