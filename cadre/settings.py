"""Cadre's one settings module. Everything that differs between machines comes from the
environment; see docs/operating.md for the full list."""

import importlib
import ipaddress
import logging
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cadre.secret_key import local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CADRE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}.")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. Generate one with "
            "`python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`, "
            "or set DEBUG=1 on a development machine."
        )
    # A development machine makes its own key, once, into var/: never one shared by every
    # copy of Cadre, which would let anyone forge its sessions and links.
    SECRET_KEY = local_secret_key(VAR_DIR / "secret-key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "cadre.accounts",
    "cadre.accounts.sites.AdminSiteConfig",  # django.contrib.admin, with Cadre's sign-in
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its templates, for FORM_RENDERER below
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "ninja",  # serves the API docs page's assets locally instead of from a CDN
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "cadre.delivery",
    "cadre.networks",
    "cadre.people",
    "cadre.cohorts",
    "cadre.formation",
    "cadre.schedule",
    "cadre.rotations",
    "cadre.pairings",
    "cadre.accountability",
    "cadre.reminders",
    "cadre.coaching",
    "cadre.diagnostics",
    "cadre.journal",
    "cadre.repository",
    "cadre.programmes",
    "cadre.sso",
    "cadre.health",
    "cadre.metrics",
    "cadre.conversation",
    "cadre.transfer",
    "cadre.impact",
    "cadre.events",
    "cadre.webhooks",
    "cadre.chat",
    "cadre.api",
    "cadre.worker",
    "cadre.demo",
]

# Forms render through the project's templates, so cadre/templates/django/forms/label.html
# marks required fields on every form, and a Markdown field's textarea offers a preview.
FORM_RENDERER = "cadre.lib.forms.Renderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cadre.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware (browser, then the language cookie) plus a signed-in person's
    # saved language, read from their session: no query per page.
    "cadre.people.languages.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cadre.accounts.middleware.RequireTwoFactorMiddleware",
    "cadre.middleware.MethodNotAllowedPage",
]

ROOT_URLCONF = "cadre.urls"
WSGI_APPLICATION = "cadre.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cadre" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # `nav`: the network menu, cohort tabs and breadcrumbs (cadre/navigation.py).
                "cadre.navigation.navigation",
                # `unread_notifications`: the header's inbox badge (cadre/conversation).
                "cadre.conversation.context.unread_notifications",
            ],
            # `{{ text|markdown }}` renders user Markdown and sanitizes it;
            # `{% may "can_…" user thing as ok %}` asks the apps' policy modules;
            # `{{ value|number:"%" }}` prints every number the same way (cadre.lib.numbers).
            "builtins": [
                "cadre.lib.markdown",
                "cadre.networks.access_tags",
                "cadre.lib.number_filter",
                "cadre.people.templatetags.avatars",  # {% avatar person size=32 %}
            ],
        },
    },
]

