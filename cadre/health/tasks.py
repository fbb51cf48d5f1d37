"""Background work of cohort health, run by `cadre worker` (cadre.worker.jobs):

- `refresh_changed_health`, every 30 seconds, recomputes the cohorts whose facts changed at
  least 10 seconds ago (cadre.health.changes);
- `refresh_stale_health`, every ten minutes, recomputes the snapshots that are missing or too
  old: the backstop for what the change marks do not see and for windows that move with time;
- an organizer's "Refresh now" queues one network (`refresh_network_health`).

Refreshing is idempotent: it rewrites the snapshots from the data."""

import os
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_tasks import task

from . import changes, facts

DEFAULT_MAX_AGE_MINUTES = 60


def max_age() -> timedelta:
    """How old a snapshot may grow before the next scan refreshes it: the setting
    CADRE_HEALTH_MAX_AGE_MINUTES, else the environment variable of that name, else an hour."""
    minutes = getattr(settings, "CADRE_HEALTH_MAX_AGE_MINUTES", None)
    if minutes is None:
        minutes = os.environ.get("CADRE_HEALTH_MAX_AGE_MINUTES") or DEFAULT_MAX_AGE_MINUTES
    try:
        value = int(minutes)
    except ValueError:
        raise ImproperlyConfigured(
            f"CADRE_HEALTH_MAX_AGE_MINUTES must be a whole number of minutes, not {minutes!r}."
        ) from None
    return timedelta(minutes=max(1, value))


@task()
def refresh_network_health(network_id: int) -> int:
    """Recompute the snapshot of every running cohort of network `network_id`."""
    return facts.refresh_network(network_id)


@task()
def refresh_changed_health() -> int:
    """Recompute the snapshots of the cohorts marked changed at least 10 seconds ago."""
    return changes.refresh_changed()


@task()
def refresh_stale_health() -> int:
    """Recompute the snapshots that are missing or older than `max_age()`."""
    return facts.refresh_stale(max_age())
