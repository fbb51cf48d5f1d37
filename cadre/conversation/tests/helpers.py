"""Shared set-up for the conversation's tests: items of each kind in the cast's cohort."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.accountability.models import (
    Blocker,
    Commitment,
    Experiment,
    ProgressUpdate,
    Visibility,
)
from cadre.conversation.models import Subject
from cadre.conversation.policy import Item
from cadre.schedule.models import ReportStatus, Session, SessionReport


def update(author: Any, cohort: Any, *, private: bool = False, blocked: str = "") -> ProgressUpdate:
    commitment = Commitment.objects.create(
        cohort=cohort,
        owner=author,
        text="Run a game day with my team by Friday",
        due_on=timezone.localdate() + timedelta(days=3),
        visibility=Visibility.PRIVATE if private else Visibility.COHORT,
    )
    made = ProgressUpdate.objects.create(
        cohort=cohort,
        author=author,
        commitment=commitment,
        done="Booked the room",
        remaining="Write the scenario",
    )
    if blocked:
        Blocker.objects.create(update=made, text=blocked)
    return made


def experiment(owner: Any, cohort: Any, *, private: bool = False) -> Experiment:
    today = timezone.localdate()
    return Experiment.objects.create(
        cohort=cohort,
        owner=owner,
        title="Pairing on incident reviews",
        capability="Reviews",
        hypothesis="Pairs find more causes",
        plan="Pair twice",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=10),
        measure="Causes found",
        visibility=Visibility.PRIVATE if private else Visibility.COHORT,
    )


def report(cohort: Any, by: Any, *, published: bool = True, shared: bool = False) -> SessionReport:
    session = Session.objects.create(
        cohort=cohort, starts_at=timezone.now() - timedelta(days=2), title="Game days"
    )
    return SessionReport.objects.create(
        session=session,
        body="We ran a **game day**.",
        status=ReportStatus.PUBLISHED if published else ReportStatus.DRAFT,
        published_at=timezone.now() - timedelta(days=1) if published else None,
        published_by=by if published else None,
        share_with_network=shared,
    )


def item(obj: Any) -> Item:
    subject = {
        ProgressUpdate: Subject.UPDATE,
        Blocker: Subject.BLOCKER,
        Experiment: Subject.EXPERIMENT,
        SessionReport: Subject.REPORT,
    }[type(obj)]
    cohort = (
        obj.session.cohort
        if subject == Subject.REPORT
        else (obj.update.cohort if subject == Subject.BLOCKER else obj.cohort)
    )
    return Item(subject, obj, cohort)
