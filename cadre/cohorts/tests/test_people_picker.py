"""Pickers of people (a cohort's hosts, adding a member) tell namesakes apart: each person is
shown with their e-mail and their current cohorts of this network, none of another's."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from cadre.cohorts.models import Cohort, CohortMembership
from cadre.networks.models import NetworkMembership, Role
from cadre.testing import make_user


def test_namesakes_are_told_apart_by_email_and_cohort(cast: Any, client_for: Any) -> None:
    first = make_user("sam.one@northwind.test", "Sam Lee")
    second = make_user("sam.two@northwind.test", "Sam Lee")
    for person in (first, second):
        NetworkMembership.objects.create(network=cast.network, user=person, role=Role.MEMBER)
    CohortMembership.objects.create(cohort=cast.cohort, user=first)
    # A cohort of another network is nobody's business here.
    NetworkMembership.objects.create(network=cast.other_network, user=second, role=Role.MEMBER)
    other = Cohort.objects.create(network=cast.other_network, name="Southgate Secrets", slug="s")
    CohortMembership.objects.create(cohort=other, user=second)
    html = client_for(cast.organizer).get(reverse("cohorts:new", args=[cast.network.slug]))
    page = html.content.decode()
    assert f"Sam Lee (sam.one@northwind.test) · {cast.cohort.name}</option>" in page
    assert "Sam Lee (sam.two@northwind.test)</option>" in page
    assert "Southgate Secrets" not in page
