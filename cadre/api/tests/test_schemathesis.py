"""Schemathesis against the whole API, in-process: every operation of the OpenAPI document,
with requests generated from it (valid and invalid), sent by each role with a real token, on
the demo network. Each answer must not be a 5xx, must be a status the document lists for the
operation, with a body its schema allows, and every error must have the one error shape.

Bounded and repeatable: the clock is stopped, generation is derandomized and each operation
gets a few examples; each example runs in a savepoint that is rolled back, so every example
starts from the same demo network and writes are tried without piling up."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
import time_machine
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.errors import InvalidSchema
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Err, Result
from schemathesis.specs.openapi import checks as openapi_checks

from cadre.api.models import ApiToken
from cadre.demo import data
from cadre.demo.builder import MIN_PEOPLE, build_demo
from cadre.wsgi import application

DOCUMENT_URL = "/api/openapi.json"
# Examples per operation, valid and invalid ones together; each is sent by every role.
MAX_EXAMPLES = 6
PEOPLE = MIN_PEOPLE  # in the demo network: the fewest `cadre demo` builds
# The demo's log-ins: a cohort member, the host of that cohort, the network's organizer and
# admin, and a member of the other network (Southgate), who must see nothing of Northwind.
ROLES = ("member", "facilitator", "organizer", "admin", "outsider")

NOW = datetime(2026, 3, 18, 9, 30, tzinfo=UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(NOW, tick=False)]


def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """An error answers {"error": {"code", "message", "fields"?, "detail"?}}."""
    if response.status_code < 400:
        return None
    body = response.json()
    assert set(body) == {"error"}, f"an error body has only `error`: {body}"
    error = body["error"]
    assert set(error) <= {"code", "message", "fields", "detail"}, error
    assert re.fullmatch(r"[a-z]+(_[a-z]+)*", error["code"]), error
    assert isinstance(error["message"], str) and error["message"], error
    if response.status_code == 422:
        assert error["code"] == "validation_error" and error.get("fields"), error
    return True


CHECKS = [
    not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    error_shape,
]


def rows(queryset: Any, **lookups: str) -> list[dict[str, Any]]:
    """One set of path parameters per row: parameter name -> the row's value at `lookup`."""
    names = list(lookups)
    found = queryset.order_by("pk").values_list(*lookups.values())
    return [dict(zip(names, values, strict=True)) for values in found]


