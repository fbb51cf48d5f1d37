import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cadre.cohorts.models import Charter, CharterAcknowledgement

from .helpers import valid_charter_data


def test_editor_is_prefilled_from_the_current_charter(cast, client_for, url):
    page = client_for(cast.host).get(url("charter_edit")).content.decode()
    assert "Secret mission of Platform Reliability" in page
    assert 'value="2.0"' in page
    assert re.search(r'value="case"[^>]*checked', page)
    assert re.search(r'value="demo"[^>]*checked', page)
    assert not re.search(r'value="coaching"[^>]*checked', page)
    assert "Cameras on. Start on time." in page
    next_review = cast.cohort.current_charter().next_review_on.isoformat()
    assert f'value="{next_review}"' in page
    assert 'name="based_on" value="1"' in page
    assert "Save version 2" in page


def test_host_saving_the_charter_adds_version_2_and_keeps_version_1(cast, client_for, url):
    before = Charter.objects.get(cohort=cast.cohort, version=1)
    response = client_for(cast.host).post(url("charter_edit"), valid_charter_data())
    assert response.status_code == 302
    assert response.url == url("detail")
    latest = cast.cohort.current_charter()
    assert latest.version == 2
    assert latest.created_by == cast.host
    assert latest.weekly_hours == Decimal("3")
    assert latest.learning_formats == ["case", "coaching"]
    assert latest.norms == "Cameras on.\nStart on time."
    assert latest.change_note == "More time for game days."
    after = Charter.objects.get(pk=before.pk)
    assert (after.mission, after.weekly_hours, after.learning_formats) == (
        before.mission,
        before.weekly_hours,
        before.learning_formats,
    )


def test_saving_says_so_on_the_cohort_page(cast, client_for, url):
    response = client_for(cast.host).post(url("charter_edit"), valid_charter_data(), follow=True)
    assert "Charter version 2 saved." in response.content.decode()


@pytest.mark.parametrize("person", ["admin", "organizer"])
def test_organizers_can_save_a_new_version(cast, client_for, url, person):
    response = client_for(getattr(cast, person)).post(url("charter_edit"), valid_charter_data())
    assert response.status_code == 302
    assert cast.cohort.current_charter().created_by == getattr(cast, person)


def test_editing_twice_keeps_every_version(cast, client_for, url):
    client = client_for(cast.host)
    client.post(url("charter_edit"), valid_charter_data())
    client.post(
        url("charter_edit"),
        valid_charter_data(weekly_hours="4.5", change_note="Longer sessions.", based_on="2"),
    )
    versions = list(cast.cohort.charters.order_by("version").values_list("version", "weekly_hours"))
    assert versions == [(1, Decimal("2.0")), (2, Decimal("3.0")), (3, Decimal("4.5"))]


def test_line_endings_from_browsers_are_stored_as_plain_newlines(cast, client_for, url):
    client_for(cast.host).post(url("charter_edit"), valid_charter_data(norms="One.\r\nTwo."))
    assert cast.cohort.current_charter().norms == "One.\nTwo."


def test_the_author_who_is_a_member_has_acknowledged_their_own_version(cast, client_for, url):
    client_for(cast.host).post(url("charter_edit"), valid_charter_data())
    assert CharterAcknowledgement.objects.filter(
        charter=cast.cohort.current_charter(), user=cast.host
    ).exists()


