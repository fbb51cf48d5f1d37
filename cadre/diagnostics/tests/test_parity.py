"""Both front doors do the same thing: each diagnostics write (target skills, opening a round,
a self-assessment, a peer assessment) is made once through the page (the form's fields, as
the real person) and once through the API (their token), each on its own fresh set-up, and
leaves the same rows; a refused write is refused with the same sentence."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller
from cadre.diagnostics.models import Assessment, AssessmentRound, TargetSkill
from cadre.testing import Cast, build_cast

from .helpers import open_round, set_targets

pytestmark = pytest.mark.django_db

SKILLS = "/api/v1/networks/northwind/cohorts/reliability/skills"


def page_as(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_as(user: Any) -> ApiCaller:
    return ApiCaller(Client(), ApiToken.issue(user, "parity")[1])


def put(caller: ApiCaller, path: str, body: Any) -> Any:
    return caller.client.put(
        path, json.dumps(body), content_type="application/json", headers=caller.headers
    )


def url(cast: Cast, name: str) -> str:
    return reverse(f"diagnostics:{name}", args=[cast.network.slug, cast.cohort.slug])


def rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every target, round and assessment, ids and timestamps aside, people by e-mail."""
    return {
        "targets": sorted(
            TargetSkill.objects.values_list("cohort__slug", "skill__slug", "target_level")
        ),
        "rounds": sorted(
            AssessmentRound.objects.values_list(
                "cohort__slug",
                "number",
                "label",
                "opens_on",
                "peer_assessments_enabled",
                "opened_by__email",
            )
        ),
        "assessments": sorted(
            Assessment.objects.values_list(
                "round__number", "skill__slug", "subject__email", "assessor__email", "level", "note"
            )
        ),
    }


def on_fresh_setup(setup: Callable[[Cast], Any], act: Callable[[Cast, Any], Any]) -> Any:
    """A fresh cast and `setup(cast)`, then `act(cast, made)`: the rows it left and what `act`
    returned. Then all of it is undone, so the other door starts from the same."""
    saved = transaction.savepoint()
    try:
        cast = build_cast()
        made = setup(cast)
        answer = act(cast, made)
        return rows(), answer
    finally:
        transaction.savepoint_rollback(saved)


def both_doors(
    setup: Callable[[Cast], Any],
    page: Callable[[Cast, Any], Any],
    api: Callable[[Cast, Any], Any],
) -> tuple[Any, Any]:
    page_rows, page_answer = on_fresh_setup(setup, page)
    api_rows, api_answer = on_fresh_setup(setup, api)
    assert page_rows == api_rows
    return page_answer, api_answer


def refused_alike(page_response: Any, api_response: Any, status: int) -> None:
    assert api_response.status_code == status, api_response.content
    message = api_response.json()["error"]["message"]
    assert escape(message) in page_response.content.decode()


def targets_only(cast: Cast) -> None:
    set_targets(cast, facilitation=2)


def started(cast: Cast) -> AssessmentRound:
    set_targets(cast, facilitation=3, data_analysis=4)
    return open_round(cast.cohort, days_ago=3, peers=True)


# --- target skills -----------------------------------------------------------------------------


def test_setting_targets_leaves_the_same_rows():
    def page(cast, _):
        form = {
            "target_facilitation": "",
            "target_data-analysis": "4",
            "target_product-discovery": "2",
        }
        assert page_as(cast.host).post(url(cast, "targets"), form).status_code == 302

    def api(cast, _):
        body = {
            "targets": [
                {"skill": "data-analysis", "target_level": 4},
                {"skill": "product-discovery", "target_level": 2},
            ]
        }
        assert put(api_as(cast.host), f"{SKILLS}/targets", body).status_code == 200

    both_doors(targets_only, page, api)


def test_setting_targets_without_the_role_is_refused_alike():
    page_answer, api_answer = both_doors(
        targets_only,
        lambda cast, _: page_as(cast.member).post(
            url(cast, "targets"), {"target_facilitation": "3"}
        ),
        lambda cast, _: put(
            api_as(cast.member), f"{SKILLS}/targets", {"targets": [{"skill": "facilitation"}]}
        ),
    )
    assert page_answer.status_code == 403
    refused_alike(page_answer, api_answer, 403)


