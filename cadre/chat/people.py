"""Who a Slack user is in Cadre: the active person with a verified e-mail address equal to
the one Slack gives for them (users.info, kept a day in SlackIdentity). No such person: None,
and the Slack door says so; a Slack user never acts as anyone else."""

from __future__ import annotations

import logging
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from cadre.accounts.models import User

from . import crypto, slackapi
from .models import SlackIdentity, SlackWorkspace

logger = logging.getLogger(__name__)

KEEP_FOR = timedelta(days=1)


class SlackUnreachable(Exception):
    pass


def slack_email(workspace: SlackWorkspace, slack_user_id: str) -> str:
    known = SlackIdentity.objects.filter(workspace=workspace, slack_user_id=slack_user_id).first()
    if known is not None and known.checked_at > timezone.now() - KEEP_FOR:
        return known.email
    try:
        answer = slackapi.client(
            crypto.decrypt(workspace.token), timeout=slackapi.QUICK_SECONDS
        ).users_info(user=slack_user_id)
    except Exception as error:
        logger.warning("Could not read Slack user %s: %s", slack_user_id, error)
        if known is not None:
            return known.email
        raise SlackUnreachable(str(error)) from None
    user = answer.get("user") or {}
    email = (user.get("profile") or {}).get("email", "") if not user.get("is_bot") else ""
    SlackIdentity.objects.update_or_create(
        workspace=workspace,
        slack_user_id=slack_user_id,
        defaults={"email": email, "checked_at": timezone.now()},
    )
    return str(email)


def person_for(workspace: SlackWorkspace, slack_user_id: str) -> User | None:
    email = slack_email(workspace, slack_user_id)
    if not email:
        return None
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return None if address is None else address.user
