from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Cadre is invitation-only: people join a network through an organizer's invitation
    (see cadre.networks.invitations), never through an open sign-up form."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(request.session.get("cadre_invitation_id"))
