"""Which rows belong to a network, worked out from the models themselves.

Every model of Cadre that holds a network's data reaches `networks.Network` through required
foreign keys (a session report: session → cohort → network). This module finds that path for
each model once, so exports include new models as soon as they exist, without a list to keep
up to date. Models that belong to a person rather than to a network (a profile, notification
preferences, e-mail addresses) are exported for the people the network's rows mention.

Left out on purpose, and said so in docs/operating.md: secrets (API tokens, calendar-feed
tokens, two-factor authenticators, sessions) and logs that are not the network's data (the
reminder delivery log, the task queue, the admin log).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.db import models

NETWORK = "networks.Network"
USER = "accounts.User"

# Models that belong to a person: exported for the people the network's rows mention.
PERSONAL = ("people.Profile", "reminders.NotificationPreference", "account.EmailAddress")

# Never exported: secrets, logs, and the worker's to-do marks (health.HealthChange: the
# snapshots of an imported network are recomputed anyway).
EXCLUDED = frozenset(
    {
        "api.ApiToken",
        "health.HealthChange",
        "schedule.CalendarToken",
        "reminders.Reminder",
        # What each person was last sent of each calendar invitation: the events' UIDs name
        # the rows and the host they came from, so the new installation invites afresh.
        "reminders.Invitation",
        "delivery.Message",
        "worker.Beat",
        "worker.PeriodicRun",
        "mfa.Authenticator",
        "account.EmailConfirmation",
        "conversation.Notification",  # a person's inbox, made from the comments and reactions
        "webhooks.Endpoint",  # its signing secret; set up again after an import
        "webhooks.Delivery",
        "sso.IdentityProvider",  # holds a client secret; set up again on the new installation
        "chat.SlackWorkspace",  # its bot token; connected again after an import
        "chat.ChannelLink",  # channels of the old workspace; chosen again after connecting
        "chat.SlackIdentity",
        "chat.ChatDelivery",
        "chat.SlackSignature",  # request signatures kept a few minutes against replays
        # Derived data: the figures' weekly counts, rewritten from the facts by the worker
        # (an imported network's cohorts have none, so their figures are counted live until then).
        "metrics.CohortWeek",
        "metrics.CohortWeeks",
    }
)


@dataclass(frozen=True)
class Owned:
    """A model whose rows belong to a network, and the lookup from the model to it."""

    label: str
    lookup: str  # e.g. "session__cohort__network"; "" for the Network model itself

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


def _cadre_models() -> Iterator[type[models.Model]]:
    for model in apps.get_models():
        if model.__module__.startswith("cadre.") and model._meta.label not in EXCLUDED:
            yield model


def related_label(field: models.Field[Any, Any]) -> str:
    """The label of the model a relation (`field.related_model` is not None) points to. Django
    resolves a reference by name ("self", "app.Model") once the apps are loaded, so the
    relations of a loaded model name the class itself."""
    target = field.related_model
    assert target is not None and not isinstance(target, str), f"{field} is not a resolved relation"
    return target._meta.label


def _required_fks(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignKey) and not f.null and f.related_model is not None
    ]


@lru_cache(maxsize=1)
def owned_models() -> tuple[Owned, ...]:
    """Every model that belongs to a network, with its shortest path of required foreign
    keys to the network, in an order where each model comes after the models it points to
    (so an import can create rows in this order)."""
    paths: dict[str, str] = {NETWORK: ""}
    pending = [m for m in _cadre_models() if m._meta.label not in (NETWORK, USER)]
    changed = True
    while changed:
        changed = False
        for model in list(pending):
            label = model._meta.label
            best: str | None = None
            for fk in _required_fks(model):
                target = related_label(fk)
                if target in paths:
                    lookup = fk.name if target == NETWORK else f"{fk.name}__{paths[target]}"
                    if best is None or lookup.count("__") < best.count("__"):
                        best = lookup
            if best is not None:
                paths[label] = best
                pending.remove(model)
                changed = True
    ordered = _dependency_order(list(paths))
    return tuple(Owned(label, paths[label]) for label in ordered)


def _dependency_order(labels: list[str]) -> list[str]:
    """Order labels so that every model comes after those its foreign keys point to, where
    possible; nullable keys that would form a cycle are filled in after the rows exist."""
    wanted = set(labels)
    deps: dict[str, set[str]] = {}
    for label in labels:
        model = apps.get_model(label)
        targets = {
            related_label(f)
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey) and f.related_model is not None
        }
        deps[label] = (targets & wanted) - {label}
    ordered: list[str] = []
    placed: set[str] = set()
    remaining = sorted(labels)
    while remaining:
        ready = [label for label in remaining if deps[label] <= placed]
        if not ready:  # a cycle: place the model whose required keys are satisfied
            ready = [
                label
                for label in remaining
                if ({related_label(f) for f in _required_fks(apps.get_model(label))} & wanted)
                <= placed
            ][:1]
            if not ready:
                raise RuntimeError(f"Cannot order models for export: {remaining}")
        for label in ready:
            ordered.append(label)
            placed.add(label)
            remaining.remove(label)
    return ordered


COHORT = "cohorts.Cohort"


@lru_cache(maxsize=1)
def cohort_models() -> tuple[Owned, ...]:
    """Every model with rows that belong to one cohort, with its shortest lookup to the
    cohort. Unlike the network's, these paths may pass through optional keys (a journal
    entry written in a cohort), so a cohort's export holds what was done in it."""
    paths: dict[str, str] = {COHORT: ""}
    pending = [m for m in _cadre_models() if m._meta.label not in (COHORT, NETWORK, USER)]
    changed = True
    while changed:
        changed = False
        for model in list(pending):
            best: str | None = None
            for fk in model._meta.concrete_fields:
                if not isinstance(fk, models.ForeignKey) or fk.related_model is None:
                    continue
                target = related_label(fk)
                if target in paths:
                    lookup = fk.name if target == COHORT else f"{fk.name}__{paths[target]}"
                    if best is None or lookup.count("__") < best.count("__"):
                        best = lookup
            if best is not None:
                paths[model._meta.label] = best
                pending.remove(model)
                changed = True
    return tuple(Owned(label, paths[label]) for label in _dependency_order(list(paths)))


def personal_models() -> tuple[type[models.Model], ...]:
    return tuple(apps.get_model(label) for label in PERSONAL)


def user_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The foreign keys and many-to-many fields of `model` that point to people."""
    return [
        f
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.is_relation and f.related_model is not None and related_label(f) == USER
    ]
