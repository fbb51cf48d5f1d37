"""The demo shows cohort health from the start: snapshots for every active cohort, most of
them steady, and the demo log-ins' cohort visibly drifting."""

from io import StringIO

import pytest
from django.core.management import call_command

from cadre.cohorts.models import Cohort, CohortStatus
from cadre.health.models import CohortHealth

pytestmark = pytest.mark.django_db


def test_the_demo_computes_snapshots_and_one_cohort_drifts_visibly():
    call_command("demo", stdout=StringIO())
    active = Cohort.objects.filter(network__slug="northwind", status=CohortStatus.ACTIVE)
    assert CohortHealth.objects.filter(cohort__in=active).count() == active.count()
    drifting = CohortHealth.objects.get(cohort__slug="experimentation-in-ops")
    codes = [s["code"] for s in drifting.signals]
    assert drifting.status == "drifting"
    assert {"attendance_falling", "blockers_unanswered"} <= set(codes)
    blocker = next(s for s in drifting.signals if s["code"] == "blockers_unanswered")
    assert "has not approved a trial" in blocker["message"]
    steady = CohortHealth.objects.filter(cohort__in=active, status="ok").count()
    assert steady >= active.count() // 2
