"""`make bench ONLY=engine`: the engine on many event shapes, against the valid
upper bound and a first-come-first-served peer.

Each family (benchmarks/shapes.py) changes the generated event the way real
events differ from it; each row is one family at one size, solved in its own
process with the default settings and the size's time target. The peer
(engine/baseline.py) shares none of the engine's code: it books real tables,
a host taking one only on a day it meets. Both schedules go through verify.

    python benchmarks/bench_engine.py [--sizes 400,1500,5000] [--families sample,hosts-10-scarce]
                                      [--mid-families ...] [--big-families ...] [--limit-check]

"target met" is "yes" when the row meets every target of the engine issue:
its share of the bound (the host-heavy share for the families with hosts at
10% of attendees or more, the general share for the others), never below the FCFS peer, idle slots per
attendee-day at most the peer's, and peak memory; else it names what it missed.
"repeatable" is the Summary's word: "no" when the wall clock, not the
planned work, ended a phase, so that a second run may give another schedule.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from shapes import FAMILIES, shape  # noqa: E402

# size -> (seconds, target share of the bound, GB); host-heavy targets from the engine issue.
TARGETS = {400: (10, 0.999, 1), 1500: (60, 0.995, 2), 5000: (300, 0.99, 4)}
HOST_HEAVY = {400: 0.985, 1500: 0.98, 5000: 0.975}
# The issue sets the host-heavy share for "host-heavy rows (10% hosts, scarce
# tables)" and keeps "the other rows as today", the rows of the generator's
# few hosts. A row with 25% hosts is host-heavy too: holding it to 99.9% would
# ask more of it than of the 10% one, and on these events no schedule reaches
# 99.9% of the bound (docs/model.md, "Where the bound is loose"). Rows without
# extra hosts (`scarce` included) keep the stricter general share.
HOST_HEAVY_FAMILIES = {"hosts-10-scarce", "hosts-10", "hosts-25"}
_CACHE: dict[int, object] = {}


def _event(attendees: int):
    from scheduler.example import write_example
    from scheduler.io.read import read_event

    with tempfile.TemporaryDirectory() as tmp:
        return read_event(write_example(Path(tmp) / "event.xlsx", attendees=attendees, seed=2017)).event


def solve_shape(attendees: int, family: str, seconds: float, queue: mp.Queue) -> None:
    from scheduler.comfort import comfort
    from scheduler.engine.baseline import first_come_first_served
    from scheduler.engine.solve import SolveOptions, solve
    from scheduler.verify import verify

    event = shape(_event(attendees), family)
    started = time.monotonic()
    schedule = solve(event, SolveOptions(time_limit=seconds, workers=2, seed=0))
    elapsed = time.monotonic() - started
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    fcfs = first_come_first_served(event, schedule.sessions)
    ours, theirs = comfort(event, schedule), comfort(event, fcfs)
    tables = sorted({sum(r.tables for r in event.meeting_rooms(d)) for d in event.days})
    queue.put(
        {
            "requests": sum(1 for r in event.requests if r.priority),
            "hosts": sum(p.host for p in event.parties),
            "tables": "/".join(map(str, tables)),
            "seconds": elapsed,
            "peak_gb": peak_gb,
            "score": schedule.figures.score,
            "repeatable": schedule.figures.repeatable,
            "bound": schedule.figures.bound,
            "method": _method(schedule.figures.bound_method),
            "fcfs": fcfs.figures.score,
            "idle": (ours.idle_per_day, theirs.idle_per_day),
            "changes": (ours.table_changes, ours.back_to_back, theirs.table_changes, theirs.back_to_back),
            "violations": (len(verify(event, schedule)), len(verify(event, fcfs, check_lost=False))),
        }
    )


def limit_check(attendees: int, seconds: float, queue: mp.Queue) -> None:
    """`solve --time-limit S --no-documents` through the CLI: solve time and whole command."""
    import subprocess

    from scheduler.example import write_example

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_example(Path(tmp) / "big.xlsx", attendees=attendees, seed=1, split=True)
        started = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-m", "scheduler.cli", "solve", *map(str, paths), "-o", f"{tmp}/out",
             "--time-limit", str(seconds), "--no-documents", "--quiet"],
            capture_output=True, text=True,
        )
        whole = time.monotonic() - started
        solve_line = " ".join(line.strip() for line in out.stdout.splitlines() if "score" in line.lower())[:300]
        queue.put({"whole": whole, "exit": out.returncode, "line": solve_line.strip()})


def _method(text: str) -> str:
    """How the bound was proven, in a word: the LP, the dual of an unfinished LP, or the capacity bound."""
    return "LP" if text.startswith("LP") else "LP dual" if text.startswith("dual") else "capacity"


def run_child(target, *args) -> dict:
    ctx = mp.get_context("spawn")
    queue: mp.Queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(*args, queue))
    proc.start()
    while True:  # a child that fails puts nothing: do not wait for ever
        try:
            result = queue.get(timeout=5)
            break
        except Exception:
            if not proc.is_alive():
                raise RuntimeError(f"{target.__name__}{args} failed") from None
    proc.join()
    return result


def row(n: int, family: str, seconds: float, r: dict) -> str:
    share = r["score"] / r["bound"] if r["bound"] else 1.0
    target = HOST_HEAVY[n] if family in HOST_HEAVY_FAMILIES and n in HOST_HEAVY else TARGETS.get(n, (0, 0.99, 0))[1]
    fcfs_share = r["fcfs"] / r["bound"] if r["bound"] else 1.0
    missed = [
        name
        for name, met in (
            ("share", share >= target),
            ("below FCFS", r["score"] >= r["fcfs"]),
            ("idle", r["idle"][0] <= r["idle"][1] + 0.005),  # shown to two decimals
            ("memory", r["peak_gb"] <= TARGETS.get(n, (0, 0, 4))[2]),
        )
        if not met
    ]
    ok = "no: " + ", ".join(missed) if missed else "yes"
    tc, bb, ftc, fbb = r["changes"]
    return (
        f"| {family} | {n} | {r['hosts']} | {r['tables']} | {r['requests']} | {r['seconds']:.1f} ({seconds}) "
        f"| {'yes' if r['repeatable'] else 'no'} | {r['peak_gb']:.2f} | {r['score']:g} | {r['bound']:.1f} ({r['method']}) | {share:.2%} | {target:.1%} "
        f"| {r['fcfs']:g} | {fcfs_share:.2%} | {r['idle'][0]:.2f} / {r['idle'][1]:.2f} "
        f"| {tc}/{bb} / {ftc}/{fbb} | {r['violations'][0]} / {r['violations'][1]} | {ok} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="400,1500,5000")
    parser.add_argument("--families", default=",".join(FAMILIES))
    parser.add_argument("--mid-families", default=",".join(FAMILIES), help="families run at 1,500 to 4,999")
    parser.add_argument("--big-families", default=",".join(FAMILIES), help="families run at 5,000 and above")
    parser.add_argument("--limit-check", action="store_true", help="also time --time-limit 20 at 10,000 attendees")
    parser.add_argument("--out", default="benchmarks/results/engine.md")
    args = parser.parse_args()
    lines = [
        f"Machine: {platform.machine()}, {mp.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}; default settings, 2 workers, seed 0.",
        "",
        "| family | attendees | hosts | tables/day | request pairs | time s (limit) | repeatable | peak GB | score "
        "| valid bound | share of bound | target | FCFS score | FCFS share | idle slots per attendee-day ours / FCFS "
        "| table changes/back-to-back ours / FCFS | rule violations ours / FCFS | target met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    print("\n".join(lines), flush=True)
    big, mid = set(args.big_families.split(",")), set(args.mid_families.split(","))
    for n in (int(s) for s in args.sizes.split(",")):
        seconds = TARGETS.get(n, (60, 0.99, 4))[0]
        for family in args.families.split(","):
            if (n >= 5000 and family not in big) or (1500 <= n < 5000 and family not in mid):
                continue
            try:
                line = row(n, family, seconds, run_child(solve_shape, n, family, seconds))
            except RuntimeError as err:  # one failed row must not lose the others' figures
                line = f"| {family} | {n} | failed: {err} (the traceback is above) |"
            print(line, flush=True)
            lines.append(line)
    if args.limit_check:
        c = run_child(limit_check, 10_000, 20)
        lines += ["", f"10,000 attendees, `solve --time-limit 20 --no-documents`: whole command {c['whole']:.1f} s "
                  f"(exit {c['exit']}); {c['line']}"]
    lines += ["", "Families: " + "; ".join(f"`{k}`: {v}" for k, v in FAMILIES.items()) + "."]
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    print("\n".join(lines[-3:]))


if __name__ == "__main__":
    main()
