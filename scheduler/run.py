"""One solve from start to written files, shared by the CLI and the web page.

solve -> verify (a schedule that breaks a rule is never written) -> write
schedule.xlsx and the documents into a staged folder -> swap it in.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .changes import ChangeReport, diff
from .changes import rows as change_rows
from .engine.solve import Progress, SolveOptions, solve
from .io.changes_write import write_changes
from .model import PRIORITY_NAMES, Event
from .schedule import Schedule
from .verify import verify


@dataclass
class Outcome:
    exit_code: int
    lines: list[str] = field(default_factory=list)
    schedule: Schedule | None = None
    written: list[Path] = field(default_factory=list)


def run_solve(
    event: Event,
    options: SolveOptions,
    out: Path,
    *,
    stop: threading.Event | None = None,
    progress: Callable[[Progress], None] | None = None,
    keep_best_on_interrupt: bool = False,
    previous: str | None = None,
    documents: bool = True,
) -> Outcome:
    report = None
    if previous:
        schedule, report = _resolve(event, options, stop, progress, previous)
    else:
        schedule = solve(event, options, progress=progress, stop=stop)
    if schedule.figures.status == "INTERRUPTED" and not keep_best_on_interrupt:
        return Outcome(
            130, ["Interrupted: nothing written (use --keep-best-on-interrupt to keep the best so far)."]
        )
    problems = verify(event, schedule)
    if problems:
        lines = ["internal error: the schedule breaks these rules, so it was not written:"]
        return Outcome(1, lines + [p.render() for p in problems[:50]])
    written = write_outputs(event, schedule, out, documents=documents, report=report)
    lines = summary_lines(event, schedule)
    if report is not None:
        lines.append(
            f"Kept {report.kept} of {report.previous} previous meetings in place ({report.kept_share:.1%}); "
            f"{len(report.changed_attendees)} attendees' agendas changed."
        )
    return Outcome(0, lines + [f"Wrote {len(written)} files to {out}"], schedule, written)


def _resolve(
    event: Event,
    options: SolveOptions,
    stop: threading.Event | None,
    progress: Callable[[Progress], None] | None,
    previous: str,
) -> tuple[Schedule, ChangeReport]:
    from .engine.change import resolve_from_previous
    from .io.schedule_read import read_schedule

    old = read_schedule(previous, event, lenient=True)
    new = resolve_from_previous(event, old, options, progress=progress, stop=stop)
    return new, diff(event, old, new)


def write_outputs(
    event: Event,
    schedule: Schedule,
    out: Path,
    *,
    documents: bool = True,
    report: ChangeReport | None = None,
) -> list[Path]:
    from .io.output import staged_output
    from .io.write import write_schedule

    extra = {"Changes": change_rows(report)} if report is not None else None
    with staged_output(out) as tmp:
        written = [write_schedule(event, schedule, tmp / "schedule.xlsx", extra_sheets=extra)]
        if report is not None:
            written.append(write_changes(report, tmp / "changes.xlsx"))
        if documents:
            from .documents import render_all

            only = set(report.changed_attendees) if report is not None else None
            written += render_all(event, schedule, tmp, only=only, changes=report)
    return [out / p.relative_to(tmp) for p in written]


def summary_lines(event: Event, schedule: Schedule) -> list[str]:
    f = schedule.figures
    by_priority = Counter(
        PRIORITY_NAMES[event.request[m.pair].priority] if m.pair in event.request else "no request"
        for m in schedule.meetings
    )
    parts = ", ".join(f"{n} {name}" for name, n in sorted(by_priority.items()))
    return [
        f"{len(schedule.meetings)} meetings ({parts}); {len(schedule.unscheduled)} requests unscheduled.",
        f"Standard score {f.score:g}, proven upper bound {f.bound:.1f}, gap {f.gap:.2%} ({f.status}, {f.solve_seconds:.1f} s).",
    ]
