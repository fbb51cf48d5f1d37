"""The demo's sessions, rotas and mentors."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cadre.cohorts.models import Cohort, CohortStatus
from cadre.demo import data
from cadre.schedule.models import MentorMatch, MentorSettings, RoleAssignment

pytestmark = pytest.mark.django_db


def test_demo_active_cohorts_have_a_schedule_past_roles_and_a_rota(tmp_path):
    call_command("demo", stdout=tmp_path.joinpath("out").open("w"))
    now = timezone.now()
    active = Cohort.objects.filter(network__slug=data.NETWORK_SLUG, status=CohortStatus.ACTIVE)
    assert active.exists()
    for cohort in active:
        assert cohort.schedule.roles
        assert cohort.sessions.past(now).filter(roles__isnull=False).exists(), cohort
        upcoming = cohort.sessions.upcoming(now)
        assert upcoming.count() == 8
        assert RoleAssignment.objects.filter(session__in=upcoming).count() == 8 * 3
    assert MentorSettings.objects.filter(membership__network__slug=data.NETWORK_SLUG).exists()
    matches = MentorMatch.objects.filter(network__slug=data.NETWORK_SLUG)
    assert 1 <= matches.count() <= 3
