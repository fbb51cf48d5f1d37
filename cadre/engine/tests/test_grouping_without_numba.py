"""numba is an optional extra (`cadre[fast]`, `make install-fast`): without it the MDGP solver
runs its NumPy kernel. These tests take numba away (an import that fails, as on an install
without the extra) or turn it off (CADRE_MDGP_KERNEL=numpy), in a process of their own since
the kernel is chosen when cadre.engine.grouping is imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cadre.engine.grouping import _kernels

# 4 elements in 2 groups of 2; the best grouping keeps 0 with 1 and 2 with 3: 9 + 9 = 18.
INSTANCE = "4 2 ss 2 2 2 2\n0 1 9\n0 2 1\n0 3 1\n1 2 1\n1 3 1\n2 3 9\n"

# Runs `cadre mdgp` with `import numba` failing, as where the fast extra is not installed.
WITHOUT_NUMBA = """
import json, sys
sys.modules["numba"] = None  # `import numba` now raises ImportError
from cadre.cli import main
from cadre.engine.grouping import _kernels, read_mdgp, solve_mdgp
result = solve_mdgp(read_mdgp(sys.argv[1]), max_iterations=200, seed=3)
print(json.dumps({"have_numba": _kernels.HAVE_NUMBA, "kernel": _kernels.choose(None).__name__,
                  "objective": result.objective, "warm_up": _kernels.warm_up()}), flush=True)
sys.exit(main(["cadre", "mdgp", *sys.argv[1:]]))  # the command as `cadre mdgp` runs it
"""


def run(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def test_cadre_mdgp_runs_on_the_numpy_kernel_without_numba(tmp_path: Path) -> None:
    source, out = tmp_path / "inst.txt", tmp_path / "out.txt"
    source.write_text(INSTANCE)
    proc = run(WITHOUT_NUMBA, str(source), "--seconds", "1", "--seed", "7", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    report, printed = json.loads(proc.stdout.splitlines()[0]), proc.stdout.splitlines()[-1]
    assert printed == "objective 18.000000"
    assert report == {
        "have_numba": False,
        "kernel": "_tabu_numpy",
        "objective": 18.0,
        "warm_up": False,  # `make install` has nothing to compile
    }
    assert [int(x) for x in out.read_text().split()] in ([0, 0, 1, 1], [1, 1, 0, 0])


def test_the_environment_variable_forces_the_numpy_kernel() -> None:
    code = "from cadre.engine.grouping import _kernels; print(_kernels.choose(None).__name__)"
    proc = run(code, CADRE_MDGP_KERNEL="numpy")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "_tabu_numpy"


def test_with_numba_a_run_without_time_limit_takes_the_compiled_kernel() -> None:
    # The development install has the fast extra (requirements-dev.lock holds numba).
    assert _kernels.HAVE_NUMBA, "numba is missing: `make install-dev` installs it"
    assert _kernels.choose(None) is _kernels._tabu_compiled
