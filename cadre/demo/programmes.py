"""The demo's programmes: "Leading change in your team", the programme that ships with Cadre
(cadre/programmes/library/leading-change.json), added to the network by its organizer and
laid onto the demo log-ins' cohort, so its next sessions follow weeks 1, 2, 3… Nothing here
draws from the builder's random generator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cadre.cohorts.models import Cohort
from cadre.networks.models import Network, NetworkMembership, Role
from cadre.programmes import files, services

if TYPE_CHECKING:
    from cadre.demo.builder import Builder

SHIPPED = "leading-change"
COHORT = "experimentation-in-ops"


class ProgrammeBuilder:
    def __init__(self, builder: Builder) -> None:
        self.b = builder

    def build(self, network: Network) -> int:
        organizer = (
            NetworkMembership.objects.filter(network=network, role=Role.ORGANIZER)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if organizer is None:
            return 0
        data = files.parse(files.shipped()[SHIPPED].read_bytes())
        programme = services.save_programme(by=organizer.user, network=network, data=data)
        rows = 1 + len(data.weeks)
        cohort = Cohort.objects.filter(network=network, slug=COHORT).first()
        if cohort is not None and services.upcoming_sessions(cohort):
            done = services.apply_programme(
                by=organizer.user, programme=programme, cohort=cohort, overwrite=True
            )
            rows += len(done.pairs)
        self.b.step("programmes", rows)
        return rows
