"""Shared set-up for the accountability tests."""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, ProgressUpdate

GOOD = "Share the incident review template with the cohort by Friday"


def commit(owner: Any, cohort: Any, text: str = GOOD, **fields: Any) -> Commitment:
    fields.setdefault("due_on", timezone.localdate() + timedelta(days=3))
    return Commitment.objects.create(owner=owner, cohort=cohort, text=text, **fields)


def block(author: Any, cohort: Any, text: str = "Cannot get the dashboard data", skills=()):
    update = ProgressUpdate.objects.create(cohort=cohort, author=author, done="Drafted it")
    blocker = Blocker.objects.create(update=update, text=text)
    blocker.skills.set(skills)
    return blocker
