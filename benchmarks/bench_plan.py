"""`make bench ONLY=plan`: the sample's 6-scenario capacity sweep on Dask against
the same scenarios solved one after another.

Scenarios: 30, 50 and 70 tables x 20- and 30-minute meetings of the bundled
sample (inputs/seus-cp-2017.xlsx), the same time limit and seed for each.

- sweep: `scheduler.plan.sweep` on a LocalCluster sized to the machine (one
  worker process per core, one CP-SAT thread per solve), wall time from
  starting the cluster to the last result;
- one after another, 1 thread: the same solves in this process in turn, the
  same options (so the same schedules where the work budget ends the search);
- one after another, 2 threads: each solve with both cores, as `scheduler
  solve` runs by default.

Also writes the score chart of the sweep to docs/images/plan-chart.svg (the
README shows it).

    python benchmarks/bench_plan.py [--time-limit 10] [--out benchmarks/results/plan.md]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "inputs" / "seus-cp-2017.xlsx"
CHART = HERE.parent / "docs" / "images" / "plan-chart.svg"
TABLES, MINUTES = (30, 50, 70), (20, 30)


def one_after_another(event, wanted, options) -> tuple[float, list]:
    from scheduler.plan.sweep import solve_scenario

    started = time.monotonic()
    results = [solve_scenario(event, s, options) for s in wanted]
    return time.monotonic() - started, results


def on_dask(event, wanted, options) -> tuple[float, list]:
    from scheduler.plan.sweep import Cluster, sweep

    started = time.monotonic()
    results = sweep(event, wanted, options, Cluster(workers_per_solve=1))
    return time.monotonic() - started, results


def save_chart(results, path: Path) -> None:
    import matplotlib

    from scheduler.plan.report import chart

    path.parent.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context({"svg.hashsalt": "scheduler"}):
        chart(results, "score").savefig(path, format="svg", bbox_inches="tight", metadata={"Date": None})


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--out", default=str(HERE / "results" / "plan.md"))
    args = parser.parse_args()
    from dataclasses import replace

    from scheduler.engine.solve import SolveOptions
    from scheduler.io.read import read_event
    from scheduler.plan.scenarios import scenarios

    event = read_event([str(SAMPLE)]).event
    wanted = scenarios(event, tables=TABLES, meeting_minutes=MINUTES)
    options = SolveOptions(time_limit=args.time_limit, workers=1, seed=0)
    load_before = os.getloadavg()[0]
    runs = {
        "Dask LocalCluster, 2 workers x 1 thread": on_dask(event, wanted, options),
        "one after another, 1 thread": one_after_another(event, wanted, options),
        "one after another, 2 threads": one_after_another(event, wanted, replace(options, workers=2)),
    }
    load_after = os.getloadavg()[0]
    save_chart(runs["Dask LocalCluster, 2 workers x 1 thread"][1], CHART)
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {date.today()}; "
        "shared with other engineers' work while measured (load average "
        f"{load_before:.1f} before, {load_after:.1f} after, on 2 cores), so wall times are noisy and a loaded "
        "solve may be cut by the wall clock before its work budget (scores then differ slightly between runs).",
        "",
        f"The sample (400 attendees), {len(wanted)} scenarios ({', '.join(map(str, TABLES))} tables x "
        f"{' and '.join(map(str, MINUTES))}-minute meetings), time limit {args.time_limit:g} s each, seed 0.",
        "",
        "| run | wall s | sum of solve s | scenarios ok | sum of scores | scores (in scenario order) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, (wall, results) in runs.items():
        ok = [r for r in results if r.ok]
        scores = ", ".join(f"{r.score:g}" if r.ok else r.status for r in results)
        lines.append(
            f"| {name} | {wall:.1f} | {sum(r.seconds for r in results):.1f} | {len(ok)}/{len(results)} | "
            f"{sum(r.score for r in ok):,.1f} | {scores} |"
        )
    sweep_wall = runs["Dask LocalCluster, 2 workers x 1 thread"][0]
    lines += [
        "",
        f"Sweep speed-up: {runs['one after another, 1 thread'][0] / sweep_wall:.2f}x against the same solves in turn, "
        f"{runs['one after another, 2 threads'][0] / sweep_wall:.2f}x against 2-thread solves in turn "
        "(the sweep's wall time includes starting and closing the cluster).",
    ]
    text = "\n".join(lines)
    print(text)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