# Databases. SQLite is the embedded default: WAL so readers never block the writer, a busy
# timeout so a second writer waits instead of failing, and IMMEDIATE transactions so a
# transaction takes the write lock up front rather than failing with "database is locked"
# when it upgrades from read to write half-way.
SQLITE_PATH = VAR_DIR / "cadre.sqlite3"
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
# Persistent connections on both databases: a request reuses its thread's connection instead
# of opening one (on SQLite, opening also runs the pragmas above). Each thread of the web
# server and each worker process holds its own; a broken one is replaced at the next request.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The languages Cadre's pages and e-mails come in (docs/languages.md). A visitor gets the
# first of these their browser asks for, or the one they chose in the footer; a signed-in
# person's choice on their profile wins (cadre.people.languages). English is the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("de", "Deutsch")]
LOCALE_PATHS = [BASE_DIR / "cadre" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "cadre" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Cache: local memory by default (rate limits are per process then); point CACHE_URL-less
# deployments with several web processes at a shared cache with CADRE_REDIS_URL.
if os.environ.get("CADRE_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["CADRE_REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# E-mail: printed to the console unless an SMTP host is configured.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cadre <cadre@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Accounts (django-allauth): e-mail is the log-in; sign-up is by invitation only.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "cadre.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Cadre] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed sign-ins are limited per address and per account (allauth keeps the counts in the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": os.environ.get("CADRE_LOGIN_RATE", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Single sign-on (cadre.sso): a network admin adds an OpenID Connect or SAML identity provider
# on the network's settings; nothing here turns it on. The providers' rules are Cadre's adapter;
# access tokens from a provider are not kept; a provider that does not answer in 5 seconds
# counts as down.
SOCIALACCOUNT_ADAPTER = "cadre.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 5
MFA_TOTP_ISSUER = "Cadre"

# Two-factor sign-in is offered to everyone; this makes it required for network admins and
# organizers. On by default in production; off with DEBUG and in the demo (settings_demo).
CADRE_REQUIRE_2FA_FOR_ORGANIZERS = env_bool("CADRE_REQUIRE_2FA_FOR_ORGANIZERS", not DEBUG)
CADRE_INVITATION_MAX_AGE_DAYS = int(os.environ.get("CADRE_INVITATION_MAX_AGE_DAYS", "14"))
CADRE_SITE_URL = os.environ.get("CADRE_SITE_URL", "http://127.0.0.1:8000")
# A self-hosted video service's room address with {network}, {cohort} and {token}; empty: off.
CADRE_VIDEO_ROOM_PATTERN = os.environ.get("CADRE_VIDEO_ROOM_PATTERN", "")
# How many days before its date `cadre worker` generates a coffee round or extends a coaching
# rotation, and announces it.
CADRE_ROUNDS_LEAD_DAYS = int(os.environ.get("CADRE_ROUNDS_LEAD_DAYS", "2"))
# Chat (docs/slack.md, docs/teams.md). Stored tokens are encrypted with CADRE_ENCRYPTION_KEY;
# Slack is off until its app's client id, client secret and signing secret are set.
CADRE_ENCRYPTION_KEY = os.environ.get("CADRE_ENCRYPTION_KEY", "")
CADRE_SLACK_CLIENT_ID = os.environ.get("CADRE_SLACK_CLIENT_ID", "")
CADRE_SLACK_CLIENT_SECRET = os.environ.get("CADRE_SLACK_CLIENT_SECRET", "")
CADRE_SLACK_SIGNING_SECRET = os.environ.get("CADRE_SLACK_SIGNING_SECRET", "")
CADRE_SLACK_API_URL = os.environ.get("CADRE_SLACK_API_URL", "https://slack.com/api/")
CADRE_SLACK_AUTHORIZE_URL = os.environ.get(
    "CADRE_SLACK_AUTHORIZE_URL", "https://slack.com/oauth/v2/authorize"
)
# How many hours before a session its "starts soon" notice is posted to the cohort's channel.
CADRE_CHAT_SESSION_LEAD_HOURS = int(os.environ.get("CADRE_CHAT_SESSION_LEAD_HOURS", "2"))
# How many days after a coffee round, a mentor match or a coaching round Cadre asks "did you
# meet?" (cadre.pairings.asking).
CADRE_MEETING_CHECK_DAYS = 7

# Security headers: on whenever DEBUG is off, so `cadre check --deploy` is clean.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Probes from inside the network speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER: tuple[str, str] | None = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# The TLS proxy in front of `cadre serve` (docs/operating.md, "Behind a TLS proxy"): waitress
# believes the forwarded headers only from this address, and drops them from anyone else. The
# proxy's X-Forwarded-Proto then tells Django the request came over HTTPS, and its
# X-Forwarded-For becomes the client's address (REMOTE_ADDR), which the rate limits count by.
CADRE_TRUSTED_PROXY = os.environ.get("CADRE_TRUSTED_PROXY", "").strip()
if CADRE_TRUSTED_PROXY:
    try:
        # waitress compares the peer's address as text: write it the way waitress reads it.
        CADRE_TRUSTED_PROXY = str(ipaddress.ip_address(CADRE_TRUSTED_PROXY.strip("[]")))
    except ValueError:
        raise ImproperlyConfigured(
            "CADRE_TRUSTED_PROXY must be the IP address the proxy connects from (e.g. "
            f"127.0.0.1), not {CADRE_TRUSTED_PROXY!r}."
        ) from None


def env_count(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit() or int(value) < 1:
        raise ImproperlyConfigured(f"{name} must be a whole number, 1 or more, not {value!r}.")
    return int(value)


CADRE_TRUSTED_PROXY_COUNT = env_count("CADRE_TRUSTED_PROXY_COUNT", 1)
CADRE_TRUSTED_PROXY_HEADERS = [
    name.lower()
    for name in env_list("CADRE_TRUSTED_PROXY_HEADERS", ["x-forwarded-for", "x-forwarded-proto"])
]
x_forwarded = {
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-forwarded-by",
}
if CADRE_TRUSTED_PROXY_HEADERS != ["forwarded"] and not (
    set(CADRE_TRUSTED_PROXY_HEADERS) <= x_forwarded
):
    raise ImproperlyConfigured(
        "CADRE_TRUSTED_PROXY_HEADERS must be `forwarded` alone, or some of "
        f"{', '.join(sorted(x_forwarded))}; not {','.join(CADRE_TRUSTED_PROXY_HEADERS)!r}."
    )
# Every rate limit (sign-in, API, search) takes the client's address from REMOTE_ADDR alone,
# never from a forwarded header a client could have written itself.
ALLAUTH_TRUSTED_PROXY_COUNT = 0
NINJA_NUM_PROXIES = 0

# Content-Security-Policy (django-csp): scripts and styles only from Cadre's own static files,
# no inline script or style, no eval (htmx's is switched off in base.html), so injected markup
# cannot run. Images may be data: URIs (the two-factor QR code). The admin, allauth's pages
# and the API docs work under it; a page that ever needs more gets its own policy with
# django-csp's decorators rather than a looser one here.
CADRE_CSP_REPORT_URI = os.environ.get("CADRE_CSP_REPORT_URI", "")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        **({"report-uri": [CADRE_CSP_REPORT_URI]} if CADRE_CSP_REPORT_URI else {}),
    }
}

# Logging: one handler on standard error for every process (web, worker, commands). Each line
# carries the time, the level and the logger; LOG_FORMAT=json makes each line one JSON object
# for a log collector.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
# Python's warnings go through logging too, so they carry the same fields (and a JSON stream
# stays JSON).
logging.captureWarnings(True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "{levelname}{name}{message}",
            "style": "{",
            "timestamp": "time",  # ISO 8601 in UTC, whatever the machine's time zone
            "rename_fields": {"levelname": "level", "name": "logger", "exc_info": "exception"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "level": LOG_LEVEL}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own defaults give these loggers handlers of their own that print bare
        # messages; without handlers here they reach the root handler above, formatted.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "INFO"},
    },
}

