"""`cadre demo`: migrate, load the demo networks once, print the log-ins, optionally serve."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from cadre.demo import builder, data
from cadre.demo.management.commands.serve import parse_addr, served_url
from cadre.networks.models import NetworkMembership


class Command(BaseCommand):
    help = (
        "Migrate the database, load the demo networks (Northwind Practitioners Network and "
        "Southgate Guild) unless they are there already, and print the demo log-ins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people",
            type=int,
            default=builder.DEFAULT_PEOPLE,
            help=f"people in the Northwind network (default {builder.DEFAULT_PEOPLE}, "
            f"at least {builder.MIN_PEOPLE})",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=builder.DEFAULT_SEED,
            help="random seed; the same seed builds the same network",
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo networks and build them again"
        )
        parser.add_argument(
            "--serve", action="store_true", help="serve the site afterwards (`cadre serve`)"
        )
        parser.add_argument(
            "--addr", default="127.0.0.1:8000", help="HOST:PORT for --serve (127.0.0.1:8000)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        people: int = options["people"]
        if people < builder.MIN_PEOPLE:
            raise CommandError(f"--people must be at least {builder.MIN_PEOPLE}; got {people}.")
        self.migrate()

        started = time.perf_counter()
        with transaction.atomic():
            if options["reset"] and builder.demo_exists():
                deleted = builder.delete_demo()
                self.stdout.write(f"Deleted the demo networks and their {deleted} people.")
            elif not builder.demo_exists():
                builder.delete_demo()  # leftovers, such as demo log-ins whose network is gone
            if builder.demo_exists():
                count = NetworkMembership.objects.filter(network__slug=data.NETWORK_SLUG).count()
                self.stdout.write(
                    f"The demo network is already there ({count} people); keeping it. "
                    "Run `cadre demo --reset` to build it again."
                )
            else:
                self.stdout.write(
                    f"Building the demo network ({people} people, seed {options['seed']}):"
                )
                result = builder.build_demo(
                    people=people, seed=options["seed"], log=self.stdout.write
                )
                counts = result.counts
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Built {result.network.name}: {counts['people']} people, "
                        f"{counts['cohorts']} cohorts, {counts['skills']} skills; "
                        f"{result.other_network.name}: {counts['southgate_people']} people "
                        f"({time.perf_counter() - started:.1f} s)."
                    )
                )
        self.print_logins()

        if options["serve"]:
            self.serve_at(options["addr"])
            call_command("serve", addr=options["addr"], with_worker=True)

    def serve_at(self, addr: str) -> None:
        """Make the demo answer and link at the address it serves: its e-mails and calendar
        files link there unless CADRE_SITE_URL says otherwise, and its host is allowed."""
        host, port = parse_addr(addr)
        url = served_url(host, port)
        if not os.environ.get("CADRE_SITE_URL"):
            settings.CADRE_SITE_URL = url
            # The worker started beside the server is another process; it reads the same.
            os.environ["CADRE_SITE_URL"] = url
        if not os.environ.get("ALLOWED_HOSTS"):
            # Listening on every interface, the demo is opened by names it cannot know.
            name = "*" if host in ("0.0.0.0", "::") else urlsplit(url).hostname or host
            if name not in settings.ALLOWED_HOSTS:
                settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, name]
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            # Django has no EMAIL_FILE_PATH of its own (so its stubs give it no type): the
            # demo's settings set it beside the file-based backend.
            mail_dir = getattr(settings, "EMAIL_FILE_PATH")  # noqa: B009
            self.stdout.write(f"E-mail the demo sends is written to {mail_dir}/.")

    def migrate(self) -> None:
        name = str(connection.settings_dict.get("NAME") or "")
        is_file = (
            connection.vendor == "sqlite"
            and name
            and name != ":memory:"
            and not name.startswith("file:")
        )
        if is_file:
            Path(name).parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        where = name if is_file else connection.vendor
        self.stdout.write(f"Database ready: {where} ({time.perf_counter() - started:.1f} s).")

    def print_logins(self) -> None:
        rows = [("role", "e-mail", "password", "sees")]
        rows += [
            (login.role, login.email, data.PASSWORD, login.sees) for login in builder.DEMO_LOGINS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("\nDemo log-ins:")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            line = f"  {line}  {row[3]}"
            self.stdout.write(self.style.MIGRATE_HEADING(line) if n == 0 else line)
        self.stdout.write("")
