"""One solve from start to written files, shared by the CLI and the web page.

solve -> verify (a schedule that breaks a rule is never written) -> write
schedule.xlsx and the documents into a staged folder -> swap it in.
"""

from __future__ import annotations

import gc
import os
import re
import shutil
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .changes import ChangeReport, diff
from .changes import rows as change_rows
from .engine.solve import Progress, SolveOptions, solve
from .io.changes_write import write_changes
from .io.output import refuse_enclosing
from .io.read import ReadResult
from .model import PRIORITY_NAMES, Event
from .problems import InputError, Problem, Problems, plural
from .schedule import LeftOut, Schedule, SolveStatus
from .verify import verify


def read_all_at_once(files: Sequence[str | Path], names: Sequence[str] | None = None) -> ReadResult:
    """``read_event``; when it finds errors only in data rows (the settings, time
    grid, rooms and tracks read), the checks solve makes before its search run
    on the rest too, so one run names every problem (a wrong Priority does not
    hide a fixed meeting at an unavailable time)."""
    from .engine.solve import preflight
    from .io.read import read_event

    try:
        return read_event(files, names)
    except InputError as err:
        if not isinstance(err.partial, Event) or not _whole(err.partial):
            raise
        try:
            more = [Problem(reason) for reason in preflight(err.partial)]
        except Exception:  # noqa: BLE001 - an event missing its rows in error: its row errors are the answer
            raise err from None
        raise InputError(err.problems + more) from None


def _whole(event: Event) -> bool:
    """Whether every attendee the Fixed meetings and Sessions rows name is in the
    event: a row left out for its errors leaves the checks nothing to check
    them against (its own error stands alone then)."""
    fixed = all(event.party_of.get(f.a) in event.party and event.party_of.get(f.b) in event.party
                for f in event.fixed)
    return fixed and all(k in event.attendee for s in event.sessions for k in s.speakers)


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
    accept_renames: bool = False,
    duplex: bool | None = None,
) -> Outcome:
    """Solve (or re-solve from ``previous``), verify, write. Raises InputError
    before any solving when the output folder cannot take the files or the
    previous schedule belongs to other people."""
    check_room(out, len(event.attendees), documents)
    report, renames = None, False
    left_out: list[Problem] = []
    if previous:
        schedule, report, renames, left_out = _resolve(event, options, stop, progress, previous, accept_renames)
    else:
        schedule = solve(event, options, progress=progress, stop=stop)
    def stopping() -> bool:
        """A stop after the search (in its last steps, or while writing) is a stop too: nothing is written."""
        return not keep_best_on_interrupt and stop is not None and stop.is_set()

    if (schedule.figures.status == SolveStatus.INTERRUPTED and not keep_best_on_interrupt) or stopping():
        return Outcome(130, [INTERRUPTED])
    problems = verify(event, schedule)
    if problems:
        lines = ["internal error: the schedule breaks these rules, so it was not written:"]
        return Outcome(1, lines + [p.render() for p in problems[:50]])
    try:
        written = write_outputs(event, schedule, out, documents=documents, report=report, duplex=duplex,
                                previous=Path(previous).parent if previous else None, reuse=not renames,
                                stopping=stopping)
    except Stopped:
        return Outcome(130, [INTERRUPTED])
    except OSError as err:  # a full disk, a folder made read-only meanwhile: not a bug of ours
        where = err.filename or out
        return Outcome(2, [f"error: could not write {where}: {err.strerror or err}. "
                           f"{out} was left as it was; free some space or choose another folder with -o."])
    lines = summary_lines(event, schedule)
    if previous:
        lines += _left_out_lines(left_out)
    if report is not None:
        lines.append(
            f"Kept {report.kept} of {report.previous} previous meetings in place ({report.kept_share:.1%}); "
            f"{len(report.changed_attendees)} attendees' agendas changed."
        )
        lines.append(report.tally().capitalize() + ".")
    return Outcome(0, lines + [f"Wrote {len(written)} files to {out}"], schedule, written)


