"""`make bench ONLY=command`: the whole `scheduler solve` at 10,000 attendees, phase by phase.

Issue 10 asks `scheduler solve <event> --time-limit 20 --no-documents` on the
10,000-attendee example to report a solve time of at most 22 s and to end
within 50 s on a 2-core machine. Rows:

* the command itself, run as a user runs it (a child process): the solve time
  it reports and its whole wall time, with the load average at its start;
* the same steps in one process, timed one by one (wall and CPU seconds, CPU
  counting every thread of the process): importing, reading the workbook,
  the solve (with the engine's own phases), verify (run on every schedule
  written) and writing schedule.xlsx.

On a shared machine wall time follows the load (other processes take the
cores); CPU seconds show the work itself.

    python benchmarks/bench_command.py [--attendees 10000] [--time-limit 20] [--runs 2]

To time another version on the same event, run this script with PYTHONPATH
pointing at that checkout.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# The same rows for the code before issue 10's speed work (commit 9eab2a5),
# measured once with PYTHONPATH at that commit; kept beside each new run.
BEFORE = """
## Before (main at 9eab2a5, before the tables, free-slot, writing and bound-deadline changes)

Run with this script and PYTHONPATH at that commit, interleaved with the runs above on the same
machine (other engineers' work and a test suite loaded it). The engine's own result varies from run
to run under load because the wall clock, not the work, cuts its phases (30 to 23,000 meetings).

Before, run 1:

| step | result | wall s | CPU s | load (1 min) |
|---|---|---:|---:|---:|
| command (`solve --time-limit 20 --no-documents`) | 12539 meetings, solve time 27.4 s | 62.6 | | 4.6 |
| import |  | 1.63 | 0.74 | 4.9 |
| read |  | 6.62 | 3.20 | 4.9 |
| solve | 89 meetings, score 275, solve time 27.5 s; sessions=3.5 bound=12.3 construct=0.2 improve=0.5 compact=1.6 tables=9.4 | 27.55 | 13.29 | 4.7 |
| verify |  | 1.51 | 0.96 | 4.7 |
| write |  | 11.68 | 5.15 | 4.6 |
| all steps | | 49.0 | 23.3 | |


Before, run 2:

| step | result | wall s | CPU s | load (1 min) |
|---|---|---:|---:|---:|
| command (`solve --time-limit 20 --no-documents`) | 30 meetings, solve time 22.9 s | 44.4 | | 5.0 |
| import |  | 0.90 | 0.65 | 5.0 |
| read |  | 4.62 | 2.97 | 4.9 |
| solve | 23484 meetings, score 101113, solve time 24.5 s; sessions=2.3 bound=9.2 construct=4.5 improve=0.5 compact=3.3 tables=4.7 | 24.54 | 21.60 | 4.7 |
| verify |  | 2.44 | 1.77 | 4.4 |
| write |  | 10.59 | 9.32 | 4.0 |
| all steps | | 43.1 | 36.3 | |
"""

# The steps in one process: run as a child so that imports are timed too.
STEPS = r"""
import os, sys, tempfile, time
from pathlib import Path
def now():
    t = os.times()
    return time.monotonic(), t.user + t.system
marks = [("start", now(), os.getloadavg()[0])]
def mark(name):
    marks.append((name, now(), os.getloadavg()[0]))
from scheduler.engine.solve import SolveOptions, solve
from scheduler.io.read import read_event
from scheduler.run import write_outputs
from scheduler.verify import verify
mark("import")
event = read_event(sys.argv[1:-1]).event
mark("read")
schedule = solve(event, SolveOptions(time_limit=float(sys.argv[-1])))
mark("solve")
assert verify(event, schedule) == []
mark("verify")
write_outputs(event, schedule, Path(tempfile.mkdtemp()) / "out", documents=False)
mark("write")
for (_, (w0, c0), _), (name, (w1, c1), load) in zip(marks, marks[1:]):
    print(f"step {name} {w1 - w0:.2f} {c1 - c0:.2f} {load:.1f}")
print("engine", " ".join(f"{n}={s:.1f}" for n, s in schedule.figures.phases))
print(f"figures {schedule.figures.solve_seconds:.1f} {len(schedule.meetings)} {schedule.figures.score:g}")
"""


def command_row(paths: list[Path], limit: float, out: Path) -> str:
    load = os.getloadavg()[0]
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "scheduler.cli", "solve", *map(str, paths), "-o", str(out),
         "--time-limit", str(limit), "--no-documents", "--quiet"],
        capture_output=True, text=True,
    )
    whole = time.monotonic() - started
    if done.returncode != 0:
        return f"| command | exit {done.returncode}: {done.stderr.strip()[-200:]} | | | {load:.1f} |"
    solve_time = re.search(r"\((?:\w+), ([\d.]+) s\)", done.stdout)
    meetings = re.match(r"(\d+) meetings", done.stdout)
    shown = solve_time.group(1) if solve_time else "?"
    return (f"| command (`solve --time-limit {limit:g} --no-documents`) | {meetings.group(1) if meetings else '?'} "
            f"meetings, solve time {shown} s | {whole:.1f} | | {load:.1f} |")


def step_rows(paths: list[Path], limit: float) -> list[str]:
    done = subprocess.run([sys.executable, "-c", STEPS, *map(str, paths), str(limit)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return [f"| steps | failed: {done.stderr.strip()[-300:]} | | | |"]
    rows, engine, figures = [], "", ""
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "step":
            name, wall, cpu, load = rest.split()
            rows.append([name, wall, cpu, load])
        elif kind == "engine":
            engine = rest
        elif kind == "figures":
            figures = rest
    seconds, meetings, score = figures.split()
    table = []
    for name, wall, cpu, load in rows:
        what = f"{meetings} meetings, score {score}, solve time {seconds} s; {engine}" if name == "solve" else ""
        table.append(f"| {name} | {what} | {wall} | {cpu} | {load} |")
    total_wall = sum(float(r[1]) for r in rows)
    total_cpu = sum(float(r[2]) for r in rows)
    table.append(f"| all steps | | {total_wall:.1f} | {total_cpu:.1f} | |")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--attendees", type=int, default=10_000)
    parser.add_argument("--time-limit", type=float, default=20.0)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--out", default=str(HERE / "results" / "command.md"))
    args = parser.parse_args()
    from scheduler.example import write_example

    header = ["| step | result | wall s | CPU s | load (1 min) |", "|---|---|---:|---:|---:|"]
    lines = [
        f"# The whole solve command at {args.attendees:,} attendees",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        "shared with other work, so wall times follow the load (CPU seconds are steadier). "
        "Target: solve time at most 22 s, whole command within 50 s.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_example(Path(tmp) / "big.xlsx", attendees=args.attendees, seed=1, split=True)
        for run in range(1, args.runs + 1):
            lines += [f"Run {run}:", "", *header, command_row(paths, args.time_limit, Path(tmp) / f"out{run}"),
                      *step_rows(paths, args.time_limit), ""]
            print("\n".join(lines[-(len(header) + 8):]), flush=True)
    Path(args.out).write_text("\n".join(lines) + BEFORE, encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
