"""The floor a page cannot go below: what every signed-in page of Cadre pays whatever it shows.

A signed-in person's request through the same middleware (session, authentication, CSRF,
security headers, the network menu's context), eight indexed queries of the kind a page starts
with (its network, the person's role there, their cohorts, the next session...), and a template
that extends the base layout. Pages are measured as multiples of it: a page at 1.5 costs half
as much again as the least any page can cost."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

QUERIES = 8


@login_required
def floor(request: HttpRequest) -> HttpResponse:
    from allauth.account.models import EmailAddress

    from cadre.accountability.models import Commitment
    from cadre.cohorts.models import Cohort, CohortMembership
    from cadre.networks.models import Network, NetworkMembership
    from cadre.schedule.models import Session

    user: Any = request.user
    network = Network.objects.get(slug="northwind")  # 1: unique slug
    role = (  # 2: unique (network, user)
        NetworkMembership.objects.filter(network=network, user=user)
        .values_list("role", flat=True)
        .first()
    )
    cohort_ids = list(  # 3: the person's places
        CohortMembership.objects.filter(user=user, left_on__isnull=True).values_list(
            "cohort_id", flat=True
        )[:5]
    )
    cohorts = list(Cohort.objects.filter(pk__in=cohort_ids))  # 4: by primary key
    next_session = (  # 5: (cohort, starts_at)
        Session.objects.filter(cohort_id__in=cohort_ids, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    open_commitments = Commitment.objects.filter(  # 6: (owner)
        owner=user, cohort_id__in=cohort_ids, status="open"
    ).count()
    email = EmailAddress.objects.filter(user=user, primary=True).first()  # 7
    others = NetworkMembership.objects.filter(network=network).count() > 0  # 8
    return render(
        request,
        "bench/floor.html",
        {
            "network": network,
            "role": role,
            "cohorts": cohorts,
            "next_session": next_session,
            "open_commitments": open_commitments,
            "email": email,
            "others": others,
        },
    )
