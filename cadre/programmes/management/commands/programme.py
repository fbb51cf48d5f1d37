"""`cadre programme import NETWORK FILE` and `cadre programme export NETWORK TITLE [-o FILE]`:
programme files in and out of a network, for operators (the pages and the API do the same
for organizers). `FILE` may also name a programme that ships with Cadre, such as
`leading-change`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.lib.commands import add_network, add_output
from cadre.lib.rules import Refused
from cadre.networks.models import Network
from cadre.programmes import files, services
from cadre.programmes.models import Programme


class Command(BaseCommand):
    help = "Import a programme file into a network, or export one of its programmes."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        bring = actions.add_parser("import", help="Import a programme file (JSON).")
        add_network(bring)
        bring.add_argument(
            "file", help="A programme file, or the name of one that ships with Cadre."
        )
        take = actions.add_parser("export", help="Write one of the network's programmes.")
        take.add_argument("network", help="The network's address (slug).")
        take.add_argument("title", help="The programme's title.")
        add_output(take)

    def _network(self, slug: str) -> Network:
        found = Network.objects.filter(slug=slug).first()
        if found is None:
            known = ", ".join(Network.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"There is no network {slug!r} (networks here: {known}).")
        return found

    def handle(self, *args: Any, **options: Any) -> None:
        network = self._network(options["network"])
        if options["action"] == "import":
            path = files.shipped().get(options["file"]) or Path(options["file"])
            if not path.is_file():
                raise CommandError(f"There is no file {options['file']!r}.")
            try:
                data = files.parse(path.read_bytes())
                made = services.save_programme(by=AnonymousUser(), network=network, data=data)
            except Refused as refusal:
                raise CommandError(refusal.message) from None
            self.stdout.write(
                f"Imported “{made.title}” ({len(data.weeks)} weeks) into {network.slug}."
            )
            return
        found = Programme.objects.filter(network=network, title=options["title"]).first()
        if found is None:
            raise CommandError(f"{network.slug} has no programme called {options['title']!r}.")
        text = services.export_programme(programme=found)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported “{found.title}” to {options['output']}.")
        else:
            sys.stdout.write(text)
