"""Closing a cohort: the survey members answer (privately), renewing with the same people,
graduating, the close page and who may open it; and a member who comes back keeps the
dates of their earlier time in the cohort."""

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from cadre.cohorts import closing
from cadre.cohorts.models import (
    Cohort,
    CohortMembership,
    CohortStatus,
    MembershipPeriod,
    SurveyAnswer,
)
from cadre.cohorts.services import add_member, change_status, remove_member
from cadre.delivery.models import Message
from cadre.lib.rules import Refused
from cadre.testing import run_worker
from cadre.testing_parity import (
    api_as,
    api_fields,
    api_message,
    call_api,
    fresh,
    rows,
    shown_on_page,
)

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)

ANSWER = {
    "value": 4,
    "changed": "Secret change: I run game days now.",
    "keep_or_change": "Keep the demos; change the start time.",
    "join_again": "yes",
}
SURVEY = "/networks/northwind/cohorts/reliability/survey"


def completed(cast: Any) -> Cohort:
    cohort = cast.cohort
    Cohort.objects.filter(pk=cohort.pk).update(status=CohortStatus.COMPLETED)
    cohort.refresh_from_db()
    return cohort


# --- history ---------------------------------------------------------------------------------


def test_a_member_who_comes_back_keeps_the_dates_of_their_earlier_time(cast, time_machine):
    CohortMembership.objects.filter(cohort=cast.cohort, user=cast.member).update(
        joined_on="2026-01-05"
    )
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    time_machine.move_to("2026-04-01 10:00:00+00:00")
    add_member(cast.organizer, cast.cohort, person=cast.member)
    (earlier,) = MembershipPeriod.objects.filter(cohort=cast.cohort, user=cast.member)
    assert (str(earlier.joined_on), str(earlier.left_on), earlier.role) == (
        "2026-01-05",
        "2026-03-04",
        "member",
    )
    membership = CohortMembership.objects.get(cohort=cast.cohort, user=cast.member)
    assert (str(membership.joined_on), membership.left_on) == ("2026-04-01", None)


def test_the_members_page_lists_earlier_spells(cast, client_for):
    remove_member(cast.organizer, cast.cohort, person=cast.member)
    add_member(cast.organizer, cast.cohort, person=cast.member)
    text = (
        client_for(cast.organizer)
        .get(reverse("cohorts:members", args=["northwind", "reliability"]))
        .content.decode()
    )
    assert "Earlier spells" in text and "Mo Member" in text


# --- the survey ------------------------------------------------------------------------------


def test_completing_a_cohort_emails_each_member_the_survey(cast, smtp_inbox):
    change_status(cast.organizer, cast.cohort, status=CohortStatus.COMPLETED)
    run_worker()
    recipients = sorted(r for m in smtp_inbox.messages for r in m.rcpt_tos)
    expected = sorted(m.user.email for m in cast.cohort.active_memberships().select_related("user"))
    assert recipients == expected
    assert any("/n/northwind/c/reliability/survey/" in body for body in smtp_inbox.bodies())


def test_a_member_answers_once_and_changes_the_answer_until_the_archive(cast):
    cohort = completed(cast)
    closing.answer_survey(cast.member, cohort, **ANSWER)
    closing.answer_survey(cast.member, cohort, **{**ANSWER, "value": 5})
    (answer,) = SurveyAnswer.objects.filter(cohort=cohort)
    assert answer.value == 5
    Cohort.objects.filter(pk=cohort.pk).update(status=CohortStatus.ARCHIVED)
    cohort.refresh_from_db()
    with pytest.raises(Refused, match="archived"):
        closing.answer_survey(cast.member, cohort, **ANSWER)


@pytest.mark.parametrize("who", ["organizer", "other_cohort_member", "outsider", "mentor"])
def test_only_the_cohorts_members_answer(cast, who):
    cohort = completed(cast)
    with pytest.raises(Refused) as refused:
        closing.answer_survey(getattr(cast, who), cohort, **ANSWER)
    assert refused.value.kind == "forbidden"


def test_the_survey_waits_for_the_cohort_to_finish(cast):
    with pytest.raises(Refused, match="once the cohort has finished"):
        closing.answer_survey(cast.member, cast.cohort, **ANSWER)


def test_a_bad_answer_names_each_question(cast):
    cohort = completed(cast)
    with pytest.raises(Refused) as refused:
        closing.answer_survey(cast.member, cohort, value=9, join_again="often")
    assert set(refused.value.fields) == {"value", "join_again"}
    assert not SurveyAnswer.objects.exists()


