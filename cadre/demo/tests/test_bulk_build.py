"""A large demo is written in bulk (COPY on PostgreSQL, bulk_create elsewhere) and only its
story cohorts go through the apps' services; what signals keep current is rebuilt at the end.
Here a small network stands in for a large one (fewer story cohorts, COPY from a hundred rows),
and must read like a network built row by row."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from cadre.accountability.models import Commitment
from cadre.accounts.models import User
from cadre.cohorts.models import Cohort, CohortMembership, CohortStatus
from cadre.demo import builder, data
from cadre.journal.models import JournalEntry
from cadre.metrics import weekly
from cadre.metrics.models import CohortWeek, CohortWeeks
from cadre.networks.models import NetworkMembership
from cadre.people.models import Profile, ProfileSkill
from cadre.repository import search
from cadre.schedule.models import RoleAssignment, Session

NOW = datetime(2026, 6, 10, 15, 30, tzinfo=UTC)
PEOPLE = 300
STORIES = 3

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> Iterator[builder.BuildResult]:
    monkeypatch.setattr(builder, "STORY_COHORTS", STORIES)
    monkeypatch.setattr(builder, "COPY_FROM", 100)
    with time_machine.travel(NOW, tick=False):
        yield builder.build_demo(people=PEOPLE, seed=11)


def test_counts_match_what_the_builder_reports(built: builder.BuildResult) -> None:
    network = built.network
    assert built.counts["people"] == PEOPLE
    assert NetworkMembership.objects.filter(network=network).count() == PEOPLE
    assert Profile.objects.filter(user__network_memberships__network=network).count() == PEOPLE
    assert ProfileSkill.objects.filter(skill__network=network).count() >= 3 * PEOPLE
    assert Cohort.objects.filter(network=network).count() == built.counts["cohorts"]
    # Keys drawn for the bulk rows leave the sequences where the next insert can follow.
    User.objects.create_user(email="after-the-demo@example.test", password="x", name="After")


def test_only_the_story_cohorts_have_boards_but_every_active_cohort_meets(
    built: builder.BuildResult,
) -> None:
    active = list(Cohort.objects.filter(network=built.network, status=CohortStatus.ACTIVE))
    assert len(active) > STORIES
    with_board = set(Commitment.objects.values_list("cohort__slug", flat=True))
    assert builder.LOGINS_COHORT in with_board
    assert len(with_board) == STORIES
    for cohort in active:
        assert cohort.schedule is not None
        held = Session.objects.filter(cohort=cohort, starts_at__lte=NOW)
        upcoming = Session.objects.filter(cohort=cohort, starts_at__gt=NOW).order_by("starts_at")
        assert held.exists() and upcoming.exists(), cohort.slug
        assert RoleAssignment.objects.filter(session=upcoming.first()).exists(), cohort.slug


def test_the_search_index_finds_a_bulk_written_entry(built: builder.BuildResult) -> None:
    entry = (
        JournalEntry.objects.filter(network=built.network, visibility="network")
        .order_by("pk")
        .first()
    )
    assert entry is not None
    word = max(search.query_words(entry.title), key=len)
    page = search.search(entry.author, built.network, word, kind="journal", limit=100)
    assert entry.title in [result.title for result in page.results]


def test_a_cohort_page_renders_for_its_members(built: builder.BuildResult) -> None:
    story = Cohort.objects.get(network=built.network, slug=builder.LOGINS_COHORT)
    stories = {c.pk for c in builder.story_cohorts(built.network)}
    other = (
        Cohort.objects.filter(network=built.network, status=CohortStatus.ACTIVE)
        .exclude(pk__in=stories)
        .order_by("slug")
        .first()
    )
    assert other is not None
    for cohort in (story, other):
        place = CohortMembership.objects.active().filter(cohort=cohort).order_by("pk").first()
        assert place is not None
        client = Client()
        client.force_login(place.user)
        page = client.get(f"/n/{data.NETWORK_SLUG}/c/{cohort.slug}/")
        assert page.status_code == 200
        assert cohort.name in page.content.decode()


def test_the_figures_weekly_counts_are_written(built: builder.BuildResult) -> None:
    cohorts = Cohort.objects.filter(network=built.network)
    assert CohortWeeks.objects.filter(cohort__in=cohorts).count() == cohorts.count()
    assert CohortWeek.objects.filter(cohort__in=cohorts).exists()
    assert not set(weekly.due()) & set(cohorts.values_list("pk", flat=True))
