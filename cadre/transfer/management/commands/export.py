"""`cadre export <network> [-o FILE]`: the whole network as one JSON document."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.lib.commands import add_network, add_output
from cadre.networks.models import Network
from cadre.transfer.transfer import dump, export_network


class Command(BaseCommand):
    help = "Export a whole network (every cohort, person and record) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        add_network(parser)
        add_output(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            network = Network.objects.get(slug=options["network"])
        except Network.DoesNotExist:
            known = ", ".join(Network.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(
                f"There is no network {options['network']!r} (networks here: {known})."
            ) from None
        text = dump(export_network(network))
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Exported {network.slug} to {options['output']}.")
        else:
            sys.stdout.write(text + "\n")