# Error reporting to Sentry (or a Sentry-compatible service), only when SENTRY_DSN is set.
# What people wrote and who they are stay here: no cookies, user ids or addresses, request
# bodies or local variables (which hold form data, e-mail addresses and tokens) are sent.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
SENTRY_ENVIRONMENT = os.environ.get("SENTRY_ENVIRONMENT", "production")
SENTRY_RELEASE = os.environ.get("SENTRY_RELEASE", "")


def env_fraction(name: str, default: float) -> float:
    value = os.environ.get(name) or str(default)
    try:
        fraction: float | None = float(value)
    except ValueError:
        fraction = None
    if fraction is None or not 0 <= fraction <= 1:
        raise ImproperlyConfigured(f"{name} must be a number from 0 to 1, not {value!r}.")
    return fraction


SENTRY_TRACES_SAMPLE_RATE = env_fraction("SENTRY_TRACES_SAMPLE_RATE", 0)
if SENTRY_DSN:
    from importlib.metadata import version

    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration()],
        environment=SENTRY_ENVIRONMENT,
        release=SENTRY_RELEASE or f"cadre@{version('cadre')}",
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
    )

# Background work (formation runs, e-mail, reminders, rounds, health) goes through Django's
# task API (the django-tasks backport) on the database queue; run it with `cadre worker`,
# which also queues the periodic jobs (cadre.worker.jobs).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CADRE_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# `cadre worker`'s clock, in seconds (docs/operating.md, "Background work"): each worker beats
# every CADRE_WORKER_BEAT_SECONDS; one silent for CADRE_WORKER_SILENT_SECONDS is presumed dead
# and what it held is reaped, which each worker looks for every CADRE_WORKER_REAP_SECONDS; an
# e-mail claimed by a sender that died goes back to the queue after CADRE_OUTBOX_LEASE_SECONDS.
# The defaults suit production; a test of killed workers shortens them.
CADRE_WORKER_BEAT_SECONDS = env_count("CADRE_WORKER_BEAT_SECONDS", 5)
CADRE_WORKER_SILENT_SECONDS = env_count("CADRE_WORKER_SILENT_SECONDS", 120)
CADRE_WORKER_REAP_SECONDS = env_count("CADRE_WORKER_REAP_SECONDS", 60)
CADRE_OUTBOX_LEASE_SECONDS = env_count("CADRE_OUTBOX_LEASE_SECONDS", 600)
if CADRE_WORKER_SILENT_SECONDS < 3 * CADRE_WORKER_BEAT_SECONDS:
    # A worker slowed down for a moment would be taken for dead, and its task run twice.
    raise ImproperlyConfigured(
        "CADRE_WORKER_SILENT_SECONDS must be at least three times CADRE_WORKER_BEAT_SECONDS, "
        f"not {CADRE_WORKER_SILENT_SECONDS} for a beat every {CADRE_WORKER_BEAT_SECONDS}."
    )


# django-debug-toolbar, a development tool (requirements-dev.lock): shown with DEBUG on where it
# is installed, to the loopback addresses only; never in production (no DEBUG, and a
# production install does not have it). CADRE_DEBUG_TOOLBAR=0 turns it off; the tests do.
def installed(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


CADRE_DEBUG_TOOLBAR = DEBUG and env_bool("CADRE_DEBUG_TOOLBAR", True) and installed("debug_toolbar")
if CADRE_DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    # Early, as its docs ask, but after whitenoise: static files are served without it.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
        "debug_toolbar.middleware.DebugToolbarMiddleware",
    )
    INTERNAL_IPS = ["127.0.0.1", "::1"]

NINJA_PAGINATION_PER_PAGE = 50
# Requests per person to the API (django-ninja's throttle syntax, e.g. 600/m).
CADRE_API_RATE = os.environ.get("CADRE_API_RATE", "600/m")
# A folder with DejaVuSans.ttf and DejaVuSans-Bold.ttf for the impact report's PDF; empty:
# look where Linux distributions install them (without them the PDF uses Helvetica, Latin-1).
CADRE_PDF_FONT_DIR = os.environ.get("CADRE_PDF_FONT_DIR", "")
# Library searches per person, on the search page and the API together (same syntax).
CADRE_SEARCH_RATE = os.environ.get("CADRE_SEARCH_RATE", "30/m")

# Uploaded files (people's pictures) live under the var directory, beside the database, and
# are served by Cadre's own views, which apply who may see them; there is no public MEDIA_URL.
MEDIA_ROOT = VAR_DIR / "media"
