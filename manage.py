#!/usr/bin/env python
"""Same as the `cadre` command, for people who expect a manage.py."""

from cadre.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
