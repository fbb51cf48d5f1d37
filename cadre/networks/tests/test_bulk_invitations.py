"""Organizers invite many people at once from a pasted list or a CSV file: a preview sorts the
list into new, already members, already invited and unusable lines; sending invites the new
ones in one transaction, each e-mailed as a single invitation is."""

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cadre.lib.rules import Refused
from cadre.networks import bulk_invitations
from cadre.networks.models import Invitation, Role
from cadre.testing import run_worker
from cadre.testing_parity import api_fields, call_api, fresh, page_as, rows

LIST = """\
Ada Lovelace <ada@example.test>
grace@example.test, Grace Hopper
MO@northwind.test
not an address
open@example.test

# a comment line
ada@example.test
"""


def bulk_url(cast: Any) -> str:
    return reverse("networks:invitations_bulk", args=[cast.network.slug])


def invite_open(cast: Any) -> None:
    Invitation.objects.create(network=cast.network, email="open@example.test")


def test_the_preview_sorts_the_list(cast):
    invite_open(cast)
    preview = bulk_invitations.read_list(cast.network, text=LIST)
    assert [(e.email, e.name, e.line) for e in preview.new] == [
        ("ada@example.test", "Ada Lovelace", 1),
        ("grace@example.test", "Grace Hopper", 2),
    ]
    assert [e.email for e in preview.member] == ["mo@northwind.test"]
    assert [e.email for e in preview.pending] == ["open@example.test"]
    assert [(e.line, e.problem) for e in preview.invalid] == [
        (4, "“not an address” is not an e-mail address."),
        (8, "Already listed on line 1."),
    ]
    assert not Invitation.objects.exclude(email="open@example.test").exists()


def test_a_csv_file_needs_an_email_column(cast):
    text = "Name,E-mail\nAda,ada@example.test\n"
    with pytest.raises(Refused, match="“email” column"):
        bulk_invitations.read_list(cast.network, text=text, format="csv")
    text = "name,email\nAda,ada@example.test\n,\nGrace,grace@\n"
    preview = bulk_invitations.read_list(cast.network, text=text, format="csv")
    assert [(e.email, e.name, e.line) for e in preview.new] == [("ada@example.test", "Ada", 2)]
    assert [e.line for e in preview.invalid] == [4]  # as a spreadsheet numbers its rows


def test_an_empty_list_and_a_list_too_long_are_refused(cast):
    with pytest.raises(Refused) as empty:
        bulk_invitations.read_list(cast.network, text="\n  \n")
    assert empty.value.message == bulk_invitations.EMPTY
    many = "\n".join(f"p{n}@example.test" for n in range(bulk_invitations.MAX_LINES + 1))
    with pytest.raises(Refused) as long:
        bulk_invitations.read_list(cast.network, text=many)
    assert long.value.message == bulk_invitations.TOO_MANY


def test_sending_invites_only_the_new_people_and_emails_each(cast, settings):
    invite_open(cast)
    made, _ = bulk_invitations.invite_list(
        cast.organizer, cast.network, text=LIST, role=Role.MEMBER, message="Welcome aboard!"
    )
    assert sorted(i.email for i in made) == ["ada@example.test", "grace@example.test"]
    assert Invitation.objects.filter(network=cast.network).count() == 3
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["ada@example.test", "grace@example.test"]
    assert all("Welcome aboard!" in m.body for m in mail.outbox)


def test_a_list_with_nobody_new_is_refused_and_nothing_is_sent(cast):
    with pytest.raises(Refused) as refused:
        bulk_invitations.invite_list(
            cast.organizer, cast.network, text="mo@northwind.test", role="member", message=""
        )
    assert refused.value.message == bulk_invitations.NOTHING_NEW
    assert not Invitation.objects.exists()


def test_an_organizer_cannot_invite_admins_in_bulk(cast):
    with pytest.raises(Refused, match="Only the network’s admins invite admins"):
        bulk_invitations.invite_list(
            cast.organizer, cast.network, text="a@example.test", role=Role.ADMIN, message=""
        )
    assert not Invitation.objects.exists()


