"""`make bench`: generate events, solve them, print a markdown table.

Each size runs in its own process so that peak memory is that solve's own.
Compares our engine with a first-come-first-served scheduler, reports the
session figures against a naive session placement, and measures a
minimal-change re-solve after cancellations and late requests.

    python benchmarks/bench_engine.py [--sizes 400,1500,5000] [--out benchmarks/results/engine.md]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import random
import resource
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

# Targets from the engine issue: (attendees, seconds, quality share of the bound, GB).
TARGETS = {400: (10, 0.999, 1), 1500: (60, 0.995, 2), 5000: (300, 0.99, 4)}


def solve_size(attendees: int, seconds: float, queue: mp.Queue) -> None:
    from scheduler.comfort import comfort
    from scheduler.engine import bound as bound_mod
    from scheduler.engine.baseline import first_come_first_served
    from scheduler.engine.instance import build
    from scheduler.engine.sessions import naive_placement, session_figures
    from scheduler.engine.solve import SolveOptions, solve
    from scheduler.example import write_example
    from scheduler.io.read import read_event
    from scheduler.verify import verify

    with tempfile.TemporaryDirectory() as tmp:
        paths = write_example(Path(tmp) / "event.xlsx", attendees=attendees, seed=2017)
        event = read_event(paths).event
    target_share = TARGETS.get(attendees, (0, 0.99, 0))[1]
    reached: list[float] = []

    def watch(p) -> None:  # the first moment the target share of the bound is reached
        if not reached and p.bound > 0 and p.score >= target_share * p.bound:
            reached.append(p.elapsed)

    started = time.monotonic()
    schedule = solve(event, SolveOptions(time_limit=seconds, workers=2, seed=0), progress=watch)
    elapsed = time.monotonic() - started
    ours_comfort, fcfs_comfort = comfort(event, schedule), None
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    problems = verify(event, schedule)
    naive_sessions = naive_placement(event)
    fcfs = first_come_first_served(event, naive_sessions)
    fcfs_comfort = comfort(event, fcfs)
    ours_sessions = session_figures(event, schedule.sessions)
    naive_figures = session_figures(event, naive_sessions)
    no_sessions = bound_mod.solve_bound(build(event, ())).value
    with_naive = bound_mod.solve_bound(build(event, naive_sessions)).value
    write_seconds, render_seconds = _output_times(event, schedule)
    queue.put(
        {
            "attendees": len(event.attendees),
            "requests": sum(1 for r in event.requests if r.priority),
            "seconds": elapsed,
            "reached": reached[0] if reached else None,
            "peak_gb": peak_gb,
            "idle": ours_comfort.idle_per_day,
            "changes": f"{ours_comfort.table_changes}/{ours_comfort.back_to_back}",
            "fcfs_idle": fcfs_comfort.idle_per_day,
            "fcfs_changes": f"{fcfs_comfort.table_changes}/{fcfs_comfort.back_to_back}",
            "score": schedule.figures.score,
            "bound": schedule.figures.bound,
            "by_priority": _by_priority(event, schedule),
            "worst": _worst(event, schedule),
            "fcfs_score": fcfs.figures.score,
            "fcfs_by_priority": _by_priority(event, fcfs),
            "fcfs_worst": _worst(event, fcfs),
            "violations": len(problems),
            "clashes": ours_sessions["clashes"],
            "same_track": ours_sessions["same_track_overlaps"],
            "naive_clashes": naive_figures["clashes"],
            "naive_same_track": naive_figures["same_track_overlaps"],
            "lost_to_sessions": no_sessions - schedule.figures.bound,
            "lost_naive_sessions": no_sessions - with_naive,
            "write_seconds": write_seconds,
            "render_seconds": render_seconds,
        }
    )


def _output_times(event, schedule) -> tuple[float, float]:
    """Seconds to write schedule.xlsx, and to render every document."""
    from scheduler.documents import render_all
    from scheduler.io.write import write_schedule

    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        write_schedule(event, schedule, Path(tmp) / "schedule.xlsx")
        written = time.monotonic()
        render_all(event, schedule, Path(tmp))
        return written - started, time.monotonic() - written


def io_figures(attendees: int, queue: mp.Queue) -> None:
    """Seconds to generate and to read back an example event of this size."""
    from scheduler.example import write_example
    from scheduler.io.read import read_event

    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        paths = write_example(Path(tmp) / "big.xlsx", attendees=attendees, seed=1, split=True)
        generated = time.monotonic()
        event = read_event(paths).event
        queue.put(
            {
                "generate": generated - started,
                "read": time.monotonic() - generated,
                "requests": len(event.requests),
            }
        )


def _by_priority(event, schedule) -> str:
    counts = Counter(event.request[m.pair].priority for m in schedule.meetings if m.pair in event.request)
    return f"{counts[1]}/{counts[2]}/{counts[3]}"


def _worst(event, schedule) -> str:
    """The lowest share of an attendee's requests that were met, counting only
    requests the rules allow (not declined, same organization or without a
    shared language)."""
    from scheduler.rules import never_reason

    asked: Counter[str] = Counter()
    met: Counter[str] = Counter()
    met_pairs = {m.pair for m in schedule.meetings}
    for r in event.requests:
        if never_reason(event, r) is None:
            for p in r.pair:
                asked[p] += 1
                met[p] += r.pair in met_pairs
    shares = sorted((met[p] / n, p) for p, n in asked.items() if n)
    share, who = shares[0]
    return f"{share:.0%} ({met[who]}/{asked[who]})"


def change_figures(attendees: int, seconds: float, queue: mp.Queue) -> None:
    """Solve, cancel 5% of attendees, add 5% new requests, re-solve from the old schedule."""
    from scheduler.changes import diff
    from scheduler.engine.change import resolve_from_previous
    from scheduler.engine.solve import SolveOptions, solve
    from scheduler.example import write_example
    from scheduler.io.read import read_event
    from scheduler.verify import verify

    with tempfile.TemporaryDirectory() as tmp:
        event = read_event(write_example(Path(tmp) / "event.xlsx", attendees=attendees, seed=2017)).event
    options = SolveOptions(time_limit=seconds, workers=2, seed=0)
    first = solve(event, options)
    changed = _perturb(event, share=0.05, seed=7)
    started = time.monotonic()
    again = resolve_from_previous(changed, first, replace(options, time_limit=min(seconds, 20)))
    elapsed = time.monotonic() - started
    fresh = solve(changed, options)
    report = diff(changed, first, again)
    gone = {a.key for a in event.attendees} - {a.key for a in changed.attendees}
    unaffected = [m for m in first.meetings if not any(k in gone for p in m.pair for k in event.party[p].members)]
    stayed = {(m.pair, m.slot, m.room, m.table) for m in again.meetings}
    kept = sum((m.pair, m.slot, m.room, m.table) in stayed for m in unaffected)
    queue.put(
        {
            "unaffected_kept": kept / len(unaffected) if unaffected else 1.0,
            "seconds": elapsed,
            "score": again.figures.score,
            "fresh": fresh.figures.score,
            "changed_attendees": len(report.changed_attendees),
            "violations": len(verify(changed, again)),
        }
    )


def _perturb(event, share: float, seed: int):
    """Cancel ``share`` of the attendees (not team members, speakers or those in
    fixed meetings) and add ``share`` new Medium requests between the others."""
    from scheduler import build

    rng = random.Random(seed)
    protected = {k for s in event.sessions for k in s.speakers} | {k for f in event.fixed for k in (f.a, f.b)}
    singles = [a for a in event.attendees if not a.team and a.key not in protected]
    gone = {a.key for a in rng.sample(singles, int(len(event.attendees) * share))}
    attendees = [a for a in event.attendees if a.key not in gone]
    parties = build.make_parties(attendees)
    party_of = {m: p.key for p in parties for m in p.members}
    org_of = {p.key: p.org_key for p in parties}
    asks = []
    for r in event.requests:
        for asker in r.asked_by:
            other = r.b if event.party_of[asker] == r.a else r.a
            if asker in party_of and other in org_of:
                asks.append((asker, other, r.priority, r.note))
    singles_left = [a.key for a in attendees if not a.team]
    for _ in range(int(len(event.requests) * share)):
        a, b = rng.sample(singles_left, 2)
        asks.append((a, b, 2, "late request"))
    return replace(
        event,
        attendees=tuple(attendees),
        parties=parties,
        requests=build.merge_requests(asks, party_of, org_of),
        unavailable=tuple(u for u in event.unavailable if u.attendee not in gone),
    )


def _when(seconds: float | None) -> str:
    return "not reached" if seconds is None else f"{seconds:.1f}"


def run_child(target, *args) -> dict:
    queue: mp.Queue = mp.get_context("spawn").Queue()
    proc = mp.get_context("spawn").Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="400,1500,5000")
    parser.add_argument("--out", default="benchmarks/results/engine.md")
    parser.add_argument("--no-change", action="store_true", help="skip the re-solve benchmark")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    lines = [
        f"Machine: {platform.machine()}, {mp.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}",
        "",
        "| attendees | requests | time (s) | target share reached at (s) | target (s) | peak GB | score | bound | share of bound | target share "
        "| meetings H/M/L | worst-off (met/allowed) | FCFS score | FCFS share | FCFS H/M/L | FCFS worst-off | rule violations |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    comfort_lines = [
        "",
        "| attendees | idle slots per attendee-day | back-to-back at another table "
        "| FCFS idle slots per attendee-day | FCFS back-to-back at another table |",
        "|---|---|---|---|---|",
    ]
    output_lines = [
        "",
        "| attendees | write schedule.xlsx (s) | render agendas, calendars, signs, report (s) |",
        "|---|---|---|",
    ]
    session_lines = [
        "",
        "| attendees | session clashes | same-track overlaps | naive clashes | naive same-track "
        "| score lost to sessions (bound) | with naive placement |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        seconds, share, _ = TARGETS.get(n, (60, 0.99, 4))
        r = run_child(solve_size, n, seconds)
        print(f"solved {n}: {r}", file=sys.stderr, flush=True)
        lines.append(
            f"| {r['attendees']} | {r['requests']} | {r['seconds']:.1f} | {_when(r['reached'])} | {seconds} "
            f"| {r['peak_gb']:.2f} "
            f"| {r['score']:g} | {r['bound']:.1f} | {r['score'] / r['bound']:.2%} | {share:.1%} "
            f"| {r['by_priority']} | {r['worst']} | {r['fcfs_score']:g} | {r['fcfs_score'] / r['bound']:.2%} "
            f"| {r['fcfs_by_priority']} | {r['fcfs_worst']} | {r['violations']} |"
        )
        comfort_lines.append(
            f"| {r['attendees']} | {r['idle']:.2f} | {r['changes']} | {r['fcfs_idle']:.2f} | {r['fcfs_changes']} |"
        )
        output_lines.append(f"| {r['attendees']} | {r['write_seconds']:.1f} | {r['render_seconds']:.1f} |")
        session_lines.append(
            f"| {r['attendees']} | {r['clashes']} | {r['same_track']} | {r['naive_clashes']} "
            f"| {r['naive_same_track']} | {r['lost_to_sessions']:.1f} | {r['lost_naive_sessions']:.1f} |"
        )
    lines += session_lines + comfort_lines + output_lines
    io = run_child(io_figures, 10_000)
    lines += [
        "",
        f"Generating a 10,000-attendee example ({io['requests']:,} request pairs, split files): "
        f"{io['generate']:.1f} s; reading and validating it: {io['read']:.1f} s.",
    ]
    if not args.no_change:
        c = run_child(change_figures, 1500, 60)
        lines += [
            "",
            "Re-solve after 5% cancellations and 5% new requests (1,500 attendees):",
            "",
            "| unaffected meetings kept | re-solve time (s) | score | fresh-solve score | attendees changed "
            "| rule violations |",
            "|---|---|---|---|---|---|",
            f"| {c['unaffected_kept']:.2%} | {c['seconds']:.1f} | {c['score']:g} | {c['fresh']:g} "
            f"| {c['changed_attendees']} | {c['violations']} |",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
