"""`make bench ONLY=resolve`: a re-solve after changes, end to end, as an organizer runs it.

Generates an event, solves it with every document (`scheduler solve`), then
changes the workbook: 5% of the attendees cancel (not speakers, team members
or people in fixed meetings) and 5% more requests arrive. The re-solve is the
command an organizer types, timed from start to exit, documents included:

    scheduler solve v2.xlsx --previous v1/schedule.xlsx -o v2 --time-limit 10

Then: how many meetings of attendees who did not cancel stayed exactly where
they were, and whether every one that moved has a rule named in changes.xlsx.

    python benchmarks/bench_resolve.py [--attendees 1500] [--out benchmarks/results/resolve.md]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

SHARE = 0.05


def perturb(source: Path, target: Path, share: float, seed: int) -> tuple[set[str], int]:
    """Cancel ``share`` of the attendees and add ``share`` more requests; return (cancelled IDs, requests added)."""
    wb = openpyxl.load_workbook(source)
    rows = {name: [list(r) for r in wb[name].iter_rows(values_only=True)] for name in wb.sheetnames}
    people = _table(rows["Attendees"])
    speakers = {s.strip().casefold() for r in _table(rows["Sessions"]) for s in str(r.get("Speakers") or "").split(";")}
    fixed = {str(r[k]).casefold() for r in _table(rows.get("Fixed meetings", [[]])) for k in ("Attendee A", "Attendee B")
             if r.get(k)}
    singles = [str(p["Attendee"]) for p in people
               if not p.get("Team") and str(p["Attendee"]).casefold() not in speakers | fixed]
    rng = random.Random(seed)
    gone = set(rng.sample(singles, int(len(people) * share)))
    folded = {g.casefold() for g in gone}

    def keep(row: list[object]) -> bool:
        return not any(str(v).strip().casefold() in folded for v in row[:2] if v is not None)

    _replace(wb["Attendees"], rows["Attendees"], keep)
    _replace(wb["Unavailable"], rows["Unavailable"], keep)
    requests = rows["Requests"]
    left = [s for s in singles if s not in gone]
    added = [[*rng.sample(left, 2), "Medium", "late request"] for _ in range(int((len(requests) - 1) * share))]
    _replace(wb["Requests"], requests + added, keep)
    wb.save(target)
    return gone, len(added)


def _table(rows: list[list[object]]) -> list[dict[str, object]]:
    if not rows:
        return []
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def _replace(ws, rows: list[list[object]], keep) -> None:
    ws.delete_rows(1, ws.max_row)
    ws.append(rows[0])
    for row in rows[1:]:
        if keep(row):
            ws.append(row)


def scheduler(*args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run the command; (wall seconds, CPU seconds of the command, result). The CPU time tells
    what the wall time would be on an idle machine when the machine is shared."""
    command = [str(Path(sys.executable).parent / "scheduler"), *args]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def measure(attendees: int, first_limit: float, limit: float, queue: mp.Queue) -> None:
    from scheduler.example import write_example
    from scheduler.io.read import read_event
    from scheduler.io.schedule_read import read_schedule
    from scheduler.verify import verify

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = write_example(root / "v1.xlsx", attendees=attendees, seed=2017)[0]
        first_seconds, _, first = scheduler("solve", str(source), "-o", str(root / "v1"), "--time-limit",
                                         str(first_limit), "--quiet")
        assert first.returncode == 0, first.stderr
        gone, added = perturb(source, root / "v2.xlsx", SHARE, seed=7)
        seconds, cpu, again = scheduler("solve", str(root / "v2.xlsx"), "--previous", str(root / "v1" / "schedule.xlsx"),
                                   "-o", str(root / "v2"), "--time-limit", str(limit), "--quiet")
        assert again.returncode == 0, again.stderr
        event = read_event([root / "v2.xlsx"]).event
        old = read_schedule(root / "v1" / "schedule.xlsx", event, lenient=True)
        new = read_schedule(root / "v2" / "schedule.xlsx", event)
        folded = {g.casefold() for g in gone}
        unaffected = [m for m in old.meetings
                      if not any(k in folded for p in m.pair for k in _members(event, p))]
        where = {m.pair: (m.slot, m.room, m.table) for m in new.meetings}
        moved = [m for m in unaffected if where.get(m.pair) != (m.slot, m.room, m.table)]
        reasons = _move_reasons(root / "v2" / "changes.xlsx")
        unexplained = [m for m in moved if not reasons.get(_ids(event, m))]
        queue.put({
            "attendees": attendees, "cancelled": len(gone), "added": added, "unaffected": len(unaffected),
            "kept": len(unaffected) - len(moved), "moved": len(moved), "unexplained": len(unexplained),
            "why": sorted({reasons.get(_ids(event, m), "") for m in moved}), "seconds": seconds, "cpu": cpu,
            "load": os.getloadavg()[0],
            "first_seconds": first_seconds, "violations": len(verify(event, new)),
            "summary": again.stdout.strip().splitlines(),
        })


def _members(event, party: str) -> tuple[str, ...]:
    p = event.party.get(party)
    return p.members if p else (party,)


def _ids(event, m) -> tuple[str, str]:
    """The meeting as changes.xlsx names it: an attendee of one side, and the other side's IDs."""
    a, b = m.pair
    return (event.attendee[_members(event, a)[0]].id, ", ".join(event.attendee[k].id for k in _members(event, b)))


def _move_reasons(path: Path) -> dict[tuple[str, str], str]:
    """(attendee ID, counterpart IDs) -> the rule that moved the meeting, from the Changes sheet."""
    ws = openpyxl.load_workbook(path, read_only=True)["Changes"]
    rows = list(ws.iter_rows(values_only=True))
    head = list(rows[0])
    found: dict[tuple[str, str], str] = {}
    for r in rows[1:]:
        if r[head.index("Change")] == "moved":
            pair = (str(r[head.index("Attendee")]), str(r[head.index("Counterpart ID")]))
            found[pair] = str(r[head.index("Reason")] or "")
    return found


def run_child(target, *args) -> dict:
    context = mp.get_context("spawn")
    queue: mp.Queue = context.Queue()
    proc = context.Process(target=target, args=(*args, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attendees", type=int, default=1500)
    parser.add_argument("--first-limit", type=float, default=40)
    parser.add_argument("--limit", type=float, default=10)
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "resolve.md"))
    args = parser.parse_args()
    c = run_child(measure, args.attendees, args.first_limit, args.limit)
    lines = [
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
        f"{mp.cpu_count()} cores (shared with other work while measured: timings are noisy).",
        "",
        f"Re-solve after {SHARE:.0%} cancellations and {SHARE:.0%} new requests, "
        f"`scheduler solve … --previous … --time-limit {args.limit:g}` timed end to end (documents included):",
        "",
        "| attendees | cancelled | requests added | unaffected meetings | kept in place | moved | moved without a "
        "rule named | re-solve wall time (s) | its CPU time (s) | load average then | first solve (s) "
        "| rule violations |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {c['attendees']:,} | {c['cancelled']} | {c['added']} | {c['unaffected']:,} | {c['kept']:,} "
        f"| {c['moved']} | {c['unexplained']} | {c['seconds']:.1f} | {c['cpu']:.1f} | {c['load']:.1f} "
        f"| {c['first_seconds']:.1f} | {c['violations']} |",
        "",
        "Rules named for the moves: " + ("; ".join(w or "(none)" for w in c["why"]) or "no meeting moved") + ".",
        "",
        "Re-solve summary: " + " ".join(c["summary"]),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
