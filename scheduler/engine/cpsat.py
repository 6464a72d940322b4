"""Running a CP-SAT solve so that Ctrl-C stays ours.

CP-SAT catches SIGINT by default: during a solve it swallows Ctrl-C (the
solve ends early and the run goes on as if nothing happened), and afterwards
it leaves the default action behind, so the next Ctrl-C kills the process
with nothing written and no message. Every CP-SAT solve of the engine goes
through :func:`solve`, which turns that off and, from the main thread, solves
in a helper thread so the command's own Ctrl-C handler runs at once and a set
``stop`` ends the search.
"""

from __future__ import annotations

import threading

from ortools.sat.python import cp_model


def solve(solver: cp_model.CpSolver, model: cp_model.CpModel, stop: threading.Event | None = None) -> int:
    solver.parameters.catch_sigint_signal = False
    if threading.current_thread() is not threading.main_thread():
        return int(solver.solve(model))  # signal handlers run on the main thread only
    result: list[int] = []
    done = threading.Event()

    def run() -> None:
        try:
            result.append(int(solver.solve(model)))
        finally:
            done.set()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    while not done.wait(0.1):  # a short wait lets Python run a signal handler
        if stop is not None and stop.is_set():
            solver.stop_search()
    worker.join()
    if not result:
        raise RuntimeError("CP-SAT solve failed")
    return result[0]


def sub_model_solver(work: float, seed: int = 0) -> cp_model.CpSolver:
    """A solver for the engine's small sub-models (search and comfort): one
    worker, ``work`` deterministic units, CP-SAT's presolve off.

    One worker: on models of a few hundred to a few thousand booleans it
    proves optimality sooner than interleaved workers, and it is
    deterministic. Presolve off: each sub-model is solved once, from a
    hint, and presolving it cost more than it saved. Measured on the 36
    sub-models of a 10 s search at 400 attendees with 25% hosts, solved
    one after the other with the same work: 2.5 s and 35 optima with
    presolve off, 5.6 s and 27 optima with it on; whole runs of six event
    shapes at 400 attendees kept their scores within the run-to-run noise
    and most ended 1-2 s sooner (tight caps 1-2 s later: more of its
    sub-models are proven optimal, so the search grows its neighbourhoods)."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = work
    solver.parameters.random_seed = seed % 2**31
    solver.parameters.cp_model_presolve = False
    return solver
