"""A person's picture: an upload checked as an image, squared, resized and re-encoded so no
metadata (EXIF, GPS, comments) survives, kept under MEDIA_ROOT; or, without a picture, their
initials on a colour chosen from their id.

    set_avatar(me, upload)      # refused with a sentence if it is not a usable image
    remove_avatar(me)

Who may see a picture is `cadre.people.policy.can_view_avatar`."""

from __future__ import annotations

import hashlib
import io
import secrets
from typing import IO, TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image, ImageOps, UnidentifiedImageError

from cadre.lib.rules import Refused

from .models import Profile

if TYPE_CHECKING:
    from cadre.accounts.models import User

SIZE = 256  # pixels a side, as stored
MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a larger image is refused before it is decoded
FORMATS = {"JPEG", "PNG", "WEBP"}
COLOURS = 8  # avatar-c0 … avatar-c7 in cadre.css, each with white text at AA contrast

TOO_BIG = gettext_noop("The picture is larger than 5 MB; please choose a smaller one.")
NOT_AN_IMAGE = gettext_noop(
    "That file is not a picture Cadre can use: please choose a JPEG, PNG or WebP image."
)


def _read(upload: IO[bytes], size: int | None) -> bytes:
    if size is not None and size > MAX_BYTES:
        raise Refused(_(TOO_BIG), field="avatar")
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused(_(TOO_BIG), field="avatar")
    return data


def square_picture(data: bytes) -> bytes:
    """The image in `data` cropped to its centre square, turned upright, resized to SIZE and
    written afresh as JPEG: only pixels are copied, so no metadata comes along."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in FORMATS:
                raise Refused(_(NOT_AN_IMAGE), field="avatar")
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise Refused(
                    _("The picture has too many pixels; please choose one under 40 megapixels."),
                    field="avatar",
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image) or image
            square = ImageOps.fit(upright.convert("RGB"), (SIZE, SIZE), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise Refused(_(NOT_AN_IMAGE), field="avatar") from exc
    # A fresh image of the pixels alone: no info dict, no EXIF, no ICC profile is carried.
    clean = Image.new("RGB", square.size)
    clean.paste(square)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def set_avatar(user: User, upload: IO[bytes], *, size: int | None = None) -> Profile:
    """Make the uploaded picture `user`'s own, replacing any picture they had."""
    picture = square_picture(_read(upload, size))
    with transaction.atomic():
        profile, _created = Profile.objects.select_for_update().get_or_create(user=user)
        old = profile.avatar.name if profile.avatar else ""
        # A new name each time, so a browser's cached copy of the old picture is not reused.
        profile.avatar.save(
            f"{user.pk}-{secrets.token_hex(6)}.jpg", ContentFile(picture), save=False
        )
        profile.save(update_fields=["avatar", "updated_at"])
    if old:
        profile.avatar.storage.delete(old)
    return profile


def remove_avatar(user: User) -> bool:
    """Remove `user`'s picture (their initials show again); False if they had none."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None or not profile.avatar:
        return False
    name = profile.avatar.name
    profile.avatar = ""
    profile.save(update_fields=["avatar", "updated_at"])
    profile.avatar.storage.delete(name)
    return True


def initials(user: Any) -> str:
    """Up to two letters from the person's name (or e-mail address)."""
    words = [w for w in (getattr(user, "name", "") or "").split() if w[:1].isalnum()]
    if not words:
        email = getattr(user, "email", "") or "?"
        return email[:1].upper()
    if len(words) == 1:
        return words[0][:1].upper()
    return (words[0][:1] + words[-1][:1]).upper()


def colour_of(user: Any) -> int:
    """The same colour for the same person on every page and every server."""
    digest = hashlib.sha256(str(getattr(user, "pk", "") or "").encode()).digest()
    return digest[0] % COLOURS


def picture_of(user: Any) -> str:
    """The stored picture's name, or "" (reads the profile; prefetch it for lists)."""
    try:
        profile = user.profile
    except Profile.DoesNotExist:
        return ""
    return profile.avatar.name if profile.avatar else ""


def avatar_url(user: Any) -> str:
    """The address of `user`'s picture (it changes whenever the picture does), or "". Ask
    `can_view_avatar` before showing it."""
    name = picture_of(user)
    if not name:
        return ""
    version = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return f"{reverse('avatar', args=[user.pk])}?v={version}"
