"""A real OpenID Connect provider for the tests: django-oauth-toolkit in its OIDC mode, as a
small Django project of its own (its own users and database), run in a child process by
`oidc_provider` in conftest.py. Its users sign in at /login/ with their e-mail alone.

Configured by environment: IDP_PORT, IDP_DB, IDP_RSA_KEY (PEM), IDP_CLIENT_ID,
IDP_CLIENT_SECRET, IDP_REDIRECT_URI, IDP_USERS (comma-separated e-mail addresses)."""

from __future__ import annotations

import os
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import django
from django.conf import settings


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def _configure() -> None:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-idp-only",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "oauth2_provider",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["IDP_DB"]}
        },
        USE_TZ=True,
        LOGIN_URL="/login/",
        SESSION_COOKIE_NAME="idp_session",
        OAUTH2_PROVIDER={
            "OIDC_ENABLED": True,
            "OIDC_RSA_PRIVATE_KEY": os.environ["IDP_RSA_KEY"],
            "SCOPES": {"openid": "OpenID", "email": "E-mail", "profile": "Profile"},
            "OAUTH2_VALIDATOR_CLASS": f"{__name__}.Validator",
        },
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        TEMPLATES=[
            {"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}
        ],
    )


if __name__ == "__main__":
    _configure()
    django.setup()

from django.contrib.auth import login as auth_login  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect  # noqa: E402
from django.urls import include, path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402
from oauth2_provider.oauth2_validators import OAuth2Validator  # noqa: E402


class Validator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email_verified": "email"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }


@csrf_exempt
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user: Any = User.objects.get(email=request.POST["email"])
        auth_login(request, user)
        return HttpResponseRedirect(request.POST.get("next") or "/")
    return HttpResponse("Sign in at the test provider.")


urlpatterns = [
    path("login/", sign_in),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]


def main() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    for email in filter(None, os.environ["IDP_USERS"].split(",")):
        name = email.split("@")[0].title()
        User.objects.create_user(username=email, email=email, first_name=name, last_name="Test")
    from oauth2_provider.models import get_application_model

    Application: Any = get_application_model()
    Application.objects.create(
        name="Cadre",
        client_id=os.environ["IDP_CLIENT_ID"],
        client_secret=os.environ["IDP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["IDP_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    from django.core.handlers.wsgi import WSGIHandler

    server = make_server(
        "127.0.0.1", int(os.environ["IDP_PORT"]), WSGIHandler(), _Server, handler_class=_Quiet
    )
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
