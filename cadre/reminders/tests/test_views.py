import pytest
from django.urls import reverse

from cadre.reminders.models import Kind, NotificationPreference
from cadre.reminders.sending import unsubscribe_token


def unsubscribe_path(user, kind=Kind.SESSION) -> str:
    return reverse("reminders:unsubscribe", args=[unsubscribe_token(user, kind)])


def test_the_unsubscribe_link_asks_before_turning_anything_off_signed_out(cast, client):
    response = client.get(unsubscribe_path(cast.member))
    assert response.status_code == 200
    assert "before a session" in response.text and cast.member.email in response.text
    assert not NotificationPreference.objects.filter(user=cast.member).exists()


def test_the_unsubscribe_link_turns_that_kind_off_without_signing_in(cast, client):
    response = client.post(unsubscribe_path(cast.member, Kind.COMMITMENT_DUE))
    assert response.status_code == 200
    preference = NotificationPreference.objects.get(user=cast.member)
    assert preference.commitment_reminders is False
    assert preference.session_reminders is True and preference.weekly_digest is True


def test_the_unsubscribe_link_can_turn_everything_off(cast, client):
    client.post(unsubscribe_path(cast.member, Kind.DIGEST), {"all": "1"})
    preference = NotificationPreference.objects.get(user=cast.member)
    assert not any(
        [
            preference.session_reminders,
            preference.commitment_reminders,
            preference.blocker_alerts,
            preference.charter_review,
            preference.weekly_digest,
        ]
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_token_gets_a_clear_page_and_changes_nothing(cast, client, method):
    token = unsubscribe_token(cast.member, Kind.SESSION)
    forged = token.replace(token[:6], "AAAAAA", 1)
    path = reverse("reminders:unsubscribe", args=[forged])
    response = getattr(client, method)(path)
    assert response.status_code == 400
    assert "This link is not valid" in response.text
    assert not NotificationPreference.objects.filter(user=cast.member).exists()


def test_a_token_signed_for_something_else_is_rejected(cast, client):
    from django.core import signing

    token = signing.dumps({"u": cast.member.pk, "k": Kind.SESSION})  # no reminders salt
    response = client.post(reverse("reminders:unsubscribe", args=[token]))
    assert response.status_code == 400


def test_signed_in_people_change_their_notification_settings(cast, client_for):
    client = client_for(cast.member)
    assert client.get(reverse("notifications")).status_code == 200
    response = client.post(
        reverse("notifications"),
        {"session_reminders": "on", "hours_before_session": "6", "weekly_digest": "on"},
    )
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=cast.member)
    assert preference.hours_before_session == 6
    assert preference.commitment_reminders is False and preference.weekly_digest is True


def test_notification_settings_reject_a_window_longer_than_a_week(cast, client_for):
    client = client_for(cast.member)
    response = client.post(reverse("notifications"), {"hours_before_session": "500"})
    assert response.status_code == 200
    assert "Between 1 and 168 hours" in response.text


def test_anonymous_people_are_sent_to_sign_in_for_notification_settings(db, client_for):
    response = client_for(None).get(reverse("notifications"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_profile_page_links_to_notification_settings(cast, client_for):
    response = client_for(cast.member).get(reverse("people:profile_edit"))
    assert reverse("notifications") in response.text