def _resolve(
    event: Event,
    options: SolveOptions,
    stop: threading.Event | None,
    progress: Callable[[Progress], None] | None,
    previous: str,
    accept_renames: bool,
) -> tuple[Schedule, ChangeReport, bool, list[Problem]]:
    """The re-solve, its change report, whether attendees were renamed (their
    counterparts' documents then change too), and the rows of the previous
    schedule that could not be read (left out)."""
    from .engine.change import resolve_with_reasons
    from .io.previous_read import read_people, renamed
    from .io.schedule_read import read_schedule

    people = read_people(previous)
    problems = renamed(event, people, Path(previous).name)
    if problems and not accept_renames:
        raise InputError(problems)
    found = Problems()
    rows: list[LeftOut] = []
    old = read_schedule(previous, event, lenient=True, problems=found, left_out=rows)
    new, moves, session_moves = resolve_with_reasons(event, old, options, progress=progress, stop=stop)
    names = {key: p.name for key, p in people.items() if p.name}
    report = diff(event, old, new, names=names, moves=moves, session_moves=session_moves, left_out=rows)
    left_out = [p for p in found.warnings if p.message.endswith("the row is left out")]
    return new, report, bool(problems), left_out


def _left_out_lines(left_out: list[Problem], most: int = 10) -> list[str]:
    """The previous schedule's rows the re-solve could not use (a typo in a
    hand-edited schedule, a pair listed twice); changes.xlsx lists the
    Meetings rows among them as dropped."""
    lines = [f"warning: {p.render()}" for p in left_out[:most]]
    if len(left_out) > most:
        lines.append(f"warning: and {len(left_out) - most} more rows of the previous schedule left out")
    return lines


# ---------------------------------------------------------------- the output folder

# Bytes written per attendee with every document (agenda twice, calendar, rows), measured on the
# sample with some margin, and a fixed part (report, table signs, door sheets).
BYTES_PER_ATTENDEE = 120_000
BYTES_FIXED = 5_000_000


def needed_bytes(attendees: int, documents: bool) -> int:
    per = BYTES_PER_ATTENDEE if documents else BYTES_PER_ATTENDEE // 10
    return BYTES_FIXED + per * attendees


def check_room(out: Path, attendees: int, documents: bool = True) -> None:
    """Before solving: can the output folder's parent take the files? (A plain message, not a crash
    after minutes of solving.)"""
    refuse_enclosing(out)
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    problems = []
    if out.exists() and not out.is_dir():
        problems.append(Problem(f"the output folder {out} is a file; choose another folder with -o"))
    elif not parent.is_dir():
        problems.append(Problem(f"cannot write the output folder {out}: {parent} is not a folder"))
    elif not _writable(parent):
        problems.append(Problem(f"cannot write in {parent} (permission denied or a read-only disk); "
                                "choose another folder with -o"))
    else:
        need, free = needed_bytes(attendees, documents), shutil.disk_usage(parent).free
        if free < need:
            problems.append(Problem(f"only {_mb(free)} free on the disk of {parent}; the outputs of "
                                    f"{attendees} attendees need about {_mb(need)}. Free some space or "
                                    "choose another folder with -o"))
    if problems:
        raise InputError(problems)


def _writable(folder: Path) -> bool:
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e3:,.0f} kB"


def folder_name(event: Event) -> str:
    """The default folder name: the event's name in Latin letters (transliterated, so
    names in other scripts stay distinct), or its dates when nothing is left."""
    from anyascii import anyascii

    name = re.sub(r"[^a-z0-9]+", "-", anyascii(event.settings.name).casefold()).strip("-")[:60].strip("-")
    if re.search(r"[a-z]", name):
        return name
    days = f"{event.days[0]:%Y-%m-%d}" if event.days else ""
    return "-".join(x for x in ("event", name, days) if x)


