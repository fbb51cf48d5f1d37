"""A retired skill is no longer offered when something new is tagged (a journal entry, an
experiment, a library item, a blocker, a cohort's targets), but an item that already names
it keeps it when edited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from cadre.accountability.models import Experiment
from cadre.networks.models import Skill

C = ("northwind", "reliability")


def _skills(cast: Any) -> tuple[Skill, Skill]:
    kept = Skill.objects.create(network=cast.network, name="Chaos drills")
    retired = Skill.objects.create(
        network=cast.network, name="Pager rotas", retired_at=timezone.now()
    )
    return kept, retired


def test_new_things_are_not_offered_a_retired_skill(cast: Any, client_for: Any) -> None:
    kept, retired = _skills(cast)
    member = client_for(cast.member)
    for url in (
        reverse("journal:new", args=[C[0]]),
        reverse("accountability:experiment_new", args=C),
        reverse("accountability:update_new", args=C),
    ):
        html = member.get(url).content.decode()
        assert kept.name in html, url
        assert retired.name not in html, url
    targets = client_for(cast.host).get(reverse("diagnostics:targets", args=C))
    assert kept.name in targets.content.decode()
    assert retired.name not in targets.content.decode()


def test_an_experiment_that_names_a_retired_skill_keeps_it(cast: Any, client_for: Any) -> None:
    _, retired = _skills(cast)
    today = timezone.localdate()
    experiment = Experiment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        title="Rotas",
        skill=retired,
        capability="On-call",
        hypothesis="Shorter shifts",
        plan="Try it",
        starts_on=today,
        ends_on=today + timedelta(days=14),
        measure="Pages",
    )
    url = reverse("accountability:experiment_edit", args=[*C, experiment.pk])
    html = client_for(cast.member).get(url).content.decode()
    assert f'<option value="{retired.pk}" selected>{retired.name}</option>' in html