def test_an_organizer_outside_the_cohort_does_not_acknowledge_for_the_members(
    cast, client_for, url
):
    client_for(cast.organizer).post(url("charter_edit"), valid_charter_data())
    assert not cast.cohort.current_charter().acknowledgements.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weekly_hours": "0"}, "weekly_hours", "at least half an hour"),
        ({"weekly_hours": "0.4"}, "weekly_hours", "at least half an hour"),
        ({"weekly_hours": "99"}, "weekly_hours", "at most 40 hours"),
        ({"weekly_hours": "40.5"}, "weekly_hours", "at most 40 hours"),
        ({"weekly_hours": "lots"}, "weekly_hours", "Enter a number"),
        ({"weekly_hours": "1.25"}, "weekly_hours", "decimal place"),
        ({"mission": "   "}, "mission", "required"),
        ({"change_note": ""}, "change_note", "Say what changed"),
        ({"learning_formats": ["telepathy"]}, "learning_formats", "not one of the available"),
        ({"next_review_on": ""}, "next_review_on", "required"),
        ({"next_review_on": "someday"}, "next_review_on", "valid date"),
        ({"change_note": "x" * 201}, "change_note", "at most 200"),
    ],
)
def test_invalid_charter_shows_the_error_and_saves_nothing(
    cast, client_for, url, changes, field, message
):
    before = cast.cohort.current_charter()
    response = client_for(cast.host).post(url("charter_edit"), valid_charter_data(**changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert 'class="errorlist' in response.content.decode()
    assert cast.cohort.charters.count() == 1
    before_again = Charter.objects.get(pk=before.pk)
    assert before_again.mission == before.mission
    assert before_again.weekly_hours == before.weekly_hours


def test_saving_an_unchanged_charter_is_refused(cast, client_for, url):
    charter = cast.cohort.current_charter()
    data = valid_charter_data(
        mission=charter.mission,
        weekly_hours="2",
        learning_formats=["demo", "case"],  # order does not matter
        project_kinds=charter.project_kinds,
        norms=charter.norms,
        next_review_on=charter.next_review_on.isoformat(),
    )
    response = client_for(cast.host).post(url("charter_edit"), data)
    assert response.status_code == 200
    assert "Nothing changed from version 1" in response.content.decode()
    assert cast.cohort.charters.count() == 1


def test_a_version_saved_by_someone_else_meanwhile_is_not_overwritten(cast, client_for, url):
    client_for(cast.organizer).post(url("charter_edit"), valid_charter_data(mission="Theirs."))
    # The host opened the editor at version 1 and saves afterwards.
    response = client_for(cast.host).post(url("charter_edit"), valid_charter_data(based_on="1"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone saved version 2" in page
    assert 'name="based_on" value="2"' in page
    assert cast.cohort.charters.count() == 2
    assert cast.cohort.current_charter().mission == "Theirs."
    # Saving again from the page they were shown goes through.
    response = client_for(cast.host).post(url("charter_edit"), valid_charter_data(based_on="2"))
    assert response.status_code == 302
    assert cast.cohort.current_charter().version == 3


def test_the_first_charter_of_a_cohort_is_version_1_without_a_change_note(cast, client_for, url):
    cast.cohort.charters.all().delete()
    client = client_for(cast.host)
    page = client.get(url("charter_edit")).content.decode()
    assert "Write the charter" in page
    assert 'name="change_note"' not in page
    data = valid_charter_data(based_on="")
    del data["change_note"]
    response = client.post(url("charter_edit"), data)
    assert response.status_code == 302
    charter = cast.cohort.current_charter()
    assert (charter.version, charter.change_note, charter.created_by) == (1, "", cast.host)


@pytest.mark.parametrize("days", [-1, 0])
def test_a_review_date_of_today_or_before_is_refused(cast, client_for, url, days):
    day = timezone.localdate() + timedelta(days=days)
    data = valid_charter_data(next_review_on=day.isoformat())
    response = client_for(cast.host).post(url("charter_edit"), data)
    assert response.status_code == 200
    assert "after today" in " ".join(response.context["form"].errors["next_review_on"])
    assert cast.cohort.charters.count() == 1


def test_a_due_review_suggests_a_new_date_after_today(cast, client_for, url):
    charter = cast.cohort.current_charter()
    charter.next_review_on = timezone.localdate() - timedelta(days=3)
    charter.save()
    response = client_for(cast.host).get(url("charter_edit"))
    suggested = response.context["form"].initial["next_review_on"]
    assert suggested > timezone.localdate()
