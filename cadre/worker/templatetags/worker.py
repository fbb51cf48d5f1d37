from typing import Any

from django import template

from cadre.networks.policy import can_administer_network

from ..status import worker_status

register = template.Library()


@register.inclusion_tag("worker/_banner.html", takes_context=True)
def worker_banner(context: Any) -> dict[str, Any]:
    """Tell a network's admins when no worker has run for a while: reminders, e-mail and
    formation runs wait for one. Nobody else is shown anything (nor costs a query)."""
    network = context.get("network")
    request = context.get("request")
    user = getattr(request, "user", None)
    if network is None or user is None or not getattr(network, "pk", None):
        return {}
    if not can_administer_network(user, network):
        return {}
    status = worker_status()
    return {} if status.running else {"status": status}