def test_a_failure_halfway_leaves_no_invitation(cast, monkeypatch):
    calls = []

    def fail_on_second(invitation):
        calls.append(invitation)
        if len(calls) == 2:
            raise RuntimeError("the outbox is down")

    monkeypatch.setattr(bulk_invitations.invitation_links, "send_invitation", fail_on_second)
    with pytest.raises(RuntimeError):
        bulk_invitations.invite_list(
            cast.admin,
            cast.network,
            text="a@example.test\nb@example.test",
            role="member",
            message="",
        )
    assert not Invitation.objects.exists()


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status",
    [
        ("admin", 200),
        ("organizer", 200),
        ("host", 403),
        ("member", 403),
        ("mentor", 403),
        ("partner", 403),
        ("newcomer", 403),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_bulk_page(cast, client_for, who, status):
    client = client_for(getattr(cast, who))
    assert client.get(bulk_url(cast)).status_code == status
    sent = client.post(
        bulk_url(cast), {"text": "a@example.test", "role": "member", "action": "send"}
    )
    assert sent.status_code == (302 if status == 200 else status)
    assert Invitation.objects.exists() is (status == 200)


def test_anonymous_is_sent_to_sign_in(cast, client_for):
    assert client_for(None).get(bulk_url(cast)).status_code == 302


def test_the_page_previews_then_sends(cast, client_for):
    invite_open(cast)
    client = client_for(cast.organizer)
    response = client.post(bulk_url(cast), {"text": LIST, "role": "member", "action": "preview"})
    page = response.content.decode()
    assert "New: 2 will be invited" in page
    assert "Already a member: 1" in page and "Already invited: 1" in page
    assert "Line 4: “not an address” is not an e-mail address." in page
    assert "Send 2 invitations" in page
    assert Invitation.objects.count() == 1
    response = client.post(bulk_url(cast), {"text": LIST, "role": "mentor", "action": "send"})
    assert response.status_code == 302
    assert set(Invitation.objects.filter(role="mentor").values_list("email", flat=True)) == {
        "ada@example.test",
        "grace@example.test",
    }


def test_the_page_reads_a_csv_file_and_sends_from_it(cast, client_for):
    client = client_for(cast.organizer)
    upload = SimpleUploadedFile("people.csv", b"\xef\xbb\xbfemail,name\nada@example.test,Ada\n")
    response = client.post(bulk_url(cast), {"file": upload, "role": "member", "action": "preview"})
    page = response.content.decode()
    assert "Ada &lt;ada@example.test&gt;" in page
    assert 'name="format" value="csv"' in page
    response = client.post(
        bulk_url(cast),
        {
            "text": "email,name\nada@example.test,Ada\n",
            "format": "csv",
            "role": "member",
            "action": "send",
        },
    )
    assert response.status_code == 302
    assert Invitation.objects.get().email == "ada@example.test"


def test_too_long_a_list_says_so_on_the_page(cast, client_for):
    many = "\n".join(f"p{n}@example.test" for n in range(bulk_invitations.MAX_LINES + 1))
    response = client_for(cast.admin).post(
        bulk_url(cast), {"text": many, "role": "member", "action": "preview"}
    )
    assert "Please send at most 500 people at a time" in response.content.decode()


# --- the API, and parity with the page ----------------------------------------------------------


def test_the_api_previews_a_list(cast):
    invite_open(cast)
    response = call_api(
        cast.organizer, "post", f"/networks/{cast.network.slug}/invitations/preview", {"text": LIST}
    )
    assert response.status_code == 200
    body = response.json()
    assert [e["email"] for e in body["new"]] == ["ada@example.test", "grace@example.test"]
    assert [e["line"] for e in body["invalid"]] == [4, 8]
    assert [e["email"] for e in body["member"]] == ["mo@northwind.test"]


@pytest.mark.parametrize("who,status", [("member", 403), ("partner", 403), ("outsider", 404)])
def test_the_api_refuses_people_who_do_not_run_the_network(cast, who, status):
    path = f"/networks/{cast.network.slug}/invitations"
    person = getattr(cast, who)
    assert (
        call_api(person, "post", path + "/preview", {"text": "a@example.test"}).status_code
        == status
    )
    assert (
        call_api(person, "post", path + "/bulk", {"text": "a@example.test"}).status_code == status
    )
    assert not Invitation.objects.exists()


def test_page_and_api_send_the_same_invitations_and_refuse_alike(cast):
    invite_open(cast)

    def snapshot():
        return rows(Invitation.objects.order_by("email"), leave_out={"nonce"})

    data = {"text": LIST, "role": "member", "message": "Hello"}
    page = fresh(
        lambda: page_as(cast.organizer).post(bulk_url(cast), {**data, "action": "send"}), snapshot
    )
    api = fresh(
        lambda: call_api(
            cast.organizer, "post", f"/networks/{cast.network.slug}/invitations/bulk", data
        ),
        snapshot,
    )
    assert api.response.status_code == 201
    assert len(api.response.json()["sent"]) == 2
    assert page.rows == api.rows
    assert len(page.rows) == 3

    nobody = {"text": "mo@northwind.test", "role": "member", "message": ""}
    page = fresh(
        lambda: page_as(cast.organizer).post(bulk_url(cast), {**nobody, "action": "send"}),
        snapshot,
    )
    api = fresh(
        lambda: call_api(
            cast.organizer, "post", f"/networks/{cast.network.slug}/invitations/bulk", nobody
        ),
        snapshot,
    )
    assert bulk_invitations.NOTHING_NEW in page.response.content.decode()
    assert api_fields(api.response) == {"text": [bulk_invitations.NOTHING_NEW]}
    assert page.rows == api.rows
