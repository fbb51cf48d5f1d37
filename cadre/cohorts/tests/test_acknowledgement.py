from cadre.cohorts.models import CharterAcknowledgement

from .helpers import valid_charter_data

BANNER = "Please read charter version"


def _new_version(cast, client_for, url):
    client_for(cast.host).post(url("charter_edit"), valid_charter_data())
    return cast.cohort.current_charter()


def test_member_who_has_not_acknowledged_sees_the_banner(cast, client_for, url):
    page = client_for(cast.member).get(url("detail")).content.decode()
    assert f"{BANNER} 1." in page
    assert url("charter_acknowledge") in page


def test_organizers_outside_the_cohort_are_not_asked_to_acknowledge(cast, client_for, url):
    assert BANNER not in client_for(cast.organizer).get(url("detail")).content.decode()


def test_acknowledging_records_the_version_and_the_banner_goes_away(cast, client_for, url):
    client = client_for(cast.member)
    response = client.post(url("charter_acknowledge"), {"version": 1})
    assert response.status_code == 302
    assert response.url == url("detail")
    assert CharterAcknowledgement.objects.filter(
        charter=cast.cohort.current_charter(), user=cast.member
    ).exists()
    page = client.get(url("detail")).content.decode()
    assert BANNER not in page


def test_acknowledging_twice_records_it_once(cast, client_for, url):
    client = client_for(cast.member)
    client.post(url("charter_acknowledge"))
    client.post(url("charter_acknowledge"))
    assert CharterAcknowledgement.objects.filter(user=cast.member).count() == 1


def test_a_new_version_brings_the_banner_back_with_a_link_to_what_changed(cast, client_for, url):
    client_for(cast.member).post(url("charter_acknowledge"), {"version": 1})
    _new_version(cast, client_for, url)
    page = client_for(cast.member).get(url("detail")).content.decode()
    assert f"{BANNER} 2." in page
    assert "?from=1&amp;to=2" in page
    client_for(cast.member).post(url("charter_acknowledge"), {"version": 2})
    assert BANNER not in client_for(cast.member).get(url("detail")).content.decode()


def test_htmx_acknowledgement_returns_only_the_updated_banner(cast, client_for, url):
    client = client_for(cast.member)
    response = client.post(url("charter_acknowledge"), {"version": 1}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = response.content.decode()
    assert fragment.strip().startswith('<div id="ack-banner">')
    assert "<html" not in fragment
    assert BANNER not in fragment
    assert "you acknowledged version 1" in fragment
    assert cast.cohort.current_charter().acknowledgements.filter(user=cast.member).exists()


def test_the_full_page_banner_and_the_htmx_fragment_share_one_target(cast, client_for, url):
    page = client_for(cast.member).get(url("detail")).content.decode()
    assert '<div id="ack-banner">' in page
    assert 'hx-target="#ack-banner"' in page


def test_acknowledging_a_version_that_was_replaced_meanwhile_asks_to_read_the_new_one(
    cast, client_for, url
):
    _new_version(cast, client_for, url)
    client = client_for(cast.member)
    response = client.post(url("charter_acknowledge"), {"version": 1}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert "The charter changed while you were reading it." in fragment
    assert 'name="version" value="2"' in fragment
    assert not CharterAcknowledgement.objects.filter(user=cast.member).exists()
    response = client.post(url("charter_acknowledge"), {"version": 1}, follow=True)
    assert "changed to version 2" in response.content.decode()
    assert not CharterAcknowledgement.objects.filter(user=cast.member).exists()


def test_acknowledging_when_there_is_no_charter_is_a_400(cast, client_for, url):
    cast.cohort.charters.all().delete()
    response = client_for(cast.member).post(url("charter_acknowledge"))
    assert response.status_code == 400
    assert "no charter to acknowledge" in response.content.decode()
