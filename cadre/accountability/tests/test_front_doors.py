"""Every place a commitment is made — the board, a running session's capture box, coaching's
next step (page and API) and the commitments API — goes through
services.make_commitment: the same text gets the same verdict and the same rewrite at each,
a commitment is never made without a due date, and no other code makes one."""

from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from cadre.accountability import services
from cadre.accountability.models import Commitment
from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller
from cadre.coaching.tests.helpers import session as coaching_session
from cadre.engine.linting.dates import format_day
from cadre.schedule.tests.helpers import add_members, make_held_session

COHORT = "/networks/northwind/cohorts/reliability"


@dataclass
class Answer:
    """What one front door said about one commitment, in the same shape for pages and API."""

    saved: bool
    problems: list[tuple[str, str]] = field(default_factory=list)
    suggestion: str = ""
    missing: list[str] = field(default_factory=list)
    prompts: list[str] = field(default_factory=list)
    due_error: bool = False  # the due date was refused, naming the field


def from_page(response: Any, saved: bool) -> Answer:
    page = response.content.decode()
    banner = re.search(r'<div class="banner" role="alert" id="lint">(.*?)</div>', page, re.S)
    found = banner.group(1) if banner else ""
    problems = re.findall(r'<li data-code="([a-z_]+)">(.*?)</li>', found, re.S)
    suggestion = re.search(r'<q id="suggestion">(.*?)</q>', found, re.S)
    parts = re.findall(r'<li data-part="([a-z]+)">(.*?)</li>', found, re.S)
    return Answer(
        saved=saved,
        problems=[(code, html.unescape(message)) for code, message in problems],
        suggestion=html.unescape(suggestion.group(1)) if suggestion else "",
        missing=[part for part, _prompt in parts],
        prompts=[html.unescape(prompt) for _part, prompt in parts],
        due_error="Every commitment has a due date" in page,
    )


def from_api(response: Any) -> Answer:
    if response.status_code == 201:
        return Answer(saved=True)
    assert response.status_code == 422, response.content
    error = response.json()["error"]
    detail, rewrite = error["detail"], error["detail"]["rewrite"]
    return Answer(
        saved=False,
        problems=[(p["code"], p["message"]) for p in detail["problems"]]
        if not detail["ok"]
        else [],
        suggestion=detail["suggestion"] if not detail["ok"] else "",
        missing=rewrite["missing"] if not detail["ok"] else [],
        prompts=list(rewrite["prompts"].values()) if not detail["ok"] else [],
        due_error="due_on" in error["fields"],
    )


@pytest.fixture
def api_as() -> Any:
    """api_as(user) -> an ApiCaller with a freshly issued token of `user`, as in the API's
    own tests."""
    return lambda user: ApiCaller(Client(), ApiToken.issue(user, "tests")[1])


@pytest.fixture
def doors(cast: Any, client_for: Any, api_as: Any) -> dict[str, Any]:
    """door(text, due_on=None, keep=False) -> Answer, for each front door, as the member."""
    note_taker = add_members(cast.cohort, 1)[0]
    held = make_held_session(cast.cohort, facilitator=cast.host, note_taker=note_taker)

    def board(text: str, due_on: str = "", keep: bool = False) -> Answer:
        data = {"text": text, "due_on": due_on, "visibility": "cohort"}
        before = Commitment.objects.count()
        response = client_for(cast.member).post(
            reverse("accountability:commitment_new", args=["northwind", "reliability"]),
            {**data, **({"keep_anyway": "on"} if keep else {})},
        )
        return from_page(response, Commitment.objects.count() > before)

    def capture(text: str, due_on: str = "", keep: bool = False) -> Answer:
        # The host runs the session and captures what the member says.
        before = Commitment.objects.count()
        response = client_for(cast.host).post(
            reverse("schedule:commitment", args=["northwind", "reliability", held.pk]),
            {
                "owner": cast.member.pk,
                "text": text,
                "due_on": due_on,
                **({"keep": "on"} if keep else {}),
            },
            headers={"HX-Request": "true"},
        )
        return from_page(response, Commitment.objects.count() > before)

    def coaching_page(text: str, due_on: str = "", keep: bool = False) -> Answer:
        coaching = coaching_session(cast.cohort, cast.member, cast.host)
        data = {"text": text, "due_on": due_on, "visibility": "cohort"}
        response = client_for(cast.member).post(
            reverse(
                "peer_coaching:session_commitment", args=["northwind", "reliability", coaching.pk]
            ),
            {**data, **({"keep_anyway": "on"} if keep else {})},
        )
        coaching.refresh_from_db()
        return from_page(response, coaching.commitment_id is not None)

    def coaching_api(text: str, due_on: str = "", keep: bool = False) -> Answer:
        coaching = coaching_session(cast.cohort, cast.member, cast.host)
        body: dict[str, Any] = {"text": text, "keep_anyway": keep}
        if due_on:
            body["due_on"] = due_on
        return from_api(
            api_as(cast.member).post(f"{COHORT}/coaching/sessions/{coaching.pk}/commitment", body)
        )

    def commitments_api(text: str, due_on: str = "", keep: bool = False) -> Answer:
        body: dict[str, Any] = {"text": text, "keep_anyway": keep}
        if due_on:
            body["due_on"] = due_on
        return from_api(api_as(cast.member).post(f"{COHORT}/commitments", body))

    return {
        "board": board,
        "capture box": capture,
        "coaching page": coaching_page,
        "coaching API": coaching_api,
        "commitments API": commitments_api,
    }