def path_values() -> dict[str, list[dict[str, Any]]]:
    """Path parameters that name something that exists, all of a path's parameters together,
    keyed by the path's last parameter and the segment before it ("commitments/{pk}")."""
    from cadre.accountability.models import Blocker, Commitment, Experiment, HelpOffer
    from cadre.coaching.models import CoachingSession, CoachPrompt, Feedback
    from cadre.cohorts.models import Cohort, CohortMembership
    from cadre.conversation.models import Comment, Notification
    from cadre.formation.models import Application, FormationRun, Intake
    from cadre.journal.models import JournalEntry
    from cadre.metrics import builtins
    from cadre.metrics.models import Metric
    from cadre.networks.models import Network, NetworkMembership, Skill
    from cadre.pairings.models import MeetingCheck
    from cadre.programmes.models import Programme
    from cadre.repository.models import PartnerGroup, RepositoryItem
    from cadre.rotations.models import CoffeeRound, PairingExclusion, Ritual
    from cadre.schedule.models import Holiday, MentorMatch, RoleSwap, Session, SessionReport
    from cadre.sso.models import IdentityProvider
    from cadre.webhooks.models import Delivery, Endpoint

    in_cohort = {"slug": "cohort__network__slug", "cohort": "cohort__slug"}
    cohorts = rows(Cohort.objects, slug="network__slug", cohort="slug")
    charts = ["follow-through-by-week", "composition", *sorted(builtins.BUILTINS)]
    return {
        "networks/{slug}": rows(Network.objects, slug="slug"),
        "skills/{skill}": rows(Skill.objects, slug="network__slug", skill="pk"),
        "webhooks/{endpoint}": rows(Endpoint.objects, slug="network__slug", endpoint="pk"),
        "providers/{provider}": rows(IdentityProvider.objects, slug="network__slug", provider="pk"),
        "deliveries/{delivery}": rows(
            Delivery.objects, slug="endpoint__network__slug", endpoint="endpoint_id", delivery="pk"
        ),
        "members/{user_id}": rows(
            NetworkMembership.objects, slug="network__slug", user_id="user_id"
        ),
        "cohorts/{cohort}": cohorts,
        "growth/{user_id}": rows(CohortMembership.objects, **in_cohort, user_id="user_id"),
        "memberships/{user_id}": rows(CohortMembership.objects, **in_cohort, user_id="user_id"),
        "intakes/{intake}": rows(Intake.objects, slug="network__slug", intake="slug"),
        # The demo's waitlists may be empty: its applicants name real people of an intake.
        "waitlist/{user_id}": rows(
            Application.objects,
            slug="intake__network__slug",
            intake="intake__slug",
            user_id="user_id",
        ),
        "runs/{run}": rows(
            FormationRun.objects, slug="intake__network__slug", intake="intake__slug", run="pk"
        ),
        "sessions/{session}": rows(Session.objects, **in_cohort, session="pk"),
        "attendance/{user}": rows(
            CohortMembership.objects.filter(cohort__sessions__isnull=False),
            **in_cohort,
            session="cohort__sessions__pk",
            user="user_id",
        ),
        "rituals/{ritual}": rows(Ritual.objects, slug="network__slug", ritual="pk"),
        "rounds/{number}": rows(
            CoffeeRound.objects, slug="ritual__network__slug", ritual="ritual_id", number="number"
        ),
        "meeting-checks/{check}": rows(MeetingCheck.objects, slug="network__slug", check="pk"),
        "mentoring/{match}": rows(MentorMatch.objects, slug="network__slug", match="pk"),
        "exclusions/{exclusion}": rows(
            PairingExclusion.objects, slug="network__slug", exclusion="pk"
        ),
        "commitments/{pk}": rows(Commitment.objects, **in_cohort, pk="pk"),
        "blockers/{pk}": rows(
            Blocker.objects,
            slug="update__cohort__network__slug",
            cohort="update__cohort__slug",
            pk="pk",
        ),
        "offers/{pk}": rows(
            HelpOffer.objects,
            slug="blocker__update__cohort__network__slug",
            cohort="blocker__update__cohort__slug",
            pk="pk",
        ),
        "sessions/{pk}": rows(CoachingSession.objects, **in_cohort, pk="pk"),
        "prompts/{pk}": rows(
            CoachPrompt.objects.filter(network__cohorts__isnull=False),
            slug="network__slug",
            cohort="network__cohorts__slug",
            pk="pk",
        ),
        "feedback/{pk}": rows(Feedback.objects, **in_cohort, pk="pk"),
        "comments/{pk}": rows(Comment.objects, **in_cohort, pk="pk"),
        "notifications/{pk}": rows(Notification.objects, pk="pk"),
        "journal/{pk}": rows(JournalEntry.objects, slug="network__slug", pk="pk"),
        "items/{pk}": rows(RepositoryItem.objects, slug="network__slug", pk="pk"),
        "experiment/{pk}": rows(Experiment.objects, slug="cohort__network__slug", pk="pk"),
        "report/{pk}": rows(SessionReport.objects, slug="session__cohort__network__slug", pk="pk"),
        "partner-groups/{pk}": rows(PartnerGroup.objects, slug="network__slug", pk="pk"),
        "metrics/{pk}": rows(Metric.objects, slug="network__slug", pk="pk"),
        "charts/{name}": [{**cohort, "name": name} for cohort in cohorts for name in charts],
        "holidays/{holiday}": rows(
            Holiday.objects.filter(cohort__isnull=False),
            slug="network__slug",
            cohort="cohort__slug",
            holiday="pk",
        ),
        "programmes/{programme}": rows(Programme.objects, slug="network__slug", programme="pk"),
        "swaps/{swap}": rows(
            RoleSwap.objects,
            slug="session__cohort__network__slug",
            cohort="session__cohort__slug",
            swap="pk",
        ),
    }


