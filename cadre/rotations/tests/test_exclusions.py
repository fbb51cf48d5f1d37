"""A person's "please don't pair me with" list is theirs alone: nobody else sees it on any
page, in the admin or in an e-mail, organizers included."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from cadre.rotations.models import PairingExclusion

from .helpers import join, run_worker


@pytest.fixture
def secret(cast):
    """The member asked not to be paired with the host."""
    return PairingExclusion.objects.create(network=cast.network, owner=cast.member, other=cast.host)


def test_a_member_adds_and_removes_people_on_their_private_list(
    cast, client_for, coffee_url, ritual
):
    client = client_for(cast.member)
    back = coffee_url("detail", ritual.pk)
    response = client.post(coffee_url("exclusions"), {"user": cast.mentor.pk, "next": back})
    assert response.status_code == 302 and response.url == back
    found = PairingExclusion.objects.get()
    assert (found.owner, found.other, found.network) == (cast.member, cast.mentor, cast.network)
    page = client.get(back).content.decode()
    assert "Remove Mei Mentor from my list" in page
    response = client.post(coffee_url("exclusion_remove", found.pk), {"next": back})
    assert response.status_code == 302 and response.url == back
    assert not PairingExclusion.objects.exists()


@pytest.mark.parametrize(
    "other, message",
    [
        ("member", "Select a valid choice"),
        ("partner", "Select a valid choice"),
        ("outsider", "Select a valid choice"),
        ("", "This field is required"),
        ("host", "already on your list"),
    ],
)
def test_bad_entries_show_an_error_and_save_nothing(
    cast, client_for, coffee_url, secret, other, message
):
    value = getattr(cast, other).pk if other else ""
    response = client_for(cast.member).post(coffee_url("exclusions"), {"user": value})
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["user"])
    assert list(PairingExclusion.objects.all()) == [secret]


def test_an_offsite_next_is_ignored(cast, client_for, coffee_url):
    response = client_for(cast.member).post(
        coffee_url("exclusions"), {"user": cast.mentor.pk, "next": "https://evil.test/"}
    )
    assert response.url == coffee_url("exclusions")


@pytest.mark.parametrize(
    "person", ["admin", "organizer", "host", "other_cohort_member", "mentor", "outsider"]
)
def test_nobody_else_sees_a_private_list_on_any_page(
    cast, client_for, coffee_url, ritual, secret, person
):
    join(ritual, [cast.member, cast.host])
    client = client_for(getattr(cast, person))
    for path in (coffee_url("list"), coffee_url("detail", ritual.pk), coffee_url("exclusions")):
        response = client.get(path)
        assert b"Remove Hana Host" not in response.content
        assert b"Remove Mo Member" not in response.content
        if response.status_code == 200 and path != coffee_url("list"):
            assert "Nobody on your list" in response.content.decode()


@pytest.mark.parametrize("person", ["admin", "organizer", "host", "outsider"])
def test_nobody_else_can_remove_someone_elses_entry(cast, client_for, coffee_url, secret, person):
    response = client_for(getattr(cast, person)).post(coffee_url("exclusion_remove", secret.pk))
    assert response.status_code == 404
    assert PairingExclusion.objects.filter(pk=secret.pk).exists()


def test_the_admin_does_not_list_private_exclusions(cast, client_for, secret):
    admin_user = get_user_model().objects.create_superuser(
        email="root@example.test", password="correct horse battery", name="Root"
    )
    client = client_for(admin_user)
    assert client.get("/admin/rotations/pairingexclusion/").status_code == 404
    index = client.get("/admin/").content.decode()
    assert "Pairing exclusion" not in index and "Rituals" in index


def test_announcements_never_mention_a_private_list(cast, client_for, coffee_url, ritual, secret):
    join(ritual, [cast.member, cast.host, cast.mentor, cast.other_cohort_member])
    client_for(cast.organizer).post(coffee_url("generate", ritual.pk))
    groups = [{m.user_id for m in g.members.all()} for g in ritual.rounds.get().groups.all()]
    assert not any({cast.member.pk, cast.host.pk} <= group for group in groups)
    run_worker()
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert "don't pair" not in message.body.lower()
        assert "exclu" not in message.body.lower()
        assert "private" not in message.body.lower()
