"""The organizers' list of applications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .helpers import add_applicants


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_read_every_application(cast, client_for, url, applied, who):
    applied[0].withdrawn = True
    applied[0].save()
    response = client_for(getattr(cast, who)).get(url("applications"))
    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["page"].paginator.count == 10
    assert "Mo Member" in content and "withdrawn" in content
    assert "Answer 3" in content and "Statement 3" in content
    assert response.context["rows"][-1]["application"] == applied[0]  # withdrawn ones last


@pytest.mark.parametrize("who", ["member", "mentor", "other_cohort_member"])
def test_members_may_not_read_applications(cast, client_for, url, applied, who):
    assert client_for(getattr(cast, who)).get(url("applications")).status_code == 403


@pytest.mark.parametrize("who", ["partner", "outsider"])
def test_partners_and_outsiders_get_404_for_applications(cast, client_for, url, applied, who):
    assert client_for(getattr(cast, who)).get(url("applications")).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client_for, url):
    assert client_for(None).get(url("applications")).status_code == 302


def test_the_list_takes_the_same_number_of_queries_for_5_or_60_applications(
    cast, client_for, url, intake
):
    client = client_for(cast.organizer)
    counts = []
    for size in (5, 60):
        add_applicants(
            intake, size - intake.applications.count(), start=intake.applications.count()
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("applications"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert len(response.context["rows"]) == 50
    assert response.context["page"].has_next()
