import pytest

from cadre.cohorts.models import CohortMembership


def _statement(cast, user):
    return CohortMembership.objects.get(cohort=cast.cohort, user=user).learning_statement


def test_member_sees_their_statement_in_the_form(cast, client_for, url):
    page = client_for(cast.member).get(url("statement_edit")).content.decode()
    assert "Mo Member will apply it." in page


@pytest.mark.parametrize("person", ["member", "host"])
def test_member_saves_their_statement_and_returns_to_the_cohort(cast, client_for, url, person):
    user = getattr(cast, person)
    text = "I will run our next incident review as a game day."
    response = client_for(user).post(url("statement_edit"), {"learning_statement": text})
    assert response.status_code == 302
    assert response.url == url("detail")
    assert _statement(cast, user) == text


def test_saving_a_statement_changes_no_one_elses(cast, client_for, url):
    client_for(cast.member).post(url("statement_edit"), {"learning_statement": "x" * 40})
    assert _statement(cast, cast.host) == "Hana Host will apply it."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write a sentence or two"),
        ("    ", "Write a sentence or two"),
        ("Too short", "at least 10 characters (this has 9)"),
        ("x" * 1001, "1,000 characters or fewer (this has 1001)"),
    ],
)
def test_a_statement_that_is_missing_too_short_or_too_long_is_refused_with_a_clear_error(
    cast, client_for, url, text, message
):
    response = client_for(cast.member).post(url("statement_edit"), {"learning_statement": text})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _statement(cast, cast.member) == "Mo Member will apply it."


def test_a_statement_of_exactly_ten_characters_is_enough(cast, client_for, url):
    client_for(cast.member).post(url("statement_edit"), {"learning_statement": "0123456789"})
    assert _statement(cast, cast.member) == "0123456789"
