"""Runs kept on disk, the upload checks, and the background solve.

Each run is a folder ``runs_dir/<run-id>/`` holding ``inputs/`` (the uploaded
workbooks), ``outputs/`` (what the solve wrote) and ``status.json``. The
status file is the whole truth about a run, written atomically (temporary
file + rename) under a lock, so pages read it without locking, a crash never
leaves half a file, and runs survive a server restart. A run that was
``running`` when the server stopped is marked failed on the next start.

States: ``uploaded`` (inputs read fine) -> ``running`` -> ``done`` or
``failed``; ``invalid`` when the inputs have errors (fix them and upload
again).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from werkzeug.utils import secure_filename

from scheduler.io.problems import InputError, Problem

log = logging.getLogger(__name__)

RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
STATES = ("uploaded", "invalid", "running", "done", "failed")

TIME_LIMIT_DEFAULT = 30
TIME_LIMIT_MIN = 5
TIME_LIMIT_MAX = 3600
WORKERS = 2
SEED = 0

# Zip-bomb guards, checked before openpyxl opens anything. Sheet XML of real
# workbooks compresses 5-50x (a sheet of formatted blank rows up to ~150x);
# a zero-filled bomb compresses ~1000x. Small entries may compress as they like.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
RATIO_FROM = 1024 * 1024
MAX_ENTRIES = 10_000

PROGRESS_EVERY = 0.5  # seconds between progress writes to status.json
INTERRUPTED = "interrupted by a restart"
INTERNAL = "The solve stopped on an internal error, so nothing was written. The details are in the server log."


class UnknownRun(LookupError):
    """No run with that id (or not a valid run id at all)."""


@dataclass(frozen=True)
class Upload:
    original: str  # the name the organizer's computer gave
    stored: str  # the safe name under inputs/
    size: int


def new_run_id() -> str:
    """Timestamp (sorts by time) + 6 random hex digits (two uploads in one second never clash)."""
    return f"{datetime.now():%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def safe_name(original: str, taken: set[str]) -> str:
    """A safe .xlsx file name for ``original``, unique among ``taken``.

    secure_filename drops non-ASCII letters (a Chinese file name may vanish
    entirely), so an empty stem becomes ``workbook``.
    """
    stem = secure_filename(Path(original.replace("\\", "/")).stem)[:80] or "workbook"
    name, n = f"{stem}.xlsx", 1
    while name.casefold() in taken:
        n += 1
        name = f"{stem}-{n}.xlsx"
    taken.add(name.casefold())
    return name


def upload_problem(original: str, path: Path) -> str | None:
    """Why an uploaded file is refused before any workbook reader sees it, or None."""
    if not original.casefold().endswith(".xlsx"):
        suffix = Path(original).suffix or "no extension"
        return f"only .xlsx workbooks are accepted (this file has {suffix}); save it in Excel as Excel Workbook (.xlsx)"
    if path.stat().st_size == 0:
        return "the file is empty (0 bytes), not an .xlsx workbook"
    if not zipfile.is_zipfile(path):
        from scheduler.io.read import not_xlsx_reason

        return not_xlsx_reason(path)
    try:
        return zip_problem(path)
    except Exception:  # a damaged zip raises anything from zlib.error to RuntimeError (encrypted part)
        return "is a damaged .xlsx workbook (the zip cannot be read); open it in Excel and save it again"


def zip_problem(path: Path) -> str | None:
    """Check the zip's table of contents, then unpack it to nowhere, counting bytes.

    The declared sizes could lie, so the real bytes are counted too; reading
    every entry also finds damaged ones (bad checksums) early.
    """
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if "[Content_Types].xml" not in {i.filename for i in infos}:
            return "is a zip file but not an Excel workbook (no [Content_Types].xml); save it as Excel Workbook (.xlsx)"
        if len(infos) > MAX_ENTRIES:
            return f"holds {len(infos):,} parts, more than a workbook ever has ({MAX_ENTRIES:,}); refused as unsafe"
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNCOMPRESSED:
            return too_big(declared)
        for info in infos:
            if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                ratio = info.file_size // max(info.compress_size, 1)
                return f"is compressed {ratio:,} times ({info.filename}), far more than any workbook; refused as unsafe"
        total = 0
        for info in infos:
            with archive.open(info) as part:
                while chunk := part.read(1024 * 1024):
                    total += len(chunk)
                    if total > MAX_UNCOMPRESSED:
                        return too_big(total)
    return None


def too_big(size: int) -> str:
    return (f"unpacks to more than {size_text(size)}, over the {size_text(MAX_UNCOMPRESSED)} limit "
            "(a zip bomb?); refused as unsafe")


def size_text(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size / 1024:,.0f} KB"


def parse_time_limit(text: str | None) -> float:
    """Seconds from the form field; ValueError with a plain message when out of bounds."""
    try:
        value = float(text) if text not in (None, "") else float(TIME_LIMIT_DEFAULT)
    except ValueError:
        raise ValueError(f"The time limit must be a number of seconds (found: {text})") from None
    if not TIME_LIMIT_MIN <= value <= TIME_LIMIT_MAX:  # also refuses nan
        raise ValueError(f"The time limit must be between {TIME_LIMIT_MIN} and {TIME_LIMIT_MAX} seconds "
                         f"(found: {text})")
    return value


def problem_dict(problem: Problem, names: dict[str, str]) -> dict[str, Any]:
    """A problem for status.json, its file named as on the organizer's computer."""
    if problem.file:
        parts = [names.get(part, part) for part in problem.file.split(", ")]
        problem = replace(problem, file=", ".join(parts))
    return {**asdict(problem), "text": problem.render()}


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write whole or not at all: a reader never sees half a file."""
    fd, tmp = tempfile.mkstemp(prefix=".status-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


class RunStore:
    """Every run under one folder; starts solves in background threads."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()  # guards every status write (read-modify-write)
        self._stops: dict[str, threading.Event] = {}
        self._mark_interrupted()

    # ------------------------------------------------------------ folders and status

    def folder(self, run_id: str) -> Path:
        if not RUN_ID.fullmatch(run_id or ""):
            raise UnknownRun(run_id)
        path = self.root / run_id
        if not (path / "status.json").is_file():
            raise UnknownRun(run_id)
        return path

    def inputs(self, run_id: str) -> list[Path]:
        return [self.folder(run_id) / "inputs" / f["stored"] for f in self.status(run_id)["files"]
                if f.get("accepted")]

    def outputs(self, run_id: str) -> Path:
        return self.folder(run_id) / "outputs"

    def status(self, run_id: str) -> dict[str, Any]:
        path = self.folder(run_id) / "status.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            log.error("unreadable status of run %s: %s", run_id, err)
            raise UnknownRun(run_id) from None

    def update(self, run_id: str, **changes: Any) -> dict[str, Any]:
        with self._lock:
            status = self.status(run_id)
            status.update(changes)
            write_json(self.folder(run_id) / "status.json", status)
            return status

    def runs(self) -> list[dict[str, Any]]:
        """Every readable run, most recent first."""
        found = []
        for path in self.root.iterdir():
            if RUN_ID.fullmatch(path.name) and (path / "status.json").is_file():
                with contextlib.suppress(UnknownRun):
                    found.append({"id": path.name, **self.status(path.name)})
        return sorted(found, key=lambda r: (r.get("created", ""), r["id"]), reverse=True)

    def _mark_interrupted(self) -> None:
        for run in self.runs():
            if run.get("state") == "running":
                self.update(run["id"], state="failed", error=INTERRUPTED, finished=now_text())

    # ------------------------------------------------------------ upload and check

    def create(self, files: Iterable[tuple[str, IO[bytes]]]) -> str:
        """Store the uploaded files in a new run, check them, and return its id.

        status.json is written last, once the check is over: until then the
        run is invisible, so no page ever shows it half-checked.
        """
        run_id = new_run_id()
        folder = self.root / run_id
        (folder / "inputs").mkdir(parents=True)
        status: dict[str, Any] = {"state": "uploaded", "created": now_text(), "files": [], "problems": [],
                                  "summary": [], "warnings": []}
        uploads, refused = self._store(folder / "inputs", files)
        status["files"] = [{**asdict(u), "accepted": u not in refused} for u in uploads]
        if refused:
            problems = [problem_dict(Problem(reason, file=u.original), {}) for u, reason in refused.items()]
            status.update(state="invalid", problems=problems)
        else:
            status.update(check(folder / "inputs", uploads))
        with self._lock:
            write_json(folder / "status.json", status)
        return run_id

    def _store(self, inputs: Path, files: Iterable[tuple[str, IO[bytes]]]) -> tuple[list[Upload], dict[Upload, str]]:
        uploads: list[Upload] = []
        refused: dict[Upload, str] = {}
        taken: set[str] = set()
        for original, stream in files:
            stored = safe_name(original, taken)
            path = inputs / stored
            with path.open("wb") as out:
                shutil.copyfileobj(stream, out, 1024 * 1024)
            upload = Upload(Path(original.replace("\\", "/")).name, stored, path.stat().st_size)
            uploads.append(upload)
            reason = upload_problem(upload.original, path)
            if reason:
                refused[upload] = reason
                path.unlink()  # a refused file is never opened again
        return uploads, refused

    # ------------------------------------------------------------ solve

    def start(self, run_id: str, time_limit: float) -> str | None:
        """Start the solve in a thread; return why not when it cannot start."""
        with self._lock:
            status = self.status(run_id)
            if status["state"] == "running":
                return "This run is already going; wait for it to finish."
            if status["state"] == "invalid":
                return "The workbooks have errors; fix them and upload them again."
            status.update(state="running", time_limit=time_limit, started=now_text(), started_at=time.time(),
                          finished=None, progress=None, lines=[], exit_code=None, reasons=[], error=None,
                          agendas=[])
            write_json(self.folder(run_id) / "status.json", status)
            stop = self._stops[run_id] = threading.Event()
        thread = threading.Thread(target=self._work, args=(run_id, time_limit, stop), name=f"solve-{run_id}",
                                  daemon=True)  # a stopped server ends the solve; the restart marks it failed
        thread.start()
        return None

    def stop(self, run_id: str) -> bool:
        """Ask a running solve to stop and keep the best schedule found so far."""
        stop = self._stops.get(run_id)
        if stop is None or self.status(run_id)["state"] != "running":
            return False
        stop.set()
        return True

    def _work(self, run_id: str, time_limit: float, stop: threading.Event) -> None:
        from scheduler.engine.solve import SolveError, SolveOptions
        from scheduler.io.read import read_event
        from scheduler.run import run_solve

        progress = ProgressWriter(self, run_id)
        try:
            event = read_event(self.inputs(run_id)).event
            options = SolveOptions(time_limit=time_limit, workers=WORKERS, seed=SEED)
            outcome = run_solve(event, options, self.outputs(run_id), stop=stop, progress=progress,
                                keep_best_on_interrupt=True)
            state = "done" if outcome.exit_code == 0 else "failed"
            self._finish(run_id, state, progress=progress.latest, lines=outcome.lines, exit_code=outcome.exit_code,
                         agendas=agenda_choices(event, self.outputs(run_id) / "agendas"))
        except SolveError as err:
            self._finish(run_id, "failed", reasons=[str(r) for r in err.reasons])
        except InputError as err:  # the inputs were read fine at upload; only a changed reader gets here
            self._finish(run_id, "failed", reasons=[p.render() for p in err.problems if not p.warning])
        except Exception:  # noqa: BLE001 - the organizer gets a message; the log gets the traceback
            log.exception("run %s failed", run_id)
            self._finish(run_id, "failed", error=INTERNAL)
        finally:
            self._stops.pop(run_id, None)

    def _finish(self, run_id: str, state: str, **changes: Any) -> None:
        self.update(run_id, state=state, finished=now_text(), **changes)



