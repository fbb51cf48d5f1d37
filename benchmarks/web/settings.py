"""Cadre's own settings plus the benchmark's floor page (benchmarks/web/floor.py), for the web
benchmark's server and its in-process measurements:

    DJANGO_SETTINGS_MODULE=benchmarks.web.settings PYTHONPATH=. cadre serve ...
"""

from pathlib import Path

from cadre.settings import *  # noqa: F403
from cadre.settings import TEMPLATES

ROOT_URLCONF = "benchmarks.web.urls"
TEMPLATES[0]["DIRS"] = [Path(__file__).resolve().parent / "templates", *TEMPLATES[0]["DIRS"]]