# --- rounds ------------------------------------------------------------------------------------


def test_opening_a_round_leaves_the_same_rows():
    today = timezone.localdate().isoformat()

    def page(cast, _):
        form = {"label": " Midpoint ", "opens_on": today, "peer_assessments_enabled": "on"}
        assert page_as(cast.host).post(url(cast, "rounds"), form).status_code == 302

    def api(cast, _):
        body = {"label": " Midpoint ", "opens_on": today, "peer_assessments_enabled": True}
        assert api_as(cast.host).post(f"{SKILLS}/rounds", body).status_code == 201

    both_doors(started, page, api)


def test_a_round_before_the_last_one_is_refused_alike():
    early = (timezone.localdate() - timedelta(days=30)).isoformat()
    page_answer, api_answer = both_doors(
        started,
        lambda cast, _: page_as(cast.host).post(
            url(cast, "rounds"), {"label": "Back", "opens_on": early}
        ),
        lambda cast, _: api_as(cast.host).post(
            f"{SKILLS}/rounds", {"label": "Back", "opens_on": early}
        ),
    )
    refused_alike(page_answer, api_answer, 422)
    assert api_answer.json()["error"]["fields"]["opens_on"]


# --- assessing ---------------------------------------------------------------------------------


def test_a_self_assessment_leaves_the_same_rows():
    def page(cast, _):
        form = {
            "level_facilitation": "2",
            "note_facilitation": " Ran a retro ",
            "level_data-analysis": "1",
        }
        assert page_as(cast.member).post(url(cast, "assess"), form).status_code == 302

    def api(cast, _):
        body = {
            "levels": [
                {"skill": "facilitation", "level": 2, "note": " Ran a retro "},
                {"skill": "data-analysis", "level": 1},
            ]
        }
        assert put(api_as(cast.member), f"{SKILLS}/self-assessment", body).status_code == 200

    both_doors(started, page, api)


def test_a_self_assessment_with_nothing_to_assess_is_refused_alike():
    page_answer, api_answer = both_doors(
        targets_only,
        lambda cast, _: page_as(cast.member).post(url(cast, "assess"), {"level_facilitation": "2"}),
        lambda cast, _: put(
            api_as(cast.member),
            f"{SKILLS}/self-assessment",
            {"levels": [{"skill": "facilitation", "level": 2}]},
        ),
    )
    assert page_answer.status_code == 409
    refused_alike(page_answer, api_answer, 409)


def test_a_peer_assessment_leaves_the_same_rows():
    def page(cast, _):
        skill = cast.network.skills.get(slug="facilitation")
        form = {"subject": cast.host.pk, "skill": skill.pk, "level": "3", "note": "Clear agenda"}
        assert page_as(cast.member).post(url(cast, "peer"), form).status_code == 302

    def api(cast, _):
        body = {
            "subject": cast.host.pk,
            "skill": "facilitation",
            "level": 3,
            "note": "Clear agenda",
        }
        assert api_as(cast.member).post(f"{SKILLS}/peer-assessments", body).status_code == 201

    both_doors(started, page, api)


def test_a_peer_assessment_of_oneself_is_refused_alike():
    def page(cast, _):
        skill = cast.network.skills.get(slug="facilitation")
        form = {"subject": cast.member.pk, "skill": skill.pk, "level": "3"}
        return page_as(cast.member).post(url(cast, "peer"), form)

    def api(cast, _):
        body = {"subject": cast.member.pk, "skill": "facilitation", "level": 3}
        return api_as(cast.member).post(f"{SKILLS}/peer-assessments", body)

    page_answer, api_answer = both_doors(started, page, api)
    assert page_answer.status_code == 422
    refused_alike(page_answer, api_answer, 422)
    assert api_answer.json()["error"]["fields"]["subject"]
