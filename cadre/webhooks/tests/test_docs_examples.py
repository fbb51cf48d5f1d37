"""docs/webhooks.md is run: each example body has exactly the fields the event's builder
writes, every event of the catalogue has one, and the verification code verifies."""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from cadre.accountability.models import Blocker, Commitment, Experiment, ProgressUpdate
from cadre.cohorts.models import CohortMembership
from cadre.metrics.models import Metric, Observation
from cadre.schedule.models import Session, SessionReport
from cadre.webhooks import events, signing

DOC = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), flags=re.S)


def shape(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    return None


def built(cast) -> dict[str, Any]:
    now = timezone.now()
    commitment = Commitment.objects.create(
        cohort=cast.cohort, owner=cast.member, text="t", due_on=now.date()
    )
    update = ProgressUpdate.objects.create(
        cohort=cast.cohort, author=cast.member, commitment=commitment
    )
    blocker = Blocker.objects.create(update=update, text="x")
    experiment = Experiment.objects.create(
        cohort=cast.cohort,
        owner=cast.member,
        title="t",
        capability="c",
        hypothesis="h",
        plan="p",
        starts_on=now.date(),
        ends_on=now.date() + timedelta(days=14),
        measure="m",
        outcome="succeeded",
    )
    session = Session.objects.create(cohort=cast.cohort, starts_at=now, held_at=now)
    report = SessionReport.objects.create(
        session=session, status="published", published_at=now, published_by=cast.host
    )
    metric = Metric.objects.create(
        network=cast.network, cohort=cast.cohort, name="Minutes", target=Decimal(30), unit="m"
    )
    observation = Observation.objects.create(
        metric=metric, value=Decimal("42.5"), observed_on=now.date(), recorded_by=cast.host
    )
    place = CohortMembership.objects.get(user=cast.member)
    made = {
        "member.joined": events.membership("member.joined", place.pk),
        "cohort.published": events.cohort("cohort.published", cast.cohort.pk),
        "session.held": events.session("session.held", session.pk),
        "report.published": events.report("report.published", report.pk),
        "commitment.made": events.commitment("commitment.made", commitment.pk),
        "blocker.posted": events.blocker("blocker.posted", blocker.pk),
        "experiment.finished": events.experiment("experiment.finished", experiment.pk),
        "metric.recorded": events.observation("metric.recorded", observation.pk),
    }
    out = {name: events.envelope(name, pair[1]) for name, pair in made.items() if pair}
    out["webhook.test"] = events.envelope("webhook.test", events.test(cast.network))
    return out


def test_every_example_body_has_the_fields_its_builder_writes(cast):
    documented = {body["type"]: body for body in map(json.loads, blocks("json"))}
    real = built(cast)
    assert set(real) == set(documented) - {"member.left"}
    for name, body in real.items():
        assert shape(documented[name]) == shape(body), name


def test_every_event_of_the_catalogue_is_documented():
    text = DOC.read_text()
    assert [name for name in events.NAMES if f"**`{name}`**" not in text] == []


def test_the_documented_verification_code_verifies_what_cadre_signs():
    (code,) = blocks("python")
    scope: dict[str, Any] = {}
    exec(code, scope)  # the docs' own example, run as written
    secret, body = signing.new_secret(), '{"type":"webhook.test"}'
    headers = signing.headers(secret, "msg_doc", int(time.time()), body)
    assert scope["verify"](secret, headers, body.encode())
    assert not scope["verify"](secret, headers, b'{"type":"webhook.tost"}')
    stale = signing.headers(secret, "msg_doc", int(time.time()) - 600, body)
    assert not scope["verify"](secret, stale, body.encode())