def default_out(event: Event, previous: str | None, root: Path = Path("outputs")) -> Path:
    """outputs/<event>; a re-solve never writes over its own input, so it takes the
    first free outputs/<event>-2, -3, ..."""
    base = root / folder_name(event)
    if not previous:
        return base
    n = 2
    while _taken(base.with_name(f"{base.name}-{n}")):
        n += 1
    return base.with_name(f"{base.name}-{n}")


def _taken(folder: Path) -> bool:
    from .io.output import store_of

    return folder.exists() or folder.is_symlink() or store_of(folder).exists()


def same_folder(out: Path, previous: str) -> bool:
    """Would writing ``out`` replace the folder that holds ``previous``?"""
    return os.path.realpath(Path(previous).parent) == os.path.realpath(out) or (
        Path(previous).absolute().parent == out.absolute()
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector off for a batch of allocations that make no
    garbage cycles: reading the event, writing schedule.xlsx. At 10,000
    attendees each makes millions of objects, and the collector, triggered by
    their number, walked the whole growing heap about ten times for nothing
    (3 s of 9 on a 2-core machine). It is back on, with its counts, after."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def write_outputs(
    event: Event,
    schedule: Schedule,
    out: Path,
    *,
    documents: bool = True,
    report: ChangeReport | None = None,
    duplex: bool | None = None,
    previous: Path | None = None,
    reuse: bool = True,
    stopping: Callable[[], bool] = lambda: False,
) -> list[Path]:
    """Everything into a staging folder, then switched in. ``previous``: the published
    run's folder (the calendars' history); ``duplex`` None: the event's setting;
    ``stopping``: asked between steps, raising :class:`Stopped` (the staging folder
    is removed, the output folder left as it was) when it says so."""
    from .io.output import staged_output
    from .io.write import write_schedule

    extra = {"Changes": change_rows(report)} if report is not None else None
    with staged_output(out) as tmp:
        with gc_paused():
            written = [write_schedule(event, schedule, tmp / "schedule.xlsx", extra_sheets=extra)]
        if report is not None:
            written.append(write_changes(report, tmp / "changes.xlsx"))
        if documents:
            from .documents import render_all

            only = set(report.changed_attendees) if report is not None else None
            if duplex is None:
                duplex = event.settings.duplex_printing == "Yes"
            _check(stopping)
            written += render_all(event, schedule, tmp, only=only, changes=report, duplex=duplex,
                                  previous=previous, reuse=reuse)
        _check(stopping)
    return [out / p.relative_to(tmp) for p in written]


class Stopped(Exception):
    """Ctrl-C (or the web page's Stop) while the files were written: none are kept."""


INTERRUPTED = "Interrupted: nothing written (use --keep-best-on-interrupt to keep the best so far)."


def _check(stopping: Callable[[], bool]) -> None:
    if stopping():
        raise Stopped


def summary_lines(event: Event, schedule: Schedule) -> list[str]:
    f = schedule.figures
    by_priority = Counter(
        PRIORITY_NAMES[event.request[m.pair].priority] if m.pair in event.request else "no request"
        for m in schedule.meetings
    )
    order = [PRIORITY_NAMES[p] for p in (1, 2, 3)] + ["no request"]
    parts = ", ".join(f"{by_priority[name]} {name}" for name in order if by_priority[name])
    # Declined pairs and requests left out before scheduling are listed in Unscheduled too,
    # but they were never to be met: told apart, as the report does.
    left_out = sum(1 for u in schedule.unscheduled
                   if (r := event.request.get((u.a, u.b))) is not None and r.excluded is not None)
    not_met = len(schedule.unscheduled) - left_out
    return [
        f"{plural(len(schedule.meetings), 'meeting')}{f' ({parts})' if parts else ''}; "
        f"{plural(not_met, 'request')} not met"
        + (f", {left_out} declined or left out" if left_out else "") + ".",
        f"Standard score {f.score:g}, proven upper bound {f.bound:.1f}, gap {f.gap:.2%} ({f.status}, {f.solve_seconds:.1f} s)."
        + (f" The bound is the {f.bound_method}." if f.bound_method and not f.bound_method.startswith("LP") else ""),
    ]
