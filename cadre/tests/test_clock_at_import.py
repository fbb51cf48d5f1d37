"""No module of Cadre or of its tests reads the clock when it is imported.

In a test module, a date taken at import (a module's `TODAY = date.today()`, a parametrize
list with `timezone.localdate()` in it) is taken once, at collection: a day old for the tests
that run after midnight, and blind to a clock a test stops or moves. Read the clock inside
the test or its fixture, or stop it (docs/getting-started.md, "Time in tests"). In Cadre's
own code the same mistake is a default or an initial value frozen at start-up
(`default=timezone.now()` instead of `default=timezone.now`): a class body runs at import."""

import ast
from pathlib import Path
from typing import TypeGuard

ROOT = Path(__file__).resolve().parents[2]
# (what the call is made on, the call): the ways Python code reads the clock.
CLOCK_READS = {
    ("date", "today"),
    ("datetime", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("timezone", "now"),
    ("timezone", "localdate"),
    ("timezone", "localtime"),
    ("time", "time"),
    ("time", "time_ns"),
}


def python_files() -> list[Path]:
    return sorted([*ROOT.glob("cadre/**/*.py"), *ROOT.glob("tests/**/*.py")])


def reads_the_clock(node: ast.AST) -> TypeGuard[ast.Call]:
    """`date.today()`, `timezone.now()`, `datetime.datetime.now()`, `time.time()`..., but not
    `timezone.localdate(value)`, which converts a moment it is given."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner = node.func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
    if (name, node.func.attr) not in CLOCK_READS:
        return False
    converts = node.func.attr in {"localdate", "localtime"} and (
        node.args or any(k.arg == "value" for k in node.keywords)
    )
    return not converts


def import_time_clock_reads(tree: ast.Module) -> list[int]:
    """Lines where the module reads the clock while it is imported: anywhere except inside a
    function body (class bodies, a decorator's arguments and default values run at import)."""
    lines = []

    def visit(node: ast.AST) -> None:
        if reads_the_clock(node):
            lines.append(node.lineno)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            for part in [
                *getattr(node, "decorator_list", []),
                *node.args.defaults,
                *node.args.kw_defaults,
            ]:
                if part is not None:
                    visit(part)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return lines


def test_the_check_finds_a_clock_read_at_import_and_ignores_one_inside_a_test():
    source = """
TODAY = date.today()
LATER = [timezone.localdate() + timedelta(days=1)]

@pytest.mark.parametrize("day", [datetime.datetime.now()])
def test_x(day, when=time.time()):
    return timezone.now()

helper = lambda: timezone.now()

class Entry(models.Model):
    made = models.DateTimeField(default=timezone.now())
    seen = models.DateTimeField(default=timezone.now)
    starts = models.TimeField(default=datetime.time(15, 0))
    day = timezone.localdate(MOMENT)

    def age(self):
        return timezone.now() - self.made
"""
    assert import_time_clock_reads(ast.parse(source)) == [2, 3, 5, 6, 12]


def test_no_module_reads_the_clock_when_it_is_imported():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files()
        for line in import_time_clock_reads(ast.parse(path.read_text(), str(path)))
    ]
    assert not offenders, "These read the clock at import, not when they run: " + ", ".join(
        offenders
    )
