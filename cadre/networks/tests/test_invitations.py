"""Organizers sending, listing and revoking invitations."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cadre.delivery.models import Message, Status
from cadre.networks import invitations as links
from cadre.networks.models import Invitation, Role
from cadre.testing import run_worker


def list_url(cast):
    return reverse("networks:invitations", args=[cast.network.slug])


def revoke_url(cast, invitation):
    return reverse("networks:invitation_revoke", args=[cast.network.slug, invitation.pk])


def invite(client, cast, email="new.person@example.test", role=Role.MEMBER, message=""):
    return client.post(list_url(cast), {"email": email, "role": role, "message": message})


def make_invitation(cast, email="someone@example.test", **fields):
    return Invitation.objects.create(
        network=cast.network, email=email, invited_by=cast.organizer, **fields
    )


def test_anonymous_visitor_is_sent_to_sign_in(cast, client_for):
    assert client_for(None).get(list_url(cast)).status_code == 302


def test_organizer_of_another_network_gets_404(cast, client_for):
    client = client_for(cast.outsider)
    assert client.get(list_url(cast)).status_code == 404
    assert invite(client, cast).status_code == 404
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("who", ["member", "host", "mentor", "partner", "newcomer"])
def test_people_who_do_not_run_the_network_may_not_invite(cast, client_for, who):
    client = client_for(getattr(cast, who))
    assert client.get(list_url(cast)).status_code == 403
    assert invite(client, cast).status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["admin", "organizer"])
def test_organizers_send_an_invitation_by_email(cast, client_for, who, settings):
    settings.CADRE_SITE_URL = "https://cadre.example.org"
    inviter = getattr(cast, who)
    response = invite(
        client_for(inviter), cast, email="New.Person@Example.test", message="Join our cohorts!"
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.test"
    assert invitation.network == cast.network
    assert invitation.invited_by == inviter
    assert invitation.status == "pending"
    assert mail.outbox == []  # the worker sends it
    run_worker()
    [email] = mail.outbox
    assert email.to == ["new.person@example.test"]
    assert "Northwind Learning" in email.subject
    assert "Join our cohorts!" in email.body
    link = re.search(r"https://cadre\.example\.org/invitations/(\S+)/", email.body)
    assert link is not None
    assert links.verify_token(link.group(1)) == invitation


def test_organizer_cannot_invite_an_admin_but_an_admin_can(cast, client_for):
    response = invite(client_for(cast.organizer), cast, role=Role.ADMIN)
    assert response.status_code == 200
    assert "role" in response.context["form"].errors
    assert not Invitation.objects.exists()
    invite(client_for(cast.admin), cast, role=Role.ADMIN)
    assert Invitation.objects.get().role == Role.ADMIN


def test_inviting_someone_already_a_member_is_refused(cast, client_for):
    response = invite(client_for(cast.organizer), cast, email="MO@northwind.test")
    assert response.status_code == 200
    assert "already a member" in response.context["form"].errors["email"][0]
    assert b'class="errorlist' in response.content
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_member_of_another_network_can_be_invited(cast, client_for):
    invite(client_for(cast.organizer), cast, email=cast.outsider.email)
    assert Invitation.objects.get().email == cast.outsider.email


def test_a_second_open_invitation_for_the_same_address_is_refused(cast, client_for):
    make_invitation(cast, email="twice@example.test")
    response = invite(client_for(cast.organizer), cast, email="twice@example.test")
    assert "open invitation" in response.context["form"].errors["email"][0]
    assert Invitation.objects.count() == 1


def test_after_revoking_or_expiry_a_new_invitation_can_be_sent(cast, client_for):
    make_invitation(cast, email="again@example.test", revoked_at=timezone.now())
    make_invitation(
        cast, email="again@example.test", created_at=timezone.now() - timedelta(days=30)
    )
    invite(client_for(cast.organizer), cast, email="again@example.test")
    assert Invitation.objects.count() == 3


def test_bad_input_shows_field_errors(cast, client_for):
    response = invite(client_for(cast.organizer), cast, email="not an address", role="king")
    assert response.context["form"].errors.keys() == {"email", "role"}
    assert not Invitation.objects.exists()


def test_the_list_says_whether_each_invitation_email_went_out(cast, client_for, monkeypatch):
    def broken(*args, **kwargs):
        raise smtplib.SMTPException("down")

    client = client_for(cast.organizer)
    response = client.post(
        list_url(cast), {"email": "x@example.test", "role": Role.MEMBER}, follow=True
    )
    assert "Invitation to x@example.test is on its way." in response.content.decode()
    assert "e-mail waiting to be sent" in client.get(list_url(cast)).content.decode()
    monkeypatch.setattr("cadre.delivery.sending.hand_over", broken)
    run_worker()
    assert "e-mail waiting to be sent, retrying" in client.get(list_url(cast)).content.decode()
    monkeypatch.undo()
    Message.objects.update(next_attempt_at=timezone.now())
    run_worker()
    assert "e-mail delivered to the mail server" in client.get(list_url(cast)).content.decode()


def test_when_the_invitation_email_cannot_be_sent_the_organizer_gets_the_link(cast, client_for):
    client = client_for(cast.organizer)
    client.post(list_url(cast), {"email": "x@example.test", "role": Role.MEMBER})
    Message.objects.update(status=Status.FAILED, last_error="SMTPException: down")
    content = client.get(list_url(cast)).content.decode()
    invitation = Invitation.objects.get()
    assert "could not be sent (SMTPException: down)" in content
    link = re.search(r"http://\S+/invitations/([^/\s<]+)/", content)
    assert links.verify_token(link.group(1)) == invitation
    # Only organizers see the page, so only they see the link.
    assert client_for(cast.member).get(list_url(cast)).status_code == 403


def test_the_list_shows_each_status(cast, client_for):
    make_invitation(cast, email="pending@example.test")
    make_invitation(cast, email="used@example.test", accepted_at=timezone.now())
    make_invitation(cast, email="gone@example.test", revoked_at=timezone.now())
    make_invitation(cast, email="old@example.test", created_at=timezone.now() - timedelta(days=30))
    Invitation.objects.create(network=cast.other_network, email="elsewhere@example.test")
    response = client_for(cast.organizer).get(list_url(cast))
    content = response.content.decode()
    for status in ["pending", "accepted", "revoked", "expired"]:
        assert f"invitation-{status}" in content
    assert "elsewhere@example.test" not in content
    assert content.count(">Revoke</button>") == 1


def test_organizer_revokes_a_pending_invitation(cast, client_for):
    invitation = make_invitation(cast)
    response = client_for(cast.organizer).post(revoke_url(cast, invitation))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert invitation.status == "revoked"


def test_revoking_is_post_only(cast, client_for):
    invitation = make_invitation(cast)
    assert client_for(cast.organizer).get(revoke_url(cast, invitation)).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_accepted_invitation_cannot_be_revoked(cast, client_for):
    invitation = make_invitation(cast, accepted_at=timezone.now())
    client_for(cast.organizer).post(revoke_url(cast, invitation))
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


@pytest.mark.parametrize("who,status", [("member", 403), ("partner", 403), ("outsider", 404)])
def test_only_organizers_revoke(cast, client_for, who, status):
    invitation = make_invitation(cast)
    assert client_for(getattr(cast, who)).post(revoke_url(cast, invitation)).status_code == status
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_an_invitation_of_another_network_cannot_be_revoked_through_this_one(cast, client_for):
    foreign = Invitation.objects.create(network=cast.other_network, email="x@example.test")
    url = reverse("networks:invitation_revoke", args=[cast.network.slug, foreign.pk])
    assert client_for(cast.organizer).post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_an_invitation_travels_over_smtp_and_its_link_lets_the_invitee_join(
    cast, client_for, settings, smtp_inbox
):
    settings.CADRE_SITE_URL = "http://testserver"
    assert (
        invite(client_for(cast.organizer), cast, email="real.mail@example.test").status_code == 302
    )
    run_worker()
    [envelope] = smtp_inbox.messages
    assert envelope.rcpt_tos == ["real.mail@example.test"]
    [body] = smtp_inbox.bodies()
    path = re.search(r"http://testserver(/invitations/\S+/)", body).group(1)

    client = client_for(None)
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(
        path,
        {
            "name": "Rea Mail",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.status == "accepted"
    assert cast.network.memberships.filter(user__email="real.mail@example.test").exists()
