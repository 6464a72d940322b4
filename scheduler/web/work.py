"""Reading uploaded workbooks in a child process, never in the server itself.

A workbook is someone else's file: a damaged or hostile one can keep the
reader busy for a long time (the sheet XML is read with regular
expressions, which hold Python's global lock) or use a lot of memory. So
every read runs in a separate process (``in_child``), started by a fork
server that has already imported the reader; the server only waits on a
pipe, with a time limit after which the child is killed. The pages stay
responsive whatever the workbook does.

``check`` (after an upload) and ``read_for_solve`` (when a run starts) are
the two jobs; both are plain functions of plain arguments, so that they can
cross the process boundary.
"""

from __future__ import annotations

import multiprocessing
import sys
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from scheduler.problems import InputError, Problem

CHECK_SECONDS = 180  # reading 5,000 attendees takes ~10 s; a workbook slower than this is not a sane one

# Zip-bomb guards, checked before openpyxl opens anything. Sheet XML of real
# workbooks compresses 5-50x (a sheet of formatted blank rows up to ~150x);
# a zero-filled bomb compresses ~1000x. Small entries may compress as they like.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
MAX_ENTRIES = 10_000


class ChildFailed(Exception):
    """The child process raised, died or ran out of time; the message is for the log."""



@dataclass(frozen=True)
class Limits:
    """The zip guards, passed to the child explicitly (tests lower them)."""

    max_uncompressed: int = MAX_UNCOMPRESSED
    max_ratio: int = MAX_RATIO
    ratio_from: int = RATIO_FROM
    max_entries: int = MAX_ENTRIES


# ---------------------------------------------------------------- the child process


def _context() -> Any:
    if sys.platform == "win32" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["scheduler.web.work", "scheduler.io.read"])
    return context


def _child(conn: Any, job: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = (True, job(*args))
    except BaseException:  # noqa: BLE001 - everything goes back to the parent
        result = (False, traceback.format_exc())
    conn.send(result)
    conn.close()


def in_child(job: Callable[..., Any], *args: Any, timeout: float = CHECK_SECONDS,
             live: set[Any] | None = None) -> Any:
    """``job(*args)`` run in a child process; ChildFailed when it raises, dies or takes
    longer than ``timeout`` seconds (then it is killed). ``live`` holds the process while
    it runs, for whoever must kill it early (the server stopping)."""
    live = live if live is not None else set()
    context = _context()
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(send, job, args), daemon=True, name="scheduler-read")
    process.start()
    live.add(process)
    send.close()
    try:
        if not receive.poll(timeout):
            process.kill()
            raise ChildFailed(f"took longer than {timeout:g} s")
        try:
            ok, value = receive.recv()
        except EOFError:
            process.join(5)
            raise ChildFailed(f"the reading process died (exit code {process.exitcode})") from None
    finally:
        live.discard(process)
        receive.close()
        process.join(5)
        if process.is_alive():
            process.kill()
    if not ok:
        raise ChildFailed(value)
    return value


# ---------------------------------------------------------------- checking an upload


def upload_problem(original: str, path: Path, limits: Limits = Limits()) -> str | None:
    """Why an uploaded file is refused before any workbook reader sees it, or None."""
    if not original.casefold().endswith(".xlsx"):
        suffix = Path(original).suffix or "no extension"
        return (f"the page takes .xlsx workbooks only (this file has {suffix}); save it as Excel Workbook (.xlsx) "
                "in Excel or LibreOffice (the command line also reads .ods, .xls and .xlsb)")
    if path.stat().st_size == 0:
        return "the file is empty (0 bytes), not an .xlsx workbook"
    if not zipfile.is_zipfile(path):
        from scheduler.io.read import not_xlsx_reason

        return not_xlsx_reason(path)
    try:
        return zip_problem(path, limits)
    except Exception:  # a damaged zip raises anything from zlib.error to RuntimeError (encrypted part)
        return "is a damaged .xlsx workbook (the zip cannot be read); open it in Excel and save it again"