def add_webhook() -> None:
    """The demo sets up no webhooks: one endpoint of its network, with one test delivery."""
    from cadre.networks.models import Network
    from cadre.webhooks import events
    from cadre.webhooks.models import Delivery, Endpoint
    from cadre.webhooks.signing import new_secret

    network = Network.objects.order_by("pk").first()
    assert network is not None
    endpoint = Endpoint.objects.create(
        network=network, url="https://hooks.example.test/in", secret=new_secret()
    )
    Delivery.objects.create(
        endpoint=endpoint,
        event_type="webhook.test",
        message_id="msg_schemathesis",
        payload=events.envelope("webhook.test", events.test(network)),
    )


def add_sso_provider() -> None:
    """The demo sets up no single sign-on: one OpenID Connect provider of its network."""
    from cadre.networks.models import Network
    from cadre.sso.models import IdentityProvider

    network = Network.objects.order_by("pk").first()
    assert network is not None
    IdentityProvider.objects.create(
        network=network,
        protocol="oidc",
        name="Contoso",
        slug="schemathesis-contoso",
        domains=["contoso.test"],
        server_url="https://login.contoso.test/o",
        client_id="cadre",
        client_secret="schemathesis-secret",
    )


def add_holiday_and_swap() -> None:
    """The demo lists no holidays and has no swap requests: one of each, in the first
    upcoming session that has two roles."""
    from cadre.schedule.models import Holiday, RoleAssignment, RoleSwap

    first = (
        RoleAssignment.objects.filter(session__starts_at__gt=NOW)
        .select_related("session__cohort__network")
        .order_by("session__starts_at", "pk")
        .first()
    )
    assert first is not None, "the demo has upcoming sessions with roles"
    other = RoleAssignment.objects.filter(session=first.session).exclude(pk=first.pk).first()
    assert other is not None
    cohort = first.session.cohort
    Holiday.objects.create(
        network=cohort.network,
        cohort=cohort,
        on=first.session.starts_at.date() + timedelta(days=1),
        name="Offsite",
    )
    RoleSwap.objects.create(
        session=first.session, role=first.role, asked_by=first.user, partner=other.user
    )


def last_parameter(path: str) -> str:
    """The key of path_values() for a path: its last parameter with the segment before it."""
    segment, name = re.findall(r"([^/]+)/\{(\w+)\}", path)[-1]
    return f"{segment}/{{{name}}}"


@dataclass
class Demo:
    tokens: dict[str, str]
    path_values: dict[str, list[dict[str, Any]]]


# The demo network of the module, for the hook below (set by the `demo` fixture).
DEMO: Demo | None = None


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Demo]:
    """The demo network, built once for the module in a transaction that is
    rolled back at its end; each test runs in a savepoint inside it."""
    global DEMO
    from cadre.accounts.models import User
    from cadre.formation import proposals
    from cadre.formation.models import Intake

    with django_db_blocker.unblock(), time_machine.travel(NOW, tick=False), transaction.atomic():
        build_demo(people=PEOPLE)
        emails = {p.key: p.email for p in (*data.FIXED_PEOPLE, data.OUTSIDER)}
        # The demo's intake has applications but no formation run yet: one, run here.
        organizer = User.objects.get(email=emails["organizer"])
        run = proposals.start_run(Intake.objects.get(), organizer, seconds=0.2, seed=5)
        proposals.execute_run(run.pk)
        add_holiday_and_swap()
        add_webhook()
        add_sso_provider()
        tokens = {
            role: ApiToken.issue(User.objects.get(email=emails[role]), "schemathesis")[1]
            for role in ROLES
        }
        DEMO = Demo(tokens=tokens, path_values=path_values())
        yield DEMO
        DEMO = None
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _keep_test_connection() -> Iterator[None]:
    """Requests go to Cadre's WSGI application, as `cadre serve` runs it, except that they do
    not close the test's database connection (which Django's own test client arranges too)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def _unlimited_rate(settings: Any) -> None:
    # The rate limits are tested on their own; here they would only cut the run short.
    settings.CADRE_API_RATE = "1000000/m"
    settings.CADRE_SEARCH_RATE = "1000000/m"


@pytest.fixture
def _quiet_client_errors(caplog: Any) -> None:
    # Django logs every 4xx as a warning: thousands here, which would bury a failure's report.
    # Server errors are still logged.
    caplog.set_level(logging.ERROR, logger="django.request")


schema = schemathesis.openapi.from_wsgi(DOCUMENT_URL, application)


def operation(
    result: Result[schemathesis.APIOperation, InvalidSchema],
) -> schemathesis.APIOperation:
    """An operation of the document; one schemathesis cannot read fails the whole module."""
    if isinstance(result, Err):
        raise result.err()
    return result.ok()


OPERATIONS = {op.label: op for op in map(operation, schema.get_all_operations())}
# Derandomized: the same examples on every run. No example database, no deadline (a request
# that builds a rota takes its time); health checks would only stop slow strategies.
EXAMPLES = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Path parameters mostly name something that exists in the demo (in either network),
    sometimes they are the made-up ones generated from the schema."""
    assert DEMO is not None
    if not path_parameters:
        return st.just(path_parameters)
    existing = DEMO.path_values[last_parameter(context.operation.path)]
    return st.sampled_from([*existing, path_parameters])


