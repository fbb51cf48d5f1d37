"""A test module never reads the clock when it is imported. Collection happens once, before
the first test runs; a date taken then (a module's `TODAY = date.today()`, a parametrize
list with `timezone.localdate()` in it) is a day old for the tests that run after midnight
and has nothing to do with a clock a test stops or moves. Read the clock inside the test or
its fixture, or stop it (docs/getting-started.md, "Time in tests")."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLOCK_READS = {"today", "now", "utcnow", "localdate", "localtime", "time", "time_ns"}
CLOCK_OWNERS = {"date", "datetime", "timezone", "time"}


def python_files_of_the_tests() -> list[Path]:
    found = [*ROOT.glob("cadre/**/tests/**/*.py"), *ROOT.glob("tests/**/*.py")]
    return sorted({*found, ROOT / "cadre" / "testing.py"})


def reads_the_clock(node: ast.AST) -> bool:
    """`date.today()`, `timezone.now()`, `datetime.datetime.now()`, `time.time()`..."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
        return False
    owner = node.func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
    return node.func.attr in CLOCK_READS and name in CLOCK_OWNERS


def import_time_clock_reads(tree: ast.Module) -> list[int]:
    """Lines where the module reads the clock while it is imported: anywhere except inside a
    function body (a decorator's arguments and default values run at import too)."""
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
"""
    assert import_time_clock_reads(ast.parse(source)) == [2, 3, 5, 6]


def test_no_test_module_reads_the_clock_when_it_is_imported():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in python_files_of_the_tests()
        for line in import_time_clock_reads(ast.parse(path.read_text(), str(path)))
    ]
    assert not offenders, "These read the clock at import, not when the test runs: " + ", ".join(
        offenders
    )