def zip_problem(path: Path, limits: Limits = Limits()) -> str | None:
    """Check the zip's table of contents, then unpack it to nowhere, counting bytes.

    The declared sizes could lie, so the real bytes are counted too; reading
    every entry also finds damaged ones (bad checksums) early.
    """
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if "[Content_Types].xml" not in {i.filename for i in infos}:
            return "is a zip file but not an Excel workbook (no [Content_Types].xml); save it as Excel Workbook (.xlsx)"
        if len(infos) > limits.max_entries:
            return f"holds {len(infos):,} parts, more than a workbook ever has ({limits.max_entries:,}); refused as unsafe"
        declared = sum(i.file_size for i in infos)
        if declared > limits.max_uncompressed:
            return too_big(declared, limits)
        for info in infos:
            ratio = info.file_size // max(info.compress_size, 1)
            if info.file_size > limits.ratio_from and ratio > limits.max_ratio:
                return f"is compressed {ratio:,} times ({info.filename}), far more than any workbook; refused as unsafe"
        total = 0
        for info in infos:
            with archive.open(info) as part:
                while chunk := part.read(1024 * 1024):
                    total += len(chunk)
                    if total > limits.max_uncompressed:
                        return too_big(total, limits)
    return None


def too_big(size: int, limits: Limits) -> str:
    return (f"unpacks to more than {size_text(size)}, over the {size_text(limits.max_uncompressed)} limit "
            "(a zip bomb?); refused as unsafe")


def size_text(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def problem_dict(problem: Problem, names: dict[str, str]) -> dict[str, Any]:
    """A problem for the page, its file named as on the organizer's computer."""
    if problem.file:
        parts = [names.get(part, part) for part in problem.file.split(", ")]
        problem = replace(problem, file=", ".join(parts))
    return {**asdict(problem), "text": problem.render()}


def check(inputs: str, files: list[dict[str, Any]], previous: dict[str, str] | None,
          limits: Limits = Limits()) -> dict[str, Any]:
    """Check the stored uploads and read them (in the child): the status changes and
    ``problems`` (errors first, then warnings). ``files`` are the upload records
    (original and stored names); refused files are deleted and marked."""
    folder = Path(inputs)
    names = {f["stored"]: f["original"] for f in files}
    refused = []
    for f in files:
        reason = upload_problem(f["original"], folder / f["stored"], limits)
        f["accepted"] = reason is None
        if reason:
            refused.append(problem_dict(Problem(reason, file=f["original"]), {}))
            (folder / f["stored"]).unlink()  # a refused file is never opened again
    if previous is not None:
        reason = upload_problem(previous["original"], Path(previous["path"]), limits)
        if reason:
            refused.append(problem_dict(Problem(reason, file=previous["original"]), {}))
    if refused:
        return {"state": "invalid", "files": files, "problems": refused}
    return {"files": files, **read(folder, [f["stored"] for f in files], names, previous)}


def read(folder: Path, stored: list[str], names: dict[str, str], previous: dict[str, str] | None) -> dict[str, Any]:
    from scheduler.io.read import summarize
    from scheduler.run import read_all_at_once

    try:
        result = read_all_at_once([folder / name for name in stored], [names[name] for name in stored])
        warnings = list(result.warnings) + refusals(result.event)
        if previous is not None:
            warnings += previous_problems(result.event, previous, names)
    except InputError as err:
        ordered = sorted(err.problems, key=lambda p: p.warning)  # errors first, each kind in reading order
        return {"state": "invalid", "problems": [problem_dict(p, names) for p in ordered]}
    warnings.sort(key=lambda p: p.warning)
    state = "invalid" if any(not p.warning for p in warnings) else "uploaded"
    return {"state": state, "title": result.event.settings.name, "summary": summarize(result),
            "problems": [problem_dict(p, names) for p in warnings]}


def refusals(event: Any) -> list[Problem]:
    """What the solve would refuse before its search (``scheduler validate``'s
    checks), so that a run the page lets start does start. The event was read
    with the uploaded file names, so the rows they name are the organizer's."""
    from scheduler.engine.solve import preflight

    return [Problem(reason) for reason in preflight(event)]


def previous_problems(event: Any, previous: dict[str, str], names: dict[str, str]) -> list[Problem]:
    """Read the previous schedule as the re-solve will; its warnings (rows that no longer fit)."""
    from scheduler.io.previous_read import read_people, renamed
    from scheduler.io.schedule_read import read_schedule
    from scheduler.problems import Problems

    path = Path(previous["path"])
    names[path.name] = previous["original"]
    found = Problems()
    read_schedule(path, event, lenient=True, problems=found)
    # An attendee ID now naming someone else would hand one person's meetings to another: stop here.
    return [*renamed(event, read_people(path), path.name), *found.items]


def read_for_solve(paths: list[str], names: list[str] | None = None) -> Any:
    """The Event of a run's inputs (already checked), for the solve thread;
    ``names``: the files as uploaded, so reasons that cite rows name them."""
    from scheduler.io.read import read_event

    return read_event(paths, names).event
