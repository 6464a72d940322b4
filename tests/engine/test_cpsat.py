"""Every CP-SAT solve leaves Ctrl-C to the command (scheduler.engine.cpsat)."""

from __future__ import annotations

import subprocess
import sys

# After a solve, a SIGINT must reach Python's handler: with CP-SAT's own
# handler left behind, the process dies of the signal instead (exit -2).
AFTER_A_SOLVE = """
import os, signal, sys
from ortools.sat.python import cp_model
from scheduler.engine import cpsat
seen = []
signal.signal(signal.SIGINT, lambda *_: seen.append(1))
model = cp_model.CpModel()
x = model.new_int_var(0, 10, "x")
model.maximize(x)
{solve}
os.kill(os.getpid(), signal.SIGINT)
sys.exit(0 if seen else 3)
"""


def _run(solve: str) -> int:
    return subprocess.run([sys.executable, "-c", AFTER_A_SOLVE.format(solve=solve)], timeout=60).returncode


def test_ctrl_c_still_reaches_the_command_after_a_solve() -> None:
    assert _run("cpsat.solve(cp_model.CpSolver(), model)") == 0


def test_a_plain_cp_sat_solve_would_take_ctrl_c_away() -> None:
    # What the wrapper is for: CP-SAT's default leaves SIGINT's default action.
    assert _run("cp_model.CpSolver().solve(model)") != 0

