"""Which language a person reads Cadre in: the one rule, for pages and e-mails alike.

- A visitor gets the language they chose with the footer's switcher (a cookie), or else the
  first of settings.LANGUAGES their browser asks for (Accept-Language), or else English:
  that is Django's LocaleMiddleware.
- A signed-in person's saved language (Profile.language) wins over both. It is copied into
  their session when they sign in and when they change it, so a page reads it from the
  session and costs no query.
- An e-mail is written in its recipient's saved language (`in_language_of`), or in English
  when they never chose one: the sender's browser says nothing about the recipient.

    with in_language_of(person):
        body = render_to_string("cohorts/email_seat.txt", context)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

SESSION_KEY = "cadre_language"


def is_offered(code: str | None) -> bool:
    return bool(code) and code in dict(settings.LANGUAGES)


def saved_language(user: Any, *, fresh: bool = False) -> str:
    """The language the person chose on their profile; "" when they never chose one. A
    profile already loaded with the user (select_related) is used unless `fresh`."""
    from cadre.people.models import Profile

    if user is None or not getattr(user, "pk", None):
        return ""
    cache = user._state.fields_cache
    if "profile" in cache and not fresh:
        return cache["profile"].language if cache["profile"] is not None else ""
    language = Profile.objects.filter(user=user.pk).values_list("language", flat=True).first()
    return language or ""


def language_of(user: Any) -> str:
    """The language to write to `user` in: their saved one, else the site's default."""
    language = saved_language(user)
    return language if is_offered(language) else settings.LANGUAGE_CODE


@contextmanager
def in_language_of(user: Any) -> Iterator[str]:
    """Render what is inside (an e-mail's subject and body) in the recipient's language."""
    language = language_of(user)
    with translation.override(language):
        yield language


def remember(request: HttpRequest, language: str) -> None:
    """Keep the person's saved language in their session (blank: follow the browser)."""
    if is_offered(language):
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)


def set_cookie(response: HttpResponseBase, language: str) -> None:
    """The footer switcher's choice, for a visitor who is not signed in."""
    if is_offered(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH)


@receiver(user_logged_in, dispatch_uid="cadre.people.languages.on_sign_in")
def on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, saved_language(user, fresh=True))


class LanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware (the cookie, then the browser), then the person's saved language when
    their session holds one. Sits after SessionMiddleware and before CommonMiddleware."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        session = getattr(request, "session", None)
        saved = session.get(SESSION_KEY) if session is not None else None
        if isinstance(saved, str) and is_offered(saved):
            translation.activate(saved)
            request.LANGUAGE_CODE = translation.get_language()
