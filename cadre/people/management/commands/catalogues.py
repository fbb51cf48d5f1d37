"""`cadre catalogues`: bring the shipped translation catalogues up to date with the source
(Django's makemessages, then compile them); `--check` changes nothing and exits 1 when a
catalogue misses a string, has an untranslated or fuzzy one, breaks a placeholder or its .mo
is out of date (cadre.lib.catalogues, docs/languages.md). Both need GNU gettext's tools."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test.utils import override_settings

from cadre.lib import catalogues


def translated_languages() -> list[str]:
    """Every language Cadre offers but the one its source is written in."""
    return [code for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def catalogue_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


class Command(BaseCommand):
    help = "Update and compile the translation catalogues; --check only checks them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="change nothing; exit 1 when a catalogue is incomplete or out of date",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        for tool in ("xgettext", "msgmerge", "msgfmt"):
            if shutil.which(tool) is None:
                raise CommandError(
                    f"{tool} is not installed: install GNU gettext "
                    "(Debian: apt-get install gettext)."
                )
        if check:
            self._check()
        else:
            self._update()

    def _makemessages(self, locale_dir: Path) -> None:
        with (
            contextlib.chdir(settings.BASE_DIR),
            override_settings(LOCALE_PATHS=[str(locale_dir)]),
        ):
            call_command(
                "makemessages",
                locale=translated_languages(),
                verbosity=0,
                **catalogues.MAKEMESSAGES_OPTIONS,
            )

    def _update(self) -> None:
        self._makemessages(catalogue_dir())
        for language in translated_languages():
            po = catalogue_dir() / language / "LC_MESSAGES" / "django.po"
            subprocess.run(
                ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],
                check=True,
            )
            problems = catalogues.check(po, _keys(po))
            for problem in problems:
                self.stdout.write(problem)
        self.stdout.write(f"Catalogues updated in {catalogue_dir()}.")

    def _check(self) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            fresh_dir = Path(scratch) / "locale"
            self._makemessages(fresh_dir)
            problems: list[str] = []
            for language in translated_languages():
                fresh = fresh_dir / language / "LC_MESSAGES" / "django.po"
                shipped = catalogue_dir() / language / "LC_MESSAGES" / "django.po"
                if not shipped.exists():
                    problems.append(f"{language}: no catalogue at {shipped}")
                    continue
                problems += catalogues.check(shipped, _keys(fresh))
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problems in the catalogues.", returncode=1)
        self.stdout.write("Every catalogue is complete and compiled.")


def _keys(po: Path) -> set[tuple[str | None, str]]:
    return {e.key for e in catalogues.parse_po(po.read_text(encoding="utf-8")) if e.msgid}