class ProgressWriter:
    """The engine's progress callback: writes to status.json at most every PROGRESS_EVERY
    seconds and at every new phase (the engine may report many times a second);
    ``latest`` keeps the last report, written with the result."""

    def __init__(self, store: RunStore, run_id: str):
        self.store = store
        self.run_id = run_id
        self.latest: dict[str, Any] | None = None
        self.written_at = 0.0

    def __call__(self, p: Any) -> None:
        new_phase = self.latest is None or p.phase != self.latest["phase"]
        self.latest = {"phase": p.phase, "placed": p.placed, "score": p.score, "bound": p.bound, "gap": p.gap,
                       "elapsed": p.elapsed}
        moment = time.monotonic()
        if new_phase or moment - self.written_at >= PROGRESS_EVERY:
            self.written_at = moment
            self.store.update(self.run_id, progress=self.latest)


def check(inputs: Path, uploads: list[Upload]) -> dict[str, Any]:
    """Read the stored workbooks: the status changes saying what was read, or every problem."""
    from scheduler.io.read import read_event, summarize

    names = {u.stored: u.original for u in uploads}
    try:
        result = read_event([inputs / u.stored for u in uploads])
    except InputError as err:
        ordered = sorted(err.problems, key=lambda p: p.warning)  # errors first, each kind in reading order
        return {"state": "invalid", "problems": [problem_dict(p, names) for p in ordered]}
    except Exception:  # the organizer gets a message; the log gets the traceback
        log.exception("reading %s failed", ", ".join(names))
        message = "the workbooks could not be read because of an internal error; the details are in the server log"
        return {"state": "invalid", "problems": [problem_dict(Problem(message), names)]}
    return {"state": "uploaded", "title": result.event.settings.name, "summary": summarize(result),
            "warnings": [problem_dict(p, names) for p in result.warnings]}


def agenda_choices(event: Any, folder: Path) -> list[dict[str, str]]:
    """The per-attendee agenda PDFs, labelled with the attendee's name when it can be told
    from the file name (the documents name them by attendee-ID slug), sorted by label."""
    if not folder.is_dir():
        return []
    labels: dict[str, str] = {}
    try:
        from scheduler.documents.common import file_names

        for key, stem in file_names(event.attendees).items():
            a = event.attendee[key]
            labels[f"{stem}.pdf"] = f"{a.name} ({a.organization})" if a.organization else a.name
    except Exception:  # noqa: BLE001 - names are a nicety; file names still work
        log.warning("agenda file names could not be matched to attendees", exc_info=True)
    choices = [{"file": p.name, "label": labels.get(p.name, p.name)} for p in folder.glob("*.pdf")]
    return sorted(choices, key=lambda c: (c["label"].casefold(), c["file"]))


def now_text() -> str:
    # Milliseconds: the run list sorts on it, and two uploads often come within one second.
    return datetime.now().isoformat(timespec="milliseconds")
