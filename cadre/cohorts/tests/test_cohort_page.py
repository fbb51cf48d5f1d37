from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from cadre.cohorts.models import CharterAcknowledgement, CohortMembership
from cadre.testing import make_user


def test_cohort_page_shows_objective_outcomes_cadence_and_the_current_charter(
    cast, client_for, url
):
    page = client_for(cast.member).get(url("detail")).content.decode()
    assert "Platform Reliability" in page
    assert 'class="badge status-active"' in page
    assert "Cut incident recovery time" in page
    assert "<li>Median recovery under 30 minutes</li>" in page
    assert "<li>Every member runs one game day</li>" in page
    assert "Every week" in page
    assert "Europe/Berlin" in page
    assert "60 minutes" in page
    assert "Secret mission of Platform Reliability" in page
    assert "2 hours" in page
    assert "Case discussion" in page and "Experiment demo" in page
    assert "Cameras on. Start on time." in page
    assert "Version 1" in page


def test_cohort_page_lists_active_members_with_role_function_organization_and_statement(
    cast, client_for, url
):
    profile = cast.member.profile
    profile.function, profile.organization = "Site reliability", "Contoso"
    profile.save()
    page = client_for(cast.host).get(url("detail")).content.decode()
    assert "Mo Member" in page and "Hana Host" in page and "Nia Newcomer" in page
    assert "Host" in page
    assert "Site reliability" in page and "Contoso" in page
    assert "Mo Member will apply it." in page
    assert "Oscar Othercohort" not in page


def test_my_own_row_links_to_editing_my_statement_and_no_other_row_does(cast, client_for, url):
    page = client_for(cast.member).get(url("detail")).content.decode()
    assert page.count(url("statement_edit")) == 1
    assert "(you)" in page


def test_organizer_outside_the_cohort_sees_no_statement_link(cast, client_for, url):
    page = client_for(cast.organizer).get(url("detail")).content.decode()
    assert url("statement_edit") not in page


def test_past_members_are_listed_apart_in_a_collapsed_section(cast, client_for, url):
    CohortMembership.objects.filter(cohort=cast.cohort, user=cast.newcomer).update(
        left_on=date.today()
    )
    page = client_for(cast.member).get(url("detail")).content.decode()
    roster, past = page.split("<details", 1)
    assert "Nia Newcomer" not in roster
    assert "Past members (1)" in past and "Nia Newcomer" in past
    assert "<details open" not in page


def test_links_to_history_for_everyone_and_to_editing_only_for_those_who_may(cast, client_for, url):
    member_page = client_for(cast.member).get(url("detail")).content.decode()
    assert url("charter_history") in member_page
    assert url("charter_edit") not in member_page
    host_page = client_for(cast.host).get(url("detail")).content.decode()
    assert url("charter_edit") in host_page


def test_review_due_banner_links_to_editing_for_hosts_only(cast, client_for, url):
    charter = cast.cohort.current_charter()
    charter.next_review_on = date.today() - timedelta(days=1)
    charter.save()
    host_page = client_for(cast.host).get(url("detail")).content.decode()
    assert "Charter review due." in host_page
    assert "Review the charter" in host_page
    member_page = client_for(cast.member).get(url("detail")).content.decode()
    assert "Charter review due." in member_page
    assert "Review the charter" not in member_page


def test_no_review_banner_while_the_review_is_ahead(cast, client_for, url):
    assert b"Charter review due." not in client_for(cast.host).get(url("detail")).content


def test_cohort_without_a_charter_invites_hosts_to_write_one(cast, client_for, url):
    cast.cohort.charters.all().delete()
    host_page = client_for(cast.host).get(url("detail")).content.decode()
    assert "no charter yet" in host_page
    assert "Write the charter" in host_page
    member_page = client_for(cast.member).get(url("detail")).content.decode()
    assert "no charter yet" in member_page
    assert "Write the charter" not in member_page
    assert "Please read charter" not in member_page


def test_user_content_is_escaped_not_rendered_as_html(cast, client_for, url):
    CohortMembership.objects.filter(cohort=cast.cohort, user=cast.member).update(
        learning_statement="<script>alert(1)</script>"
    )
    charter = cast.cohort.current_charter()
    charter.mission = "<b>bold</b>"
    charter.save()
    page = client_for(cast.member).get(url("detail")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_roster_shows_who_acknowledged_the_current_version(cast, client_for, url):
    CharterAcknowledgement.objects.create(charter=cast.cohort.current_charter(), user=cast.member)
    page = client_for(cast.host).get(url("detail")).content.decode()
    assert "1 of 3 acknowledged charter version 1." in page


def _add_members(cohort, count, prefix):
    charter = cohort.current_charter()
    for i in range(count):
        user = make_user(f"{prefix}{i}@northwind.test", f"{prefix.title()} {i}")
        CohortMembership.objects.create(cohort=cohort, user=user, learning_statement="I will.")
        if i % 2:
            CharterAcknowledgement.objects.create(charter=charter, user=user)
    past = make_user(f"{prefix}-past@northwind.test", f"{prefix.title()} Past")
    CohortMembership.objects.create(
        cohort=cohort, user=past, joined_on=date(2024, 1, 1), left_on=date(2024, 6, 1)
    )


def _count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def test_cohort_page_issues_the_same_number_of_queries_whatever_the_roster_size(
    cast, client_for, url
):
    client = client_for(cast.member)
    _add_members(cast.cohort, 3, "few")
    small = _count_queries(client, url("detail"))
    _add_members(cast.cohort, 30, "many")
    large = _count_queries(client, url("detail"))
    assert small == large
    # 12, plus the header's unread notifications and who may see the roster's pictures: the
    # viewer's cohort mates, then the network's people for anyone else (these added members
    # are in no network): cadre.people.policy.
    assert small <= 14