def test_results_are_for_hosts_and_organizers_and_carry_no_names(cast, client_for):
    cohort = completed(cast)
    closing.answer_survey(cast.member, cohort, **ANSWER)
    closing.answer_survey(cast.host, cohort, **{**ANSWER, "value": 2, "join_again": "no"})
    results = closing.survey_results(cast.organizer, cohort)
    assert (results.answered, results.average, results.values[4], results.join_again["No"]) == (
        2,
        3.0,
        1,
        1,
    )
    for who in ("member", "other_cohort_member", "mentor"):
        with pytest.raises(Refused):
            closing.survey_results(getattr(cast, who), cohort)
    page = client_for(cast.host).get(reverse("cohorts:close", args=["northwind", "reliability"]))
    text = page.content.decode()
    assert "I run game days now." in text
    # Answers are not tied to their authors on the close page.
    section = text[text.index("2. The end-of-cohort survey") : text.index("3. Renew")]
    assert "Mo Member" not in section
    assert api_as(cast.member).get(SURVEY + "/results").status_code == 403


def test_a_member_sees_their_own_answer_and_not_another_members(cast, client_for):
    cohort = completed(cast)
    closing.answer_survey(cast.host, cohort, **{**ANSWER, "changed": "Hana's private words"})
    page = client_for(cast.member).get(reverse("cohorts:survey", args=["northwind", "reliability"]))
    assert "Hana&#x27;s private words" not in page.content.decode()
    assert "Hana's private words" not in page.content.decode()
    mine = api_as(cast.member).get(SURVEY)
    assert mine.status_code == 404
    closing.answer_survey(cast.member, cohort, **ANSWER)
    assert api_as(cast.member).get(SURVEY).json()["changed"] == ANSWER["changed"]


def test_the_cohort_page_asks_members_for_the_survey_until_they_answer(cast, client_for):
    cohort = completed(cast)
    client = client_for(cast.member)
    path = reverse("cohorts:detail", args=["northwind", "reliability"])
    assert "Answer the end-of-cohort survey" in client.get(path).content.decode()
    closing.answer_survey(cast.member, cohort, **ANSWER)
    assert "Answer the end-of-cohort survey" not in client.get(path).content.decode()


def test_an_answer_through_the_page_and_the_api_leaves_the_same_rows(cast, client_for):
    completed(cast)

    def state() -> Any:
        return rows(SurveyAnswer.objects.all(), leave_out=["id", "answered_at", "updated_at"])

    page = fresh(
        lambda: client_for(cast.member).post(
            reverse("cohorts:survey", args=["northwind", "reliability"]), ANSWER
        ),
        state,
    )
    api = fresh(lambda: call_api(cast.member, "put", SURVEY, ANSWER), state)
    assert page.response.status_code == 302
    assert api.response.status_code == 200, api.response.content
    assert page.rows == api.rows and len(page.rows) == 1
    bad = {**ANSWER, "value": 7}
    page = fresh(
        lambda: client_for(cast.member).post(
            reverse("cohorts:survey", args=["northwind", "reliability"]), bad
        ),
        state,
    )
    api = fresh(lambda: call_api(cast.member, "put", SURVEY, bad), state)
    assert page.rows == api.rows == []
    assert closing.SURVEY_VALUE in shown_on_page(page.response)


# --- renew and graduate ------------------------------------------------------------------------


def renewal_state(cast: Any) -> Any:
    cohorts = Cohort.objects.filter(network=cast.network).exclude(
        pk__in=[cast.cohort.pk, cast.other_cohort.pk]
    )
    memberships = sorted(
        CohortMembership.objects.filter(cohort__in=cohorts).values_list(
            "cohort__slug", "user_id", "role", "joined_on"
        )
    )
    return rows(cohorts, leave_out=["id", "created_at"]), memberships


def test_renewing_starts_a_forming_cohort_with_the_same_people(cast):
    cohort = completed(cast)
    renewal = closing.renew_cohort(cast.organizer, cohort, name="Reliability 2", slug="rel-2")
    assert (renewal.status, renewal.renewed_from, renewal.objective) == (
        CohortStatus.FORMING,
        cohort,
        cohort.objective,
    )
    before = set(cohort.active_memberships().values_list("user_id", "role"))
    assert set(renewal.active_memberships().values_list("user_id", "role")) == before


