"""The event catalogue: each event's name, what it means, and the builder of its payload.

A payload is the Standard Webhooks shape: {"type", "timestamp", "data"}. `data` carries ids,
slugs, names, statuses and timestamps, never text that members wrote (a commitment's text, a
blocker, a report's body): the receiver is told that something happened and where to look.
Private items (a commitment, an experiment or an update kept to its owner) send no event at
all: a builder returns None for them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cadre.accountability.models import Blocker, Commitment, Experiment, Visibility
from cadre.cohorts.models import Cohort, CohortMembership
from cadre.metrics.models import Observation
from cadre.networks.models import Network
from cadre.schedule.models import Session, SessionReport

Data = dict[str, Any]
StrOrPromise = str | Promise


@dataclass(frozen=True)
class EventType:
    name: str
    meaning: StrOrPromise  # translated where it is shown (the endpoint form)


CATALOGUE: tuple[EventType, ...] = (
    EventType("member.joined", _("Someone joined a cohort.")),
    EventType("member.left", _("Someone left a cohort.")),
    EventType(
        "cohort.published", _("A cohort was created (by formation's publish step or by hand).")
    ),
    EventType(
        "cohort.status_changed",
        _("A cohort became forming, active, paused, completed or archived."),
    ),
    EventType(
        "session.held",
        _("A session was held: its first attendance was recorded or its report published."),
    ),
    EventType("report.published", _("A session's report was published.")),
    EventType("commitment.made", _("A member made a commitment their cohort can see.")),
    EventType("commitment.done", _("A member marked a commitment their cohort can see as done.")),
    EventType("blocker.posted", _("A member posted a blocker their cohort can see.")),
    EventType("experiment.finished", _("An experiment their cohort can see got its outcome.")),
    EventType(
        "metric.recorded", _("A value was recorded for a metric (not one about one person).")
    ),
    EventType("webhook.test", _("A test event, sent from the endpoint's page.")),
)
NAMES: tuple[str, ...] = tuple(event.name for event in CATALOGUE)


def envelope(event_type: str, data: Data) -> Data:
    return {"type": event_type, "timestamp": timezone.now().isoformat(), "data": data}


def _when(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _network(network: Network) -> Data:
    return {"id": network.pk, "slug": network.slug, "name": network.name}


def _cohort(cohort: Cohort) -> Data:
    return {"id": cohort.pk, "slug": cohort.slug, "name": cohort.name, "status": cohort.status}


def _person(user: Any) -> Data | None:
    return None if user is None else {"id": user.pk, "name": user.name}


def membership(event_type: str, pk: int) -> tuple[int, Data] | None:
    place = CohortMembership.objects.select_related("cohort__network", "user").filter(pk=pk).first()
    if place is None:
        return None
    return place.cohort.network_id, {
        "network": _network(place.cohort.network),
        "cohort": _cohort(place.cohort),
        "member": _person(place.user),
        "role": place.role,
        "joined_on": _when(place.joined_on),
        "left_on": _when(place.left_on),
    }


def cohort(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = Cohort.objects.select_related("network").filter(pk=pk).first()
    if found is None:
        return None
    return found.network_id, {
        "network": _network(found.network),
        "cohort": {**_cohort(found), "created_at": _when(found.created_at)},
    }


def session(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = Session.objects.select_related("cohort__network").filter(pk=pk).first()
    if found is None or found.held_at is None:
        return None
    return found.cohort.network_id, {
        "network": _network(found.cohort.network),
        "cohort": _cohort(found.cohort),
        "session": {
            "id": found.pk,
            "label": found.label,
            "kind": found.kind,
            "starts_at": _when(found.starts_at),
            "minutes": found.minutes,
            "held_at": _when(found.held_at),
        },
    }


def report(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = (
        SessionReport.objects.select_related("session__cohort__network", "published_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        return None
    session = found.session
    return session.cohort.network_id, {
        "network": _network(session.cohort.network),
        "cohort": _cohort(session.cohort),
        "session": {
            "id": session.pk,
            "label": session.label,
            "starts_at": _when(session.starts_at),
        },
        "report": {
            "id": found.pk,
            "published_at": _when(found.published_at),
            "published_by": _person(found.published_by),
            "shared_with_network": found.share_with_network,
        },
    }


def commitment(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = Commitment.objects.select_related("cohort__network", "owner").filter(pk=pk).first()
    if found is None or found.visibility == Visibility.PRIVATE:
        return None
    return found.cohort.network_id, {
        "network": _network(found.cohort.network),
        "cohort": _cohort(found.cohort),
        "commitment": {
            "id": found.pk,
            "owner": _person(found.owner),
            "status": found.status,
            "due_on": _when(found.due_on),
            "created_at": _when(found.created_at),
            "completed_at": _when(found.completed_at),
        },
    }


def blocker(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = (
        Blocker.objects.select_related(
            "update__cohort__network", "update__author", "update__commitment"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        return None
    about = found.update.commitment
    if about is not None and about.visibility == Visibility.PRIVATE:
        return None
    cohort_ = found.update.cohort
    return cohort_.network_id, {
        "network": _network(cohort_.network),
        "cohort": _cohort(cohort_),
        "blocker": {
            "id": found.pk,
            "author": _person(found.update.author),
            "created_at": _when(found.created_at),
        },
    }


def experiment(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = Experiment.objects.select_related("cohort__network", "owner").filter(pk=pk).first()
    if found is None or found.visibility == Visibility.PRIVATE:
        return None
    return found.cohort.network_id, {
        "network": _network(found.cohort.network),
        "cohort": _cohort(found.cohort),
        "experiment": {
            "id": found.pk,
            "owner": _person(found.owner),
            "outcome": found.outcome,
            "starts_on": _when(found.starts_on),
            "ends_on": _when(found.ends_on),
        },
    }


def observation(event_type: str, pk: int) -> tuple[int, Data] | None:
    found = (
        Observation.objects.select_related("metric__network", "metric__cohort")
        .filter(pk=pk)
        .first()
    )
    if found is None or found.person_id is not None:
        return None
    metric = found.metric
    return metric.network_id, {
        "network": _network(metric.network),
        "cohort": None if metric.cohort is None else _cohort(metric.cohort),
        "metric": {"id": metric.pk, "name": metric.name},
        "observation": {
            "id": found.pk,
            "value": str(found.value),
            "observed_on": _when(found.observed_on),
            "created_at": _when(found.created_at),
        },
    }


def test(network: Network) -> Data:
    return {"network": _network(network), "message": "This is a test event from Cadre."}


Builder = Callable[[str, int], "tuple[int, Data] | None"]

# Which builder makes the payload of each event that cadre.events emits.
BUILDERS: dict[str, Builder] = {
    "member.joined": membership,
    "member.left": membership,
    "cohort.published": cohort,
    "cohort.status_changed": cohort,
    "session.held": session,
    "report.published": report,
    "commitment.made": commitment,
    "commitment.done": commitment,
    "blocker.posted": blocker,
    "experiment.finished": experiment,
    "metric.recorded": observation,
}
