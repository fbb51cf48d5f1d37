"""The rota follows the cohort: when someone joins or leaves (a CohortMembership is saved or
deleted) or an absence is marked or withdrawn, the upcoming sessions' roles are recomputed.
Signals rather than calls at each place that changes memberships, so the admin, the API,
formation's publishing and anything added later all keep the rota right. Bulk writes send no
signals; code that bulk-creates (the demo) calls cadre.schedule.rota.regenerate itself."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from cadre.cohorts.models import Cohort, CohortMembership

from . import rota
from .models import Absence, Session


def _cascaded(kwargs: dict[str, Any], model: type) -> bool:
    """True for a delete that came from deleting something else (a cohort, a session, a
    person): the rota is then either gone too or recomputed by whoever started it."""
    if "origin" not in kwargs:
        return False  # a save
    origin = kwargs["origin"]
    origin_model = origin.model if hasattr(origin, "model") else type(origin)
    return origin_model is not model


def _regenerate(cohort_id: int) -> None:
    # Cheap when the cohort has no upcoming sessions: one query, no engine call.
    if not Session.objects.held().upcoming().filter(cohort_id=cohort_id).exists():
        return
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is not None:
        rota.regenerate(cohort)


@receiver(post_save, sender=CohortMembership, dispatch_uid="schedule_membership_saved")
@receiver(post_delete, sender=CohortMembership, dispatch_uid="schedule_membership_deleted")
def membership_changed(sender: Any, instance: CohortMembership, **kwargs: Any) -> None:
    if _cascaded(kwargs, CohortMembership):
        return
    _regenerate(instance.cohort_id)


@receiver(post_save, sender=Absence, dispatch_uid="schedule_absence_saved")
@receiver(post_delete, sender=Absence, dispatch_uid="schedule_absence_deleted")
def absence_changed(sender: Any, instance: Absence, **kwargs: Any) -> None:
    if _cascaded(kwargs, Absence):
        return
    try:
        cohort_id = Session.objects.filter(pk=instance.session_id).values_list(
            "cohort_id", flat=True
        )[0]
    except IndexError:  # the session itself is being deleted
        return
    _regenerate(cohort_id)
