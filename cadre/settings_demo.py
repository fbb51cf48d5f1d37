"""Settings for `cadre demo` (and so `make demo`): Cadre's own settings with DEBUG off, so the
demo shows what people will see (Cadre's 403, 404 and 500 pages, never Django's technical
pages listing every URL), made to run on one machine over plain HTTP with nothing to set up:

- DEBUG off (DEBUG=1 still turns it on for someone debugging the demo);
- a secret key generated once into var/secret-key and reused (SECRET_KEY still wins), the
  same key a development machine uses;
- plain HTTP: no redirect to HTTPS, no HSTS, cookies not marked secure-only;
- ALLOWED_HOSTS: the local names, plus the host `cadre demo --serve --addr` serves on (see
  the demo command);
- e-mail written to files in var/mail/, one per message batch, to read at leisure (unless
  EMAIL_BACKEND or EMAIL_HOST says otherwise);
- static files served by WhiteNoise straight from the source folders: no collectstatic;
- two-factor sign-in not required of organizers (the demo log-ins have no authenticator).

`cadre/cli.py` picks this module for the `demo` command; everything else keeps
`cadre.settings`.
"""

import os
from pathlib import Path

from cadre.secret_key import local_secret_key

_VAR_DIR = Path(
    os.environ.get("CADRE_VAR_DIR", Path(__file__).resolve().parent.parent / "var")
)  # as cadre.settings has it; read here because its SECRET_KEY check runs on import
SECRET_KEY_FILE = _VAR_DIR / "secret-key"

os.environ.setdefault("DEBUG", "0")
if not os.environ.get("SECRET_KEY"):
    os.environ["SECRET_KEY"] = local_secret_key(SECRET_KEY_FILE)

from cadre.settings import *  # noqa: E402, F403  (the demo is Cadre's settings, adjusted)
from cadre.settings import VAR_DIR, env_bool, env_list  # noqa: E402

# Plain HTTP on this machine.
SECURE_SSL_REDIRECT = False
SECURE_PROXY_SSL_HEADER = None
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

if not os.environ.get("EMAIL_BACKEND") and not os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# WhiteNoise serves the source folders (the finders) with unhashed names, so the demo needs
# no collectstatic step; there is no collected folder to look in.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None

CADRE_REQUIRE_2FA_FOR_ORGANIZERS = env_bool("CADRE_REQUIRE_2FA_FOR_ORGANIZERS", False)
