"""django-debug-toolbar is a development tool: on with DEBUG where it is installed, off in
production, without it, and in the tests. Settings are read when their module is imported, so
each case loads cadre/settings.py afresh under its own environment."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from cadre.testing import child_environment

SETTINGS = Path(__file__).resolve().parents[1] / "settings.py"


def fresh_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> ModuleType:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("settings_under_test", SETTINGS)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def toolbar(settings: ModuleType) -> tuple[bool, bool, bool]:
    return (
        settings.CADRE_DEBUG_TOOLBAR,
        "debug_toolbar" in settings.INSTALLED_APPS,
        any("debug_toolbar" in m for m in settings.MIDDLEWARE),
    )


def test_the_toolbar_is_on_with_debug_where_it_is_installed(monkeypatch):
    assert toolbar(fresh_settings(monkeypatch, DEBUG="1", CADRE_DEBUG_TOOLBAR="")) == (
        True,
        True,
        True,
    )


def test_the_toolbar_is_off_without_debug_turned_off_or_not_installed(monkeypatch):
    off = (False, False, False)
    production = {"DEBUG": "0", "SECRET_KEY": "x" * 50, "CADRE_DEBUG_TOOLBAR": ""}
    assert toolbar(fresh_settings(monkeypatch, **production)) == off
    assert toolbar(fresh_settings(monkeypatch, DEBUG="1", CADRE_DEBUG_TOOLBAR="0")) == off
    # As on a production install, where it is not in the lock: the import fails.
    monkeypatch.setitem(sys.modules, "debug_toolbar", None)
    assert toolbar(fresh_settings(monkeypatch, DEBUG="1", CADRE_DEBUG_TOOLBAR="")) == off


def test_a_development_server_serves_the_toolbar_pages():
    probe = (
        "import django, json; django.setup(); from django.urls import reverse; "
        "print(json.dumps(reverse('djdt:render_panel')))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        env=child_environment(
            DJANGO_SETTINGS_MODULE="cadre.settings", DEBUG="1", CADRE_DEBUG_TOOLBAR=""
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]).startswith("/__debug__/")
