"""`cadre api_table`: rewrite docs/api.md's endpoint table from the OpenAPI document;
`--check` only says whether it is up to date (exit status 1 when it is not)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cadre.api.endpoints import GUIDE, current_schema, refreshed, render


class Command(BaseCommand):
    help = "Rewrite docs/api.md's endpoint table from the OpenAPI document (--check: only compare)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="exit with status 1 if the table is stale"
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        text = GUIDE.read_text()
        new = refreshed(text, render(current_schema()))
        if check:
            if new != text:
                raise CommandError(
                    "docs/api.md's endpoint table is stale: run `.venv/bin/cadre api_table`."
                )
            self.stdout.write("docs/api.md's endpoint table is up to date.")
            return
        if new != text:
            GUIDE.write_text(new)
            self.stdout.write("docs/api.md's endpoint table rewritten.")
        else:
            self.stdout.write("docs/api.md's endpoint table was up to date.")
