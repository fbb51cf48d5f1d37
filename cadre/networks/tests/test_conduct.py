import pytest
from django.urls import reverse

from cadre.networks.models import CodeOfConduct, CodeOfConductAcceptance
from cadre.networks.policy import forget, must_accept_conduct


def conduct_url(cast):
    return reverse("networks:conduct", args=[cast.network.slug])


def accept(client, cast, version=1, **extra):
    return client.post(conduct_url(cast), {"action": "accept", "version": version, **extra})


def accepted(user, network, version=1):
    return CodeOfConductAcceptance.objects.filter(
        user=user, code__network=network, code__version=version
    ).exists()


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for):
    assert client_for(None).get(conduct_url(cast)).status_code == 302


def test_outsider_gets_404_and_cannot_accept(cast, client_for):
    client = client_for(cast.outsider)
    assert client.get(conduct_url(cast)).status_code == 404
    assert accept(client, cast).status_code == 404
    assert not accepted(cast.outsider, cast.network)


def test_newcomer_reads_the_code_and_is_offered_to_accept(cast, client_for):
    response = client_for(cast.newcomer).get(conduct_url(cast))
    assert response.status_code == 200
    assert b"Confidentiality" in response.content
    assert b"I accept the code of conduct" in response.content


def test_accepting_records_it_and_returns_to_a_safe_next_page(cast, client_for):
    client = client_for(cast.newcomer)
    next_url = reverse("cohorts:detail", args=[cast.network.slug, cast.cohort.slug])
    response = accept(client, cast, next=next_url)
    assert response.status_code == 302
    assert response["Location"] == next_url
    assert accepted(cast.newcomer, cast.network)
    assert not must_accept_conduct(cast.newcomer, cast.network)


def test_accepting_twice_keeps_one_acceptance(cast, client_for):
    client = client_for(cast.newcomer)
    accept(client, cast)
    accept(client, cast)
    assert CodeOfConductAcceptance.objects.filter(user=cast.newcomer).count() == 1


@pytest.mark.parametrize("bad_next", ["https://evil.test/steal", "//evil.test/", "javascript:x"])
def test_an_unsafe_next_leads_to_the_network_home_instead(cast, client_for, bad_next):
    response = accept(client_for(cast.newcomer), cast, next=bad_next)
    assert response["Location"] == reverse("networks:home", args=[cast.network.slug])
    assert accepted(cast.newcomer, cast.network)


def test_the_next_page_from_the_query_string_is_kept_in_the_form(cast, client_for):
    response = client_for(cast.newcomer).get(conduct_url(cast), {"next": "/n/northwind/c/x/"})
    assert b'name="next" value="/n/northwind/c/x/"' in response.content


def test_accepting_an_outdated_version_does_not_count(cast, client_for):
    CodeOfConduct.objects.create(network=cast.network, version=2, body="New rules.")
    response = accept(client_for(cast.newcomer), cast, version=1)
    assert response.status_code == 302
    assert response["Location"].startswith(conduct_url(cast))
    assert not CodeOfConductAcceptance.objects.filter(user=cast.newcomer).exists()


def test_member_who_accepted_sees_when(cast, client_for):
    response = client_for(cast.member).get(conduct_url(cast))
    assert b"You accepted this version on" in response.content
    assert b"I accept the code of conduct" not in response.content
    assert b"Publish a new version" not in response.content


def test_partner_accepts_too(cast, client_for):
    CodeOfConductAcceptance.objects.filter(user=cast.partner).delete()
    accept(client_for(cast.partner), cast)
    assert accepted(cast.partner, cast.network)


def test_organizer_publishes_a_new_version_everyone_must_accept_again(cast, client_for):
    client = client_for(cast.organizer)
    page = client.get(conduct_url(cast))
    assert b"Publish a new version" in page.content
    assert page.context["accepted_count"] == 7
    response = client.post(
        conduct_url(cast),
        {"action": "publish", "body": "Be kind.\n\nBe on time.", "change_note": "Shorter"},
    )
    assert response.status_code == 302
    code = cast.network.current_code_of_conduct()
    assert (code.version, code.body, code.change_note) == (2, "Be kind.\n\nBe on time.", "Shorter")
    assert code.created_by == cast.organizer
    assert accepted(cast.organizer, cast.network, version=2)
    forget(cast.member)
    assert must_accept_conduct(cast.member, cast.network)
    assert CodeOfConduct.objects.filter(network=cast.other_network).count() == 1


def test_publishing_an_empty_version_shows_errors_and_saves_nothing(cast, client_for):
    response = client_for(cast.admin).post(
        conduct_url(cast), {"action": "publish", "body": "   ", "change_note": ""}
    )
    assert response.status_code == 200
    assert response.context["publish_form"].errors.keys() == {"body", "change_note"}
    assert b'class="errorlist' in response.content
    assert cast.network.codes_of_conduct.count() == 1


@pytest.mark.parametrize("who", ["member", "host", "mentor", "partner"])
def test_only_organizers_publish(cast, client_for, who):
    response = client_for(getattr(cast, who)).post(
        conduct_url(cast), {"action": "publish", "body": "Anything goes.", "change_note": "x"}
    )
    assert response.status_code == 403
    assert cast.network.codes_of_conduct.count() == 1


def test_a_network_without_a_code_says_so_and_organizers_can_publish_the_first(cast, client_for):
    cast.network.codes_of_conduct.all().delete()
    assert b"has no code of conduct yet" in client_for(cast.member).get(conduct_url(cast)).content
    client_for(cast.organizer).post(
        conduct_url(cast), {"action": "publish", "body": "Be kind.", "change_note": "First"}
    )
    assert cast.network.current_code_of_conduct().version == 1


def test_the_code_is_shown_as_text_not_markup(cast, client_for):
    CodeOfConduct.objects.create(
        network=cast.network, version=2, body="<script>alert(1)</script>\n\nSecond paragraph"
    )
    response = client_for(cast.member).get(conduct_url(cast))
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;" in response.content
    assert b"<p>Second paragraph</p>" in response.content


def test_a_newcomer_sent_here_from_a_cohort_goes_back_there_after_accepting(cast, client_for):
    client = client_for(cast.newcomer)
    cohort_url = reverse("cohorts:detail", args=[cast.network.slug, cast.cohort.slug])
    gate = client.get(cohort_url)
    assert gate.status_code == 302
    page = client.get(gate["Location"])
    assert page.context["next"] == cohort_url
    response = accept(client, cast, next=page.context["next"])
    assert response["Location"] == cohort_url
    assert client.get(cohort_url).status_code == 200


def test_whether_one_must_accept_is_one_query_on_the_current_version(
    cast, django_assert_num_queries
):
    CodeOfConduct.objects.create(network=cast.network, version=2, body="New rules.")
    with django_assert_num_queries(1):
        assert must_accept_conduct(cast.member, cast.network)  # accepted version 1 only
        assert must_accept_conduct(cast.member, cast.network)  # kept for the request
    CodeOfConductAcceptance.objects.create(
        code=cast.network.current_code_of_conduct(), user=cast.member
    )
    forget(cast.member)
    assert not must_accept_conduct(cast.member, cast.network)
    CodeOfConduct.objects.filter(network=cast.network).delete()
    forget(cast.member)
    assert not must_accept_conduct(cast.member, cast.network)  # no code: nothing to accept
