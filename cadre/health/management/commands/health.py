"""`cadre health refresh [--network SLUG] [--stale]`: recompute cohort health snapshots now,
without waiting for the worker."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.health import facts, tasks
from cadre.networks.models import Network


class Command(BaseCommand):
    help = "Cohort health: `refresh` recomputes the snapshots the health pages show."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument("--network", help="only this network (its slug)")
        parser.add_argument(
            "--stale", action="store_true", help="only snapshots missing or older than an hour"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["stale"]:
            count = facts.refresh_stale(tasks.max_age())
        elif options["network"]:
            network = Network.objects.filter(slug=options["network"]).first()
            if network is None:
                raise CommandError(f"There is no network with the slug {options['network']!r}.")
            count = facts.refresh_network(network.pk)
        else:
            count = facts.refresh(facts.tracked_cohorts())
        self.stdout.write(f"Refreshed the health of {count} cohorts.")
