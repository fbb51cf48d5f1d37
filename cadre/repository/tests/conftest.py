"""The library's cast: the shared cast plus a cohort peer, two partner groups and partners in
each or in none, and one item of each visibility."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from cadre.api.models import ApiToken
from cadre.api.tests.helpers import ApiCaller
from cadre.cohorts.models import CohortMembership, CohortRole
from cadre.networks.models import CodeOfConductAcceptance, NetworkMembership, Role
from cadre.repository.models import ItemKind, PartnerGroup, RepositoryItem
from cadre.testing import make_user


@dataclass
class Library:
    peer: Any  # another member of cast.cohort
    partner_b: Any  # partner in group_b only
    lone_partner: Any  # partner of the network in no group
    group_a: PartnerGroup  # Harbor Logistics: cast.partner
    group_b: PartnerGroup
    network_item: RepositoryItem
    partners_item: RepositoryItem  # shared with group_a
    public_item: RepositoryItem
    foreign_item: RepositoryItem  # of the other network, network-only


def _person(cast: Any, email: str, name: str, role: str) -> Any:
    user = make_user(email, name)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    NetworkMembership.objects.create(network=cast.network, user=user, role=role)
    CodeOfConductAcceptance.objects.create(code=cast.network.current_code_of_conduct(), user=user)
    return user


def item(network: Any, author: Any, title: str, **fields: Any) -> RepositoryItem:
    fields.setdefault("kind", ItemKind.CASE_STUDY)
    groups = fields.pop("groups", [])
    made = RepositoryItem.objects.create(network=network, author=author, title=title, **fields)
    made.partner_groups.set(groups)
    return made


@pytest.fixture
def lib(cast: Any) -> Library:
    peer = _person(cast, "pia@northwind.test", "Pia Peer", Role.MEMBER)
    CohortMembership.objects.create(cohort=cast.cohort, user=peer, role=CohortRole.MEMBER)
    partner_b = _person(cast, "bo@harbor2.test", "Bo Otherpartner", Role.PARTNER)
    lone = _person(cast, "lu@lone.test", "Lu Lonepartner", Role.PARTNER)
    all_kinds = list(ItemKind.values)
    group_a = PartnerGroup.objects.create(
        network=cast.network, name="Harbor Logistics", organization="Harbor", shares=all_kinds
    )
    group_a.members.add(cast.partner)
    group_b = PartnerGroup.objects.create(
        network=cast.network, name="Quay Partners", organization="Quay", shares=all_kinds
    )
    group_b.members.add(partner_b)
    origin = {"origin_cohort": cast.cohort}
    return Library(
        peer=peer,
        partner_b=partner_b,
        lone_partner=lone,
        group_a=group_a,
        group_b=group_b,
        network_item=item(cast.network, cast.member, "Network only game day", **origin),
        partners_item=item(
            cast.network,
            cast.member,
            "Shared with Harbor",
            visibility="partners",
            groups=[group_a],
            **origin,
        ),
        public_item=item(
            cast.network, cast.member, "Public runbook", visibility="public", **origin
        ),
        foreign_item=item(cast.other_network, cast.outsider, "Southgate secret"),
    )


def person(cast: Any, lib: Library, who: str) -> Any:
    """Anyone of the cast or the library's extra people by name; None for anonymous."""
    if who == "anonymous":
        return None
    if who == "author":
        return cast.member
    if hasattr(lib, who):
        return getattr(lib, who)
    return getattr(cast, who)


@pytest.fixture
def api_as() -> Callable[[Any], ApiCaller]:
    def make(user: Any) -> ApiCaller:
        token = ApiToken.issue(user, "tests")[1] if user is not None else None
        return ApiCaller(Client(), token)

    return make