def test_renewing_through_the_page_and_the_api_leaves_the_same_rows(cast, client_for):
    completed(cast)
    body = {"name": "Reliability 2", "slug": "rel-2"}
    page = fresh(
        lambda: client_for(cast.organizer).post(
            reverse("cohorts:renew", args=["northwind", "reliability"]), body
        ),
        lambda: renewal_state(cast),
    )
    api = fresh(
        lambda: call_api(
            cast.organizer, "post", "/networks/northwind/cohorts/reliability/renew", body
        ),
        lambda: renewal_state(cast),
    )
    assert page.response.status_code == 302
    assert api.response.status_code == 201, api.response.content
    assert page.rows == api.rows and len(page.rows[0]) == 1
    taken = {"name": "Again", "slug": "design-ops"}
    page = fresh(
        lambda: client_for(cast.organizer).post(
            reverse("cohorts:renew", args=["northwind", "reliability"]), taken
        ),
        lambda: renewal_state(cast),
    )
    api = fresh(
        lambda: call_api(
            cast.organizer, "post", "/networks/northwind/cohorts/reliability/renew", taken
        ),
        lambda: renewal_state(cast),
    )
    assert page.rows == api.rows and page.rows[0] == []
    message = "Northwind Learning already has a cohort with the slug “design-ops”."
    assert message in shown_on_page(page.response)
    assert api_fields(api.response)["slug"] == [message]


def test_graduating_marks_graduates_and_archives(cast, client_for):
    cohort = completed(cast)
    response = client_for(cast.organizer).post(
        reverse("cohorts:graduate", args=["northwind", "reliability"])
    )
    assert response.status_code == 302
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.ARCHIVED
    assert not cohort.active_memberships().filter(graduated_on__isnull=True).exists()
    text = client_for(cast.member).get(cohort.get_absolute_url()).content.decode()
    assert "Graduate</span>" in text


@pytest.mark.parametrize("who", ["host", "member", "outsider"])
def test_only_organizers_renew_or_graduate(cast, who):
    cohort = completed(cast)
    for act in (
        lambda: closing.graduate_cohort(getattr(cast, who), cohort),
        lambda: closing.renew_cohort(getattr(cast, who), cohort, name="X", slug="x"),
    ):
        with pytest.raises(Refused) as refused:
            act()
        assert refused.value.kind == "forbidden"
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.COMPLETED


def test_an_active_cohort_is_completed_before_it_closes(cast):
    with pytest.raises(Refused, match="Complete the cohort first"):
        closing.graduate_cohort(cast.organizer, cast.cohort)
    response = call_api(cast.organizer, "post", "/networks/northwind/cohorts/reliability/graduate")
    assert response.status_code == 409
    assert api_message(response) == closing.CLOSE_AFTER_COMPLETING


# --- the close page ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, close, survey",
    [
        ("organizer", 200, 404),
        ("host", 200, 200),
        ("member", 404, 200),
        ("other_cohort_member", 404, 404),
        ("outsider", 404, 404),
        ("mentor", 404, 404),
        ("newcomer", 302, 302),
        (None, 302, 302),
    ],
)
def test_who_opens_the_close_and_survey_pages(cast, client, client_for, who, close, survey):
    completed(cast)
    browser = client_for(getattr(cast, who)) if who else client
    assert (
        browser.get(reverse("cohorts:close", args=["northwind", "reliability"])).status_code
        == close
    )
    assert (
        browser.get(reverse("cohorts:survey", args=["northwind", "reliability"])).status_code
        == survey
    )


def test_the_close_page_links_the_impact_report_and_the_next_intake(cast, client_for):
    completed(cast)
    text = (
        client_for(cast.organizer)
        .get(reverse("cohorts:close", args=["northwind", "reliability"]))
        .content.decode()
    )
    assert reverse("impact:report", args=["northwind", "reliability"]) in text
    assert reverse("seats:next_intake", args=["northwind", "reliability"]) in text
    assert "Renew the cohort" in text and "Graduate and archive" in text
    host = client_for(cast.host).get(reverse("cohorts:close", args=["northwind", "reliability"]))
    assert "Renew the cohort" not in host.content.decode()
    assert (
        reverse("seats:next_intake", args=["northwind", "reliability"]) not in host.content.decode()
    )


def test_completing_queues_one_survey_mail_per_member_once(cast):
    change_status(cast.organizer, cast.cohort, status=CohortStatus.COMPLETED)
    first = Message.objects.filter(key__startswith="cohort-survey:").count()
    assert first == cast.cohort.active_memberships().count()
    assert closing.queue_survey_invitations(cast.cohort) == 0
    assert timezone.now()


def test_completing_through_the_api_asks_the_survey_too(cast):
    response = call_api(
        cast.organizer, "patch", "/networks/northwind/cohorts/reliability", {"status": "completed"}
    )
    assert response.status_code == 200, response.content
    assert Message.objects.filter(key__startswith="cohort-survey:").count() == (
        cast.cohort.active_memberships().count()
    )
