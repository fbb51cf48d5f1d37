"""`cadre import FILE [--slug S] [--name N] [--verify]`: create an exported network here."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.transfer.transfer import (
    ImportProblem,
    differences,
    export_network,
    import_network,
    read_export,
)


class Command(BaseCommand):
    help = "Import a network exported with `cadre export`. All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A file written by `cadre export`.")
        parser.add_argument("--slug", help="Import under this address instead of the exported one.")
        parser.add_argument("--name", help="Give the imported network this name.")
        parser.add_argument(
            "--verify",
            action="store_true",
            help="Export what was imported and compare it with the file, row by row.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            document = read_export(options["file"])
            result = import_network(document, slug=options["slug"], name=options["name"])
        except ImportProblem as problem:
            raise CommandError(f"Nothing was imported: {problem}") from None
        self.stdout.write(
            f"Imported {result.network.slug}: {result.rows} records, "
            f"{len(result.created_people)} people created, {result.matched_users} already here."
        )
        if options["verify"]:
            problems = differences(document, export_network(result.network), result)
            for line in problems[:50]:
                self.stderr.write(line)
            if problems:
                raise CommandError(f"{len(problems)} differences after import.")
            self.stdout.write("Verified: the imported network matches the file.")
