"""A person's picture: checked, squared and stripped of its metadata; shown to the people who
may see the person and to nobody else, who see initials instead; uploaded and removed through
the profile page and the API alike."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from PIL.ExifTags import IFD, Base

from cadre.api.models import ApiToken
from cadre.lib.rules import Refused
from cadre.people import avatars
from cadre.people.models import Profile
from cadre.people.policy import avatar_visible_people, can_view_avatar

PROFILE = reverse("people:profile_edit")
UPLOAD = reverse("people:avatar_edit")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def jpeg_with_gps(width: int = 640, height: int = 480) -> bytes:
    """A photo as a phone takes it: EXIF with the camera's make and where it was taken."""
    image = Image.new("RGB", (width, height), (200, 40, 40))
    exif = Image.Exif()
    exif[Base.Make] = "SecretPhone"
    exif[Base.ImageDescription] = "Taken at home"
    exif[IFD.GPSInfo] = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(width: int = 50, height: int = 80) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (width, height), (0, 90, 200, 255)).save(out, format="PNG")
    return out.getvalue()


def upload(data: bytes, name: str = "me.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def stored(user: Any) -> Image.Image:
    profile = Profile.objects.get(user=user)
    with profile.avatar.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


def test_the_photo_of_a_phone_is_kept_without_its_gps_position_or_camera(cast):
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(IFD.GPSInfo)  # the test can fail
    avatars.set_avatar(cast.member, io.BytesIO(raw))
    image = stored(cast.member)
    assert image.format == "JPEG"
    assert image.size == (avatars.SIZE, avatars.SIZE)
    exif = image.getexif()
    assert not exif.get_ifd(IFD.GPSInfo)
    assert len(exif) == 0
    assert "exif" not in image.info
    profile = Profile.objects.get(user=cast.member)
    with profile.avatar.open("rb") as handle:
        body = handle.read()
    assert b"SecretPhone" not in body and b"Taken at home" not in body


def test_a_tall_png_is_cropped_to_a_square(cast):
    avatars.set_avatar(cast.member, io.BytesIO(png(50, 80)))
    assert stored(cast.member).size == (avatars.SIZE, avatars.SIZE)


def test_what_is_not_a_picture_is_refused_and_nothing_is_stored(cast):
    with pytest.raises(Refused) as refused:
        avatars.set_avatar(cast.member, io.BytesIO(b"%PDF-1.4 not an image"))
    assert refused.value.message == avatars.NOT_AN_IMAGE
    assert not Profile.objects.get(user=cast.member).avatar


def test_a_gif_is_refused(cast):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(Refused, match="JPEG, PNG or WebP"):
        avatars.set_avatar(cast.member, io.BytesIO(out.getvalue()))


def test_a_picture_over_the_size_limit_is_refused(cast):
    with pytest.raises(Refused) as refused:
        avatars.set_avatar(cast.member, io.BytesIO(b"x" * (avatars.MAX_BYTES + 1)))
    assert refused.value.message == avatars.TOO_BIG


def test_a_new_picture_replaces_the_old_file(cast):
    first = avatars.set_avatar(cast.member, io.BytesIO(png())).avatar.name
    second = avatars.set_avatar(cast.member, io.BytesIO(png())).avatar.name
    storage = Profile.objects.get(user=cast.member).avatar.storage
    assert first != second
    assert not storage.exists(first) and storage.exists(second)


def test_initials_and_colour_are_stable(cast):
    assert avatars.initials(cast.member) == "MM"
    assert avatars.colour_of(cast.member) == avatars.colour_of(cast.member)
    assert 0 <= avatars.colour_of(cast.member) < avatars.COLOURS


# --- the profile page ---------------------------------------------------------------------


def test_a_person_uploads_and_removes_their_picture_on_the_profile_page(cast, client_for):
    client = client_for(cast.member)
    response = client.post(UPLOAD, {"avatar": upload(jpeg_with_gps())}, follow=True)
    assert "Your picture is saved." in response.content.decode()
    profile = Profile.objects.get(user=cast.member)
    assert profile.avatar
    assert f'src="/avatars/{cast.member.pk}/' in response.content.decode()
    response = client.post(UPLOAD, {"action": "remove"}, follow=True)
    assert "Your picture is removed" in response.content.decode()
    profile.refresh_from_db()
    assert not profile.avatar


def test_a_bad_upload_on_the_page_says_why(cast, client_for):
    response = client_for(cast.member).post(
        UPLOAD, {"avatar": upload(b"not an image", "x.jpg")}, follow=True
    )
    assert "That file is not a picture Cadre can use" in response.content.decode()
    assert not Profile.objects.get(user=cast.member).avatar


def test_anonymous_cannot_upload(cast, client_for):
    response = client_for(None).post(UPLOAD, {"avatar": upload(png())})
    assert response.status_code == 302


# --- who sees the picture -------------------------------------------------------------------


def picture_url(user):
    return reverse("avatar", args=[user.pk])


@pytest.mark.parametrize(
    "viewer,status",
    [
        ("member", 200),  # themselves
        ("host", 200),
        ("other_cohort_member", 200),
        ("mentor", 200),
        ("organizer", 200),
        ("admin", 200),
        ("newcomer", 200),  # in the network: the directory's rule, not a cohort's
        ("partner", 404),  # partners do not see the directory
        ("outsider", 404),  # another network
    ],
)
def test_who_may_see_a_picture(cast, client_for, viewer, status):
    avatars.set_avatar(cast.member, io.BytesIO(png()))
    response = client_for(getattr(cast, viewer)).get(picture_url(cast.member))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/jpeg"
        assert "private" in response["Cache-Control"]
    assert can_view_avatar(getattr(cast, viewer), cast.member) is (status == 200)
    seen = avatar_visible_people(getattr(cast, viewer)).filter(pk=cast.member.pk).exists()
    assert seen is (status == 200)


def test_anonymous_is_sent_to_sign_in_for_a_picture(cast, client_for):
    avatars.set_avatar(cast.member, io.BytesIO(png()))
    assert client_for(None).get(picture_url(cast.member)).status_code == 302


def test_no_picture_is_not_found(cast, client_for):
    assert client_for(cast.host).get(picture_url(cast.member)).status_code == 404


def test_the_cohort_roster_and_manage_members_show_the_picture(cast, client_for):
    avatars.set_avatar(cast.member, io.BytesIO(png()))
    for name in ("cohorts:detail", "cohorts:members"):
        url = reverse(name, args=[cast.network.slug, cast.cohort.slug])
        page = client_for(cast.organizer).get(url).content.decode()
        assert f'src="/avatars/{cast.member.pk}/' in page, name
        assert 'aria-label="Hana Host"' in page  # no picture: initials


def test_the_directory_shows_pictures_and_initials(cast, client_for):
    avatars.set_avatar(cast.member, io.BytesIO(png()))
    page = (
        client_for(cast.host)
        .get(reverse("networks:directory", args=[cast.network.slug]))
        .content.decode()
    )
    assert f'src="/avatars/{cast.member.pk}/' in page
    assert 'alt="Mo Member"' in page
    assert 'role="img" aria-label="Olu Organizer"' in page  # no picture: initials


# --- the API ----------------------------------------------------------------------------------


def api_client(user):
    from django.test import Client

    token = ApiToken.issue(user, "test")[1]
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_the_api_uploads_and_removes_a_picture(cast):
    client = api_client(cast.member)
    response = client.post("/api/v1/me/avatar", {"avatar": upload(jpeg_with_gps())})
    assert response.status_code == 200, response.content
    url = response.json()["avatar_url"]
    assert f"/avatars/{cast.member.pk}/?v=" in url
    assert not stored(cast.member).getexif().get_ifd(IFD.GPSInfo)
    assert client.get("/api/v1/me").json()["avatar_url"] == url
    assert client.delete("/api/v1/me/avatar").status_code == 204
    assert not Profile.objects.get(user=cast.member).avatar
    assert client.get("/api/v1/me").json()["avatar_url"] == ""


def test_the_api_refuses_what_is_not_a_picture(cast):
    response = api_client(cast.member).post(
        "/api/v1/me/avatar", {"avatar": upload(b"nope", "x.png")}
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == avatars.NOT_AN_IMAGE


def test_the_directory_api_gives_the_picture_only_to_those_who_may_see_it(cast):
    avatars.set_avatar(cast.member, io.BytesIO(png()))
    path = f"/api/v1/networks/{cast.network.slug}/members/{cast.member.pk}"
    assert "/avatars/" in api_client(cast.host).get(path).json()["avatar_url"]
    assert api_client(cast.partner).get(path).status_code == 404
    assert api_client(cast.outsider).get(path).status_code == 404


def test_a_cohort_mate_who_left_the_network_shows_initials(cast):
    """Sharing a cohort is not enough: the rule stays the network's (an active insider)."""
    from cadre.networks.models import NetworkMembership
    from cadre.networks.policy import forget

    NetworkMembership.objects.filter(user=cast.host, network=cast.network).delete()
    forget(cast.member)
    assert can_view_avatar(cast.member, cast.host) is False
    assert can_view_avatar(cast.member, cast.other_cohort_member) is True  # not a cohort mate


def test_the_people_of_a_cohort_page_are_checked_without_reading_the_whole_network(
    cast, client_for
):
    """The roster's people share the viewer's cohort: one query about them, none over the
    network's people, however many the network has."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cadre.networks.models import NetworkMembership, Role
    from cadre.testing import make_user

    url = reverse("cohorts:detail", args=[cast.network.slug, cast.cohort.slug])
    client = client_for(cast.member)

    def people_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries if 'FROM "networks_networkmembership"' in q["sql"]]

    small = people_queries()
    for n in range(30):
        person = make_user(f"p{n}@northwind.test", f"P {n}")
        NetworkMembership.objects.create(network=cast.network, user=person, role=Role.MEMBER)
    large = people_queries()
    assert len(large) == len(small)
    assert all("cohorts_cohortmembership" in sql for sql in large if '"user_id" AS' in sql)
    # Someone outside the viewer's cohorts is still checked by the network's rule.
    assert can_view_avatar(cast.member, cast.other_cohort_member) is True
    assert can_view_avatar(cast.member, cast.outsider) is False