REFUSED = [
    ("work on the prototype", 0),
    ("Look into the latency spikes by {soon}", None),
    ("I'll try to send the contract to legal", 2),
    ("Be a better listener", 2),
    ("practice the incident briefing for tuesday's session", 3),
    ("Do the thing we discussed", 1),
]


@pytest.mark.parametrize(("text", "due_in"), REFUSED, ids=[t for t, _d in REFUSED])
def test_every_front_door_gives_the_same_verdict_and_rewrite(cast, doors, text, due_in):
    today = cast.cohort.today()
    due = "" if due_in is None else (today + timedelta(days=due_in)).isoformat()
    text = text.format(soon=format_day(today + timedelta(days=9), today))
    answers = {name: door(text, due) for name, door in doors.items()}
    first = answers["board"]
    assert not first.saved and first.problems, first
    for name, answer in answers.items():
        assert answer == first, (name, answer, first)
    assert not Commitment.objects.exists()


def test_every_front_door_asks_for_a_due_date_and_keep_anyway_does_not_lift_it(cast, doors):
    for name, door in doors.items():
        answer = door("work on the runbook", "", keep=True)
        assert not answer.saved and answer.due_error, name
    assert not Commitment.objects.exists()
    # "Before the next session" is a deadline, but none is planned: it has no date yet.
    for name, door in doors.items():
        answer = door("Send the runbook to the on-call team before the next session", "")
        assert not answer.saved and answer.due_error and not answer.problems, name
    assert not Commitment.objects.exists()


def test_every_front_door_saves_through_the_service_with_the_same_record(cast, doors):
    due = (cast.cohort.today() + timedelta(days=2)).isoformat()
    with mock.patch.object(services, "make_commitment", wraps=services.make_commitment) as spy:
        for name, door in doors.items():
            assert door("Send the runbook to the on-call team", due).saved, name
            assert door("work on the runbook", due, keep=True).saved, name
    assert spy.call_count == 2 * len(doors)
    made = list(Commitment.objects.order_by("pk"))
    assert len(made) == 2 * len(doors)
    good, kept = made[0::2], made[1::2]
    for commitment in good:
        assert (commitment.owner, commitment.due_on.isoformat(), commitment.kept_anyway) == (
            cast.member,
            due,
            False,
        )
        assert commitment.lint_problems == []
    for commitment in kept:
        assert commitment.kept_anyway is True and commitment.due_on.isoformat() == due
        assert commitment.lint_problems == kept[0].lint_problems != []


# --- no other way in ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
# Where Commitment rows may be written directly: the service, and the tests' data (the demo
# makes its commitments through the service too).
ALLOWED = {ROOT / "accountability" / "services.py"}
SKIPPED_DIRS = {"tests", "migrations"}
WRITES = {"create", "get_or_create", "update_or_create", "bulk_create"}


def _names(node: ast.AST) -> str:
    """ "Commitment.objects.create" for the function a call names."""
    if isinstance(node, ast.Attribute):
        return f"{_names(node.value)}.{node.attr}"
    if isinstance(node, ast.Name):
        return node.id
    return "?"


def direct_writes(source: str) -> list[str]:
    """Every place in `source` that makes a Commitment without the service: a create on its
    manager or on a related `commitments` manager, `Commitment(...)`, or a ModelForm of it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = _names(node.func)
            parts = name.split(".")
            if parts[-1] in WRITES and (
                "Commitment" in parts[:-1] or parts[-2:-1] == ["commitments"]
            ):
                found.append(f"line {node.lineno}: {name}(...)")
            if parts[-1] == "Commitment":
                found.append(f"line {node.lineno}: {name}(...)")
        if isinstance(node, ast.ClassDef) and node.name == "Meta":
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(_names(t) == "model" for t in statement.targets)
                    and _names(statement.value).split(".")[-1] == "Commitment"
                ):
                    found.append(f"line {node.lineno}: a ModelForm of Commitment")
    return found


def test_the_gate_sees_the_ways_a_commitment_could_be_made():
    assert direct_writes("Commitment.objects.create(text='x')")
    assert direct_writes("models.Commitment.objects.get_or_create(text='x')")
    assert direct_writes("cohort.commitments.create(text='x')")
    assert direct_writes("Commitment(text='x').save()")
    assert direct_writes("class F:\n    class Meta:\n        model = Commitment\n")
    assert not direct_writes("Commitment.objects.filter(text='x').update(status='done')")


def test_no_front_door_makes_a_commitment_without_the_service():
    offenders = {}
    for path in sorted(ROOT.rglob("*.py")):
        if path in ALLOWED or SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        if found := direct_writes(path.read_text(encoding="utf-8")):
            offenders[str(path.relative_to(ROOT.parent))] = found
    assert offenders == {}, "make commitments with accountability.services.make_commitment"


def test_the_admin_does_not_add_commitments(cast):
    request = RequestFactory().get("/admin/")
    request.user = cast.admin
    request.user.is_superuser = True
    assert admin.site._registry[Commitment].has_add_permission(request) is False


def test_a_due_date_in_the_text_outside_the_date_range_is_refused_by_the_service(cast):
    """The range rule (cadre.lib.dates) holds for a date read from the text too, whatever the
    front door: the service refuses it under the due-date field."""
    from cadre.accountability.services import CommitmentRefused, make_commitment
    from cadre.lib.dates import RANGE_MESSAGE

    with pytest.raises(CommitmentRefused) as refused:
        make_commitment(
            cohort=cast.cohort,
            owner=cast.member,
            text="Send the postmortem to the team by 2301-01-05",
            keep_anyway=True,
        )
    assert refused.value.errors["due_on"] == [RANGE_MESSAGE]
    assert not Commitment.objects.exists()
