"""The demo builds a library that follows the library's own rules."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from cadre.demo import data
from cadre.networks.models import Network, Role
from cadre.networks.policy import network_role
from cadre.repository.models import PartnerGroup, RepositoryItem
from cadre.repository.policy import visible_repository_items


def test_the_demo_has_a_partner_group_and_a_library_with_reuses(db):
    call_command("demo", stdout=StringIO())
    network = Network.objects.get(slug=data.NETWORK_SLUG)
    group = PartnerGroup.objects.get(network=network, name="Harbor Logistics")
    partners = list(group.members.all())
    assert partners
    assert all(network_role(p, network) == Role.PARTNER for p in partners)
    items = RepositoryItem.objects.filter(network=network)
    assert items.count() >= 25
    assert {"case_study", "template", "learning"} <= set(items.values_list("kind", flat=True))
    assert items.filter(visibility="public").count() >= 3
    assert items.filter(kind="case_study", source_experiment__isnull=False).exists()
    for item in items.filter(visibility="partners"):
        assert item.kind in group.shares and list(item.partner_groups.all()) == [group]
    counted = items.annotate(n=Count("reuses"))
    assert all(i.reuse_count == i.n for i in counted)
    assert sum(i.n for i in counted) > 0
    seen = visible_repository_items(partners[0], network)
    assert not seen.filter(visibility="network").exists()
