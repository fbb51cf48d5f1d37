"""Each write the board offers at both front doors, made through the page (as the person, with
the form's fields) and through the API, on two identical fresh set-ups: the rows it leaves
are the same, and so is the sentence of a refusal. Both doors call
cadre.accountability.services; these tests catch a door that grows a rule of its own."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import models, transaction
from django.test import Client
from django.urls import reverse

from cadre.accountability.models import (
    Blocker,
    Commitment,
    CommitmentStatus,
    Experiment,
    HelpOffer,
    Kudos,
    ProgressUpdate,
)
from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller

from .helpers import GOOD, block, commit

pytestmark = pytest.mark.time_machine(datetime(2027, 3, 10, 9, 0, tzinfo=UTC), tick=False)

COHORT = "/networks/northwind/cohorts/reliability"
BOARD_MODELS = [Commitment, Kudos, ProgressUpdate, Blocker, HelpOffer, Experiment]


def row(obj: models.Model) -> dict[str, Any]:
    """A row's fields, ids aside: a foreign key as what it points to, a many-to-many as the
    sorted things it holds."""
    found: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            related = getattr(obj, field.name)
            found[field.name] = None if related is None else str(related)
        else:
            found[field.name] = getattr(obj, field.attname)
    for field in obj._meta.many_to_many:
        found[field.name] = sorted(str(x) for x in getattr(obj, field.name).all())
    return found


def board_rows() -> dict[str, list[dict[str, Any]]]:
    return {
        model.__name__: [row(obj) for obj in model._default_manager.order_by("pk")]
        for model in BOARD_MODELS
    }


def through_both_doors(
    setup: Callable[[], Any], page: Callable[[Any], Any], api: Callable[[Any], Any]
) -> tuple[Any, Any]:
    """Run `setup` then one door, once per door, each in a transaction rolled back after:
    ((page answer, rows), (API answer, rows))."""
    outcomes = []
    for door in (page, api):
        with transaction.atomic():
            answer = door(setup())
            outcomes.append((answer, board_rows()))
            transaction.set_rollback(True)
    return outcomes[0], outcomes[1]


@pytest.fixture
def api_as():
    """api_as(user) -> an ApiCaller with a fresh personal token of `user`."""
    return lambda user: ApiCaller(Client(), ApiToken.issue(user, "tests")[1])


@pytest.fixture
def url(cast):
    def build(name, *extra):
        return reverse(f"accountability:{name}", args=["northwind", "reliability", *extra])

    return build


def page_error(response: Any) -> str:
    """The sentence a refused page shows: the 403 page's, or the form's first error."""
    if response.status_code == 403:
        return str(response.context["exception"])
    context = response.context
    form = context["status_form"] if "status_form" in context else context["form"]
    return next(message for messages in form.errors.values() for message in messages)


def api_error(response: Any) -> str:
    return response.json()["error"]["message"]


def assert_same_rows(page: tuple[Any, Any], api: tuple[Any, Any], model: type) -> None:
    assert page[1] == api[1]
    assert page[1][model.__name__], "the write left no row"


# --- commitments ----------------------------------------------------------------------------


def test_making_a_commitment(cast, client_for, api_as, url):
    due = (cast.cohort.today() + timedelta(days=3)).isoformat()
    fields = {"text": GOOD, "deliverable": "The template", "due_on": due, "visibility": "cohort"}
    page, api = through_both_doors(
        lambda: None,
        lambda _: client_for(cast.member).post(url("commitment_new"), fields),
        lambda _: api_as(cast.member).post(f"{COHORT}/commitments", fields),
    )
    assert page[0].status_code == 302 and api[0].status_code == 201
    assert_same_rows(page, api, Commitment)

    vague = {"text": "work on the prototype", "due_on": due, "visibility": "cohort"}
    page, api = through_both_doors(
        lambda: None,
        lambda _: client_for(cast.member).post(url("commitment_new"), vague),
        lambda _: api_as(cast.member).post(f"{COHORT}/commitments", vague),
    )
    assert api[0].status_code == 422
    assert page_error(page[0]) == api_error(api[0])
    assert page[1] == api[1] and not page[1]["Commitment"]


def test_changing_a_commitments_status(cast, client_for, api_as, url):
    def setup():
        return commit(cast.member, cast.cohort)

    done = {"status": "done", "evidence": "https://x.test/doc"}
    page, api = through_both_doors(
        setup,
        lambda c: client_for(cast.member).post(url("commitment_status", c.pk), done),
        lambda c: api_as(cast.member).patch(f"{COHORT}/commitments/{c.pk}", done),
    )
    assert page[0].status_code == 302 and api[0].status_code == 200
    assert page[1]["Commitment"][0]["status"] == CommitmentStatus.DONE
    assert_same_rows(page, api, Commitment)

    for person, body in [(cast.member, {"status": "done"}), (cast.host, {"status": "dropped"})]:
        page, api = through_both_doors(
            setup,
            lambda c, p=person, b=body: client_for(p).post(url("commitment_status", c.pk), b),
            lambda c, p=person, b=body: api_as(p).patch(f"{COHORT}/commitments/{c.pk}", b),
        )
        assert api[0].status_code in (403, 422)
        assert page_error(page[0]) == api_error(api[0])
        assert page[1] == api[1]


def test_giving_kudos(cast, client_for, api_as, url):
    def setup():
        return commit(cast.member, cast.cohort, status="done", evidence="Shared")

    page, api = through_both_doors(
        setup,
        lambda c: client_for(cast.host).post(url("kudos", c.pk)),
        lambda c: api_as(cast.host).post(f"{COHORT}/commitments/{c.pk}/kudos"),
    )
    assert page[0].status_code == 302 and api[0].status_code == 201
    assert_same_rows(page, api, Kudos)

    page, api = through_both_doors(
        setup,
        lambda c: client_for(cast.member).post(url("kudos", c.pk)),
        lambda c: api_as(cast.member).post(f"{COHORT}/commitments/{c.pk}/kudos"),
    )
    assert page[0].status_code == api[0].status_code == 403
    assert page_error(page[0]) == api_error(api[0]) == "Kudos are for other people’s commitments."
    assert page[1] == api[1]


# --- updates, blockers and offers of help ---------------------------------------------------


def test_posting_an_update_with_a_blocker(cast, client_for, api_as, url):
    skill = cast.network.skills.get(name="Data analysis")

    def setup():
        return commit(cast.member, cast.cohort)

    def fields(c, **changes):
        return {
            "commitment": c.pk,
            "done": "Sketched the screens",
            "remaining": "Wire the data",
            "blocker": "Cannot read the metrics export",
            **changes,
        }

    page, api = through_both_doors(
        setup,
        lambda c: client_for(cast.member).post(url("update_new"), fields(c, skills=[skill.pk])),
        lambda c: api_as(cast.member).post(f"{COHORT}/updates", fields(c, skills=[skill.slug])),
    )
    assert page[0].status_code == 302 and api[0].status_code == 201
    assert page[1]["Blocker"][0]["skills"] == [str(skill)]
    assert_same_rows(page, api, ProgressUpdate)


def test_skills_without_a_blocker_are_refused_at_both_doors_not_dropped(
    cast, client_for, api_as, url
):
    skill = cast.network.skills.get(name="Data analysis")
    body = {"done": "Drafted it", "blocker": " "}
    page, api = through_both_doors(
        lambda: None,
        lambda _: client_for(cast.member).post(url("update_new"), {**body, "skills": [skill.pk]}),
        lambda _: api_as(cast.member).post(f"{COHORT}/updates", {**body, "skills": [skill.slug]}),
    )
    assert page[0].status_code == 200 and api[0].status_code == 422
    assert page_error(page[0]) == api_error(api[0])
    assert api[0].json()["error"]["fields"] == {"blocker": [api_error(api[0])]}
    assert page[1] == api[1] and not page[1]["ProgressUpdate"]


def test_an_empty_update_is_refused_with_one_sentence(cast, client_for, api_as, url):
    page, api = through_both_doors(
        lambda: None,
        lambda _: client_for(cast.member).post(url("update_new"), {"done": " "}),
        lambda _: api_as(cast.member).post(f"{COHORT}/updates", {"done": " "}),
    )
    assert page_error(page[0]) == api_error(api[0])
    assert page[1] == api[1] and not page[1]["ProgressUpdate"]


def test_offering_help(cast, client_for, api_as, url):
    def setup():
        return block(cast.member, cast.cohort)

    message = {"message": "I know that export"}
    page, api = through_both_doors(
        setup,
        lambda b: client_for(cast.host).post(url("offer", b.pk), message),
        lambda b: api_as(cast.host).post(f"{COHORT}/blockers/{b.pk}/offers", message),
    )
    assert page[0].status_code == 302 and api[0].status_code == 201
    assert page[1]["Blocker"][0]["first_offer_at"] is not None
    assert_same_rows(page, api, HelpOffer)

    page, api = through_both_doors(
        setup,
        lambda b: client_for(cast.member).post(url("offer", b.pk), message),
        lambda b: api_as(cast.member).post(f"{COHORT}/blockers/{b.pk}/offers", message),
    )
    assert page[0].status_code == api[0].status_code == 403
    assert page_error(page[0]) == api_error(api[0])
    assert page[1] == api[1] and not page[1]["HelpOffer"]


def test_accepting_an_offer(cast, client_for, api_as, url):
    def setup():
        return block(cast.member, cast.cohort).offer(cast.host, "I can help")

    page, api = through_both_doors(
        setup,
        lambda o: client_for(cast.member).post(url("accept", o.pk)),
        lambda o: api_as(cast.member).post(f"{COHORT}/offers/{o.pk}/accept"),
    )
    assert page[0].status_code == 302 and api[0].status_code == 200
    assert page[1]["Blocker"][0]["resolved_at"] is not None
    assert_same_rows(page, api, HelpOffer)

    page, api = through_both_doors(
        setup,
        lambda o: client_for(cast.host).post(url("accept", o.pk)),
        lambda o: api_as(cast.host).post(f"{COHORT}/offers/{o.pk}/accept"),
    )
    assert page[0].status_code == api[0].status_code == 403
    assert page_error(page[0]) == api_error(api[0])
    assert page[1] == api[1] and page[1]["Blocker"][0]["resolved_at"] is None


# --- experiments ----------------------------------------------------------------------------


def test_starting_an_experiment(cast, client_for, api_as, url):
    skill = cast.network.skills.get(name="Facilitation")
    fields = {
        "title": "Game day in staging",
        "capability": "Incident response",
        "hypothesis": "A game day halves our recovery time",
        "plan": "Break the cache on purpose",
        "starts_on": "2027-03-15",
        "ends_on": "2027-03-29",
        "measure": "Minutes to recover",
        "baseline": "45",
        "result_data": "",
        "outcome": "running",
        "learnings": "",
        "next_steps": "",
        "visibility": "private",
    }
    page, api = through_both_doors(
        lambda: None,
        lambda _: client_for(cast.member).post(
            url("experiment_new"), {**fields, "skill": skill.pk}
        ),
        lambda _: api_as(cast.member).post(
            f"{COHORT}/experiments", {**fields, "skill": skill.slug}
        ),
    )
    assert page[0].status_code == 302 and api[0].status_code == 201
    assert_same_rows(page, api, Experiment)

    backwards = {**fields, "ends_on": fields["starts_on"]}
    page, api = through_both_doors(
        lambda: None,
        lambda _: client_for(cast.member).post(url("experiment_new"), backwards),
        lambda _: api_as(cast.member).post(f"{COHORT}/experiments", backwards),
    )
    assert api[0].status_code == 422
    assert page_error(page[0]) == api_error(api[0]) == "The experiment must end after it starts."
    assert page[1] == api[1] and not page[1]["Experiment"]
