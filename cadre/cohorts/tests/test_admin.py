import pytest
from django.urls import reverse

from cadre.testing import make_user


@pytest.fixture
def superuser(db):
    user = make_user("root@northwind.test", "Root", is_staff=True, is_superuser=True)
    return user


@pytest.mark.parametrize(
    "model", ["cohort", "charter", "charteracknowledgement", "cohortmembership"]
)
def test_admin_lists_and_searches_each_cohort_model(cast, client_for, superuser, model):
    client = client_for(superuser)
    response = client.get(reverse(f"admin:cohorts_{model}_changelist"), {"q": "Reliability"})
    assert response.status_code == 200


def test_admin_cohort_page_shows_charters_and_members_inline(cast, client_for, superuser):
    response = client_for(superuser).get(
        reverse("admin:cohorts_cohort_change", args=[cast.cohort.pk])
    )
    assert response.status_code == 200
    assert b"Mo Member" in response.content or b"mo@northwind.test" in response.content


def test_admin_shows_a_saved_charter_version_read_only(cast, client_for, superuser):
    charter = cast.cohort.current_charter()
    response = client_for(superuser).get(reverse("admin:cohorts_charter_change", args=[charter.pk]))
    assert response.status_code == 200
    assert b'name="mission"' not in response.content
