"""`make bench ONLY=calibration`: re-measure the engine's two calibration constants.

``EngineParams.deterministic_per_second`` turns the search's seconds into a
deterministic budget (CP-SAT's own work units), and
``ComfortParams.steps_per_second`` turns the comfort pass's seconds into a
count of sub-models. Both must stay below what the machine really does, so
that the budget, not the wall clock, ends the phase (then a run is
repeatable). This script runs each phase alone on the bundled SEUS 2017
workbook with a fixed amount of work and reports what one wall second and one
CPU second of this machine buy:

    python benchmarks/bench_calibration.py [--budget 3] [--comfort-seconds 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
WORKBOOK = HERE.parent / "inputs" / "seus-cp-2017.xlsx"


def ender(constant: float, rate: float) -> str:
    return "the budget (repeatable)" if constant <= rate else "the wall clock (not repeatable)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget", type=float, default=3.0, help="deterministic budget of the search")
    parser.add_argument("--comfort-seconds", type=float, default=3.0)
    parser.add_argument("--out", default=str(HERE / "results" / "calibration.md"))
    args = parser.parse_args()
    from scheduler.engine import compact, place, repair
    from scheduler.engine.instance import build
    from scheduler.engine.params import ComfortParams, EngineParams
    from scheduler.engine.solve import SolveOptions, sessions_for
    from scheduler.engine.timetable import Timetable
    from scheduler.io.read import read_event

    event = read_event([WORKBOOK]).event
    inst = build(event, sessions_for(event, SolveOptions(time_limit=20, workers=1)))
    table = Timetable(inst)
    place.construct(inst, table, [0.0] * len(inst.ends))
    load = os.getloadavg()[0]

    wall, cpu = time.perf_counter(), time.process_time()
    stats = repair.improve(inst, table, budget=args.budget, wall_limit=600.0, target=10**12, seed=0, workers=1)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    det = stats.deterministic_time

    # The exact comfort pass alone, with more steps than the wall clock allows: count them.
    count = 0
    retime = compact._retime_solve

    def counted(*a: Any) -> Any:
        nonlocal count
        count += 1
        return retime(*a)

    compact._retime_solve = counted
    c_wall, c_cpu = time.perf_counter(), time.process_time()
    compact._exact(inst, table, 10**6, args.comfort_seconds, random.Random(0), ComfortParams())
    c_wall, c_cpu = time.perf_counter() - c_wall, time.process_time() - c_cpu

    params = EngineParams()
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average {load:.1f} when measured (other work shares the machine: wall figures are noisy, "
        "CPU figures steadier).",
        "",
        f"Event: {WORKBOOK.name}, {len(inst.ends):,} requests, {len(event.slots)} slots; one worker.",
        "",
        "| constant | value in EngineParams | measured work | wall s | CPU s | per wall second "
        "| per CPU second | what ends the phase here |",
        "|---|---:|---|---:|---:|---:|---:|---|",
        f"| deterministic_per_second | {params.deterministic_per_second} | {stats.steps} LNS sub-models, "
        f"{det:.2f} deterministic units | {wall:.1f} | {cpu:.1f} | {det / wall:.3f} | {det / cpu:.3f} "
        f"| {ender(params.deterministic_per_second, det / wall)} |",
        f"| comfort.steps_per_second | {params.comfort.steps_per_second} | {count} comfort sub-models "
        f"| {c_wall:.1f} | {c_cpu:.1f} | {count / c_wall:.1f} | {count / c_cpu:.1f} "
        f"| {ender(params.comfort.steps_per_second, count / c_wall)} |",
        "",
        "A constant above its measured rate per wall second lets the wall clock, not the count, end the "
        "phase on this machine: the Summary then says the run is not repeatable.",
    ]
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
