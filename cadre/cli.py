"""The `cadre` command. Engine commands that work on plain files (added by later issues, such
as `cadre mdgp`) run without Django; everything else is a Django management command, so
`cadre migrate`, `cadre createsuperuser`, `cadre demo` and `cadre serve` all work."""

from __future__ import annotations

import importlib
import os
import sys

# name -> "module:function" taking argv (without the command name) and returning an exit code.
ENGINE_COMMANDS: dict[str, str] = {
    "mdgp": "cadre.engine.grouping.cli:mdgp_main",
    "golfer": "cadre.engine.rotation.cli:golfer_main",
    "form": "cadre.engine.formation.cli:form_main",
    "rotate": "cadre.engine.rotation.cli:rotate_main",
    "lint": "cadre.engine.linting.cli:lint_main",
}

# `cadre demo` runs with the demo's own settings: DEBUG off, plain HTTP, e-mail to files
# (see cadre/settings_demo.py). Every other command uses cadre.settings.
SETTINGS_FOR_COMMAND = {"demo": "cadre.settings_demo"}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    command = argv[1] if len(argv) > 1 else ""
    if command in ENGINE_COMMANDS:
        module_name, func_name = ENGINE_COMMANDS[command].split(":")
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(argv[2:]) or 0)
    os.environ.setdefault(
        "DJANGO_SETTINGS_MODULE", SETTINGS_FOR_COMMAND.get(command, "cadre.settings")
    )
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cadre", *argv[1:]])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
