import pytest
from django.conf import settings as django_settings

from cadre.accounts.models import User


def test_argon2_is_the_password_hasher_cadre_ships_with():
    from cadre import settings as cadre_settings

    assert cadre_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_passwords_are_stored_as_argon2_hashes(settings):
    from cadre import settings as cadre_settings

    # The suite hashes with MD5 for speed (cadre/testing.py); put Cadre's own list back.
    settings.PASSWORD_HASHERS = cadre_settings.PASSWORD_HASHERS
    user = User.objects.create_user("argon@example.test", "a long enough passphrase", name="Ar")
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password("a long enough passphrase")
    assert django_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
