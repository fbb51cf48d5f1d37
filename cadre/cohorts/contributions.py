"""What feature apps add to a cohort's roster and close pages.

The cohorts app is a core app and imports no feature app, yet the roster ("Manage members")
offers a seat to the next person on the intake's waitlist, and the close page offers to open
the next intake; both are formation's. So those pages ask here, and an app registers a
contributor in its `AppConfig.ready()`, as the network home's do
(`cadre/networks/contributions.py`):

    @on_roster_page
    def seat_offer(user, cohort):
        return Section("formation/_seat_offer.html", {...})  # or None: nothing to add

A contributor reads and returns a section or None; it never changes the page's own context.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cadre.networks.contributions import Section

if TYPE_CHECKING:
    from cadre.accounts.models import User

    from .models import Cohort

CohortContributor = Callable[["User", "Cohort"], Section | None]

_roster: list[CohortContributor] = []
_close: list[CohortContributor] = []


def on_roster_page(contributor: CohortContributor) -> CohortContributor:
    """Register `contributor` to add a section to every cohort's "Manage members" page."""
    if contributor not in _roster:
        _roster.append(contributor)
    return contributor


def on_close_page(contributor: CohortContributor) -> CohortContributor:
    """Register `contributor` to add a section to every cohort's close page."""
    if contributor not in _close:
        _close.append(contributor)
    return contributor


def _sections(contributors: list[CohortContributor], user: User, cohort: Cohort) -> list[Section]:
    return [s for c in contributors if (s := c(user, cohort)) is not None]


def roster_sections(user: User, cohort: Cohort) -> list[Section]:
    return _sections(_roster, user, cohort)


def close_sections(user: User, cohort: Cohort) -> list[Section]:
    return _sections(_close, user, cohort)