def send_as_every_role(case: Any, tokens: dict[str, str]) -> None:
    """Send one generated request as each role and check each answer, then roll the writes
    back, so that every example starts from the same demo network."""
    with transaction.atomic():
        for role, token in tokens.items():
            headers = {"Authorization": f"Bearer {token}"}
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (AssertionError, FailureGroup) as exc:
                exc.add_note(f"Sent as the demo's {role}.")
                raise
        transaction.set_rollback(True)


@pytest.mark.usefixtures("_unlimited_rate", "_quiet_client_errors")
@pytest.mark.parametrize("label", list(OPERATIONS))
def test_every_operation_as_every_role(label: str, demo: Demo) -> None:
    operation = OPERATIONS[label]
    requests = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @EXAMPLES
    @hypothesis.given(case=requests)
    def examples(case: Any) -> None:
        send_as_every_role(case, demo.tokens)

    examples()


def test_the_demo_names_something_for_every_path_with_parameters(demo: Demo) -> None:
    """A new kind of path parameter needs values in path_values(), or schemathesis would only
    ever send made-up ones there and see 404s."""
    for label, operation in OPERATIONS.items():
        names = set(re.findall(r"\{(\w+)\}", operation.path))
        if names:
            existing = demo.path_values.get(last_parameter(operation.path))
            assert existing, f"{label}: no values in path_values()"
            assert all(set(row) == names for row in existing), label


class Answer:
    def __init__(self, status_code: int, body: Any) -> None:
        self.status_code = status_code
        self.body = body

    def json(self) -> Any:
        return self.body


@pytest.mark.parametrize(
    "status, body",
    [
        (404, {"detail": "Not found"}),  # django-ninja's own shape
        (404, {"error": {"code": "Not Found", "message": "No such network."}}),
        (403, {"error": {"code": "forbidden", "message": ""}}),
        (422, {"error": {"code": "validation_error", "message": "Not valid."}}),  # no fields
        (400, {"error": {"code": "bad_request", "message": "Bad.", "trace": "..."}}),
    ],
)
def test_the_error_shape_check_refuses_other_shapes(status: int, body: Any) -> None:
    with pytest.raises(AssertionError):
        error_shape(None, Answer(status, body), None)


def test_the_error_shape_check_takes_the_api_errors() -> None:
    body = {"error": {"code": "validation_error", "message": "No.", "fields": {"x": ["y"]}}}
    assert error_shape(None, Answer(422, body), None)
    assert error_shape(None, Answer(200, {"items": []}), None) is None


def test_the_api_guide_describes_this_run() -> None:
    guide = (Path(__file__).parents[3] / "docs" / "api.md").read_text()
    run = guide.split("### Schemathesis", 1)[1]
    assert "python -m pytest cadre/api/tests/test_schemathesis.py" in run
    assert f"{MAX_EXAMPLES} examples per operation" in run
    assert f"{NOW:%Y-%m-%d %H:%M} UTC" in run
    assert f"{PEOPLE} people" in run
