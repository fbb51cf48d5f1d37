"""The Content-Security-Policy header on every kind of answer, and templates that need nothing
it forbids. (In the browser: tests/browser/test_content_security_policy.py.)"""

import re
from pathlib import Path

import pytest

from cadre.testing import csp_directives as directives
from cadre.tests.processes import production_env, run_cadre

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        (None, "/"),
        (None, "/accounts/login/"),
        (None, "/no-such-page/"),
        (None, "/api/docs"),
        ("member", "/n/northwind/"),
        ("member", "/n/northwind/c/reliability/board/"),
        ("member", "/api/v1/networks"),
    ],
)
def test_pages_and_answers_carry_the_policy(client_for, cast, who, path):
    response = client_for(getattr(cast, who) if who else None).get(path)
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_htmx_fragments_carry_the_policy_too(client_for, cast):
    response = client_for(cast.member).get("/n/northwind/people/?q=Mo", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_the_django_admin_carries_the_policy(client_for, cast):
    cast.admin.is_staff = cast.admin.is_superuser = True
    cast.admin.save()
    response = client_for(cast.admin).get("/admin/accounts/user/add/")
    assert response.status_code == 200
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)


def test_a_report_address_is_added_when_configured(tmp_path):
    script = (
        "from django.test import Client; print(Client().get('/healthz')['Content-Security-Policy'])"
    )
    env = {
        **production_env(tmp_path / "x.sqlite3"),
        "ALLOWED_HOSTS": "testserver",
        "CADRE_CSP_REPORT_URI": "https://reports.example.org/csp",
    }
    result = run_cadre(["shell", "-v", "0", "-c", script], env)
    assert result.returncode == 0, result.stderr
    found = directives(result.stdout.strip())
    assert found.pop("report-uri") == ["https://reports.example.org/csp"]
    assert found == directives(POLICY)


# What the policy forbids, as it would appear in a template. JSON data blocks
# (<script type="application/json">) are data, not code, and are allowed.
FORBIDDEN = {
    "inline <script>": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(ld\+)?json\")[^>]*>", re.I
    ),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "htmx hx-on attribute (needs eval)": re.compile(r"\s(data-)?hx-on", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}
TEMPLATES = sorted(Path(__file__).resolve().parents[1].glob("**/templates/**/*.html"))


def test_templates_use_nothing_the_policy_forbids():
    assert len(TEMPLATES) > 100
    found = [
        f"{path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}: {what}"
        for path in TEMPLATES
        for what, pattern in FORBIDDEN.items()
        if pattern.search(path.read_text())
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<div style="color: red">',
        '<img src="x" onerror="alert(1)">',
        '<button hx-on:click="alert(1)">',
        '<a href="javascript:alert(1)">',
        "<style>p { color: red }</style>",
    ],
)
def test_the_template_check_finds_each_forbidden_thing(markup):
    assert any(pattern.search(markup) for pattern in FORBIDDEN.values())


def test_the_template_check_lets_script_files_and_data_blocks_through():
    for markup in [
        '<script src="/static/schedule/run.js" defer></script>',
        '<script type="application/json" id="data">{}</script>',
        '<p class="online">',
    ]:
        assert not any(pattern.search(markup) for pattern in FORBIDDEN.values()), markup


def test_the_operating_guide_shows_the_policy_as_sent():
    guide = (Path(__file__).resolve().parents[2] / "docs" / "operating.md").read_text()
    section = guide.split("## Content-Security-Policy")[1]
    shown = re.search(r"```text\n(.*?)\n```", section, re.S).group(1)
    assert shown == POLICY
