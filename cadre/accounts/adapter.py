import uuid
from contextlib import nullcontext
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.utils import translation

from cadre.delivery.services import Email, queue
from cadre.people.languages import is_offered, saved_language


class AccountAdapter(DefaultAccountAdapter):
    """Cadre is invitation-only: people join a network through an organizer's invitation
    (see cadre.networks.invitations), never through an open sign-up form. Account e-mails
    (address confirmation, password reset) go through the outbox like every other message."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(request.session.get("cadre_invitation_id"))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = context.get("request") or self.request
        full = {"email": email, "request": request, "current_site": get_current_site(request)}
        full.update(context)
        # In the recipient's saved language when the e-mail is about a known account; else in
        # the language of the page that sent it (someone signing up has none saved yet).
        language = saved_language(context.get("user"))
        with translation.override(language) if is_offered(language) else nullcontext():
            message = self.render_mail(template_prefix, email, full)
        # Each account e-mail is its own event (a second reset link is a new message).
        queue(
            Email(
                key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{uuid.uuid4().hex}",
                to=email,
                subject=message.subject,
                body=message.body,
                headers=dict(message.extra_headers),
            )
        )
