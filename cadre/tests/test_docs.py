"""The docs tests: a setting, a command, an app, a dependency or an API endpoint that the docs
do not mention fails here, with what to add and where (datasette's test_docs.py does the
same). Fast and offline: they read files, and the API's OpenAPI document in process."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

from cadre.api.endpoints import GUIDE as API_GUIDE
from cadre.api.endpoints import current_schema, refreshed, render
from cadre.cli import ENGINE_COMMANDS

ROOT = Path(__file__).resolve().parents[2]
CADRE = ROOT / "cadre"
DOCS = ROOT / "docs"

# Helpers in cadre/settings.py that read the variable named by their first argument.
ENV_HELPERS = {"env_bool", "env_list", "env_count", "env_fraction"}


def section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}\n", text, re.M)
    assert match, f"no {heading!r} heading"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def environment_variables(path: Path) -> set[str]:
    """Names read from the environment in a settings module: os.environ.get/setdefault/[...]
    and the env_* helpers."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            reads_environ = (
                isinstance(func, ast.Attribute)
                and func.attr in {"get", "setdefault"}
                and ast.unparse(func.value) == "os.environ"
            )
            if reads_environ or (isinstance(func, ast.Name) and func.id in ENV_HELPERS):
                names.add(str(node.args[0].value))
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(str(node.slice.value))
    return names


def test_every_environment_variable_of_the_settings_is_in_the_operating_guide():
    guide = (DOCS / "operating.md").read_text()
    read = set().union(*(environment_variables(p) for p in sorted(CADRE.glob("settings*.py"))))
    assert {"DATABASE_URL", "SECRET_KEY", "CADRE_TASK_BACKEND"} <= read  # the parser finds them
    missing = sorted(name for name in read if f"`{name}`" not in guide)
    assert not missing, f"Add to docs/operating.md's settings table: {missing}"


def cadre_commands() -> set[str]:
    """`cadre` subcommands of the project's own: the engine commands of cadre/cli.py and the
    management commands of Cadre's apps (Django's own are summed up in one row)."""
    management = {
        path.stem
        for path in CADRE.glob("*/management/commands/*.py")
        if not path.name.startswith("_")
    }
    return set(ENGINE_COMMANDS) | management


def test_every_cadre_command_is_in_the_getting_started_table():
    guide = (DOCS / "getting-started.md").read_text()
    table = [
        line
        for line in section(guide, "The `cadre` command").splitlines()
        if line.startswith("| `cadre ")
    ]
    listed = {word for line in table for word in re.findall(r"`cadre ([a-z_]+)", line)}
    assert {"demo", "mdgp"} <= cadre_commands()
    missing = sorted(cadre_commands() - listed)
    assert not missing, f"Add to the command table of docs/getting-started.md: {missing}"


def test_every_app_is_in_where_things_are():
    guide = (DOCS / "getting-started.md").read_text()
    tree = section(guide, "Where things are")
    listed = set(re.findall(r"^ {2}([a-z_]+)/", tree, re.M))
    packages = {
        path.parent.name
        for path in CADRE.glob("*/__init__.py")
        if path.parent.name not in {"tests"}
    }
    assert {"engine", "lib", "accounts"} <= packages
    missing = sorted(packages - listed)
    assert not missing, f"Add to 'Where things are' in docs/getting-started.md: {missing}"
    gone = sorted(listed - packages)
    assert not gone, f"'Where things are' lists folders that are not in cadre/: {gone}"


def normal(name: str) -> str:
    return re.split(r"[\[<>=!~ ]", name, maxsplit=1)[0].lower().replace("_", "-")


def test_every_dependency_is_in_docs_dependencies_with_its_reason():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        declared += extra
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in (DOCS / "dependencies.md").read_text().splitlines()
        if line.startswith("| ") and not line.startswith("| dependency")
    ]
    # A row names one or more packages in its first cell, the way people say them
    # ("Django 5.2 LTS", "psycopg 3", "Playwright for Python"); the other cells give the reason.
    explained = {
        re.split(r"[ (]", name.strip(), maxsplit=1)[0].lower()
        for first, *reasons in rows
        if all(reasons) and reasons
        for name in first.split(",")
    }
    missing = sorted(n for n in map(normal, declared) if n not in explained)
    assert not missing, f"Say in docs/dependencies.md what {missing} do for Cadre and why"


def test_the_api_endpoint_table_is_written_from_the_openapi_document():
    text = API_GUIDE.read_text()
    assert refreshed(text, render(current_schema())) == text, (
        "docs/api.md's endpoint table is stale: run `.venv/bin/cadre api_table` and commit it"
    )


def test_every_operation_of_the_openapi_document_has_a_row():
    document = current_schema()
    table = render(document)
    for path, operations in document["paths"].items():
        for method in operations:
            assert f"`{method.upper()} {path.removeprefix('/api/v1')}`" in table


def code_in(path: Path) -> str:
    """The code of a Markdown page: its fenced blocks and its inline `code` spans."""
    text = path.read_text()
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", text, re.M | re.S)
    prose = re.sub(r"^```[a-z]*\n.*?^```", "", text, flags=re.M | re.S)
    return "\n".join([*blocks, *re.findall(r"`([^`\n]+)`", prose)])


PAGES = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]


def test_every_make_target_the_docs_name_is_in_the_makefile():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):.*## ", makefile, re.M))
    named = {
        (page.name, target)
        for page in PAGES
        for target in re.findall(r"(?<![\w-])make ([a-z][a-z-]*)", code_in(page))
    }
    assert {"demo", "test", "lint"} <= {t for _, t in named}
    unknown = sorted((p, t) for p, t in named if t not in targets)
    assert not unknown, f"No such make target (with a `## ` help line) in the Makefile: {unknown}"


def test_every_cadre_command_the_docs_name_exists():
    from django.core.management import get_commands

    known = set(get_commands()) | set(ENGINE_COMMANDS)
    named = {
        (page.name, command)
        for page in PAGES
        for command in re.findall(
            r"(?:^|[\s(])(?:\.venv/bin/)?cadre ([a-z_]+)", code_in(page), re.M
        )
    }
    assert ("README.md", "export") in named
    unknown = sorted((p, c) for p, c in named if c not in known)
    assert not unknown, f"No such `cadre` command: {unknown}"


def test_every_app_is_in_the_layer_contracts():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "contracts"
    ]
    demo_on_top = next(c for c in contracts if c["id"] == "demo-on-top")
    covered = {m.split(".")[1] for m in demo_on_top["source_modules"] if m.count(".") >= 1}
    apps = {
        path.parent.name
        for path in CADRE.glob("*/__init__.py")
        if path.parent.name not in {"tests", "engine", "demo"}
    }
    missing = sorted(apps - covered)
    assert not missing, f"Add these apps' modules to the contracts in pyproject.toml: {missing}"


def test_every_policy_module_is_in_the_permissions_guide():
    guide = (DOCS / "permissions.md").read_text()
    modules = sorted(path.relative_to(ROOT).as_posix() for path in CADRE.glob("*/policy.py"))
    assert modules, "no policy modules found"
    missing = [module for module in modules if f"`{module}`" not in guide]
    assert not missing, f"Name each policy module in docs/permissions.md: {missing}"
