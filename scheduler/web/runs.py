"""Runs kept on disk, the upload checks, and the background solve.

Each run is a folder ``runs_dir/<run-id>/`` holding ``inputs/`` (the uploaded
workbooks), ``previous/schedule.xlsx`` for a re-solve, ``outputs-<n>/`` (what
the last successful solve wrote), ``problems.jsonl`` (one problem a line, so a
page reads only the lines it shows) and ``status.json``. The status file is
the whole truth about a run, written atomically (temporary file + rename)
under a lock, so pages read it without locking, a crash never leaves half a
file, and runs survive a server restart. ``index.json`` in the runs folder
holds the few fields the run list shows, so the list never opens every
status.

States: ``checking`` (read in a child process, see ``work.py``) ->
``uploaded`` (inputs read fine) -> ``running`` -> ``done`` or ``failed``;
``invalid`` when the inputs have errors (fix them and upload again). A run
that was ``running`` when the server stopped is marked failed on the next
start; one that was ``checking`` is checked again.

Each solve writes a new ``outputs-<n>`` folder; the status names the folder
of the last successful solve, so its files stay downloadable while a re-run
goes and after a re-run fails. Only when a solve succeeds does the status
switch to its folder, and the old one is removed: outputs are replaced whole.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import os
import re
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from werkzeug.utils import secure_filename

from scheduler.problems import InputError, Problem

from . import work

log = logging.getLogger(__name__)

RUN_ID = re.compile(r"\d{8}-\d{6}-[0-9a-f]{6}")
STATES = ("checking", "uploaded", "invalid", "running", "done", "failed")

TIME_LIMIT_DEFAULT = 30
TIME_LIMIT_MIN = 5
TIME_LIMIT_MAX = 3600
WORKERS = 2
SEED = 0

# Quotas: the page keeps what organizers upload on their own disk.
MAX_RUNS = 200  # runs kept; delete old ones to make room
MAX_STORED = 2 * 1024**3  # bytes of uploaded workbooks over all runs
CHECKERS = 2  # workbooks read at once (each in its own process)
PAGE_SIZE = 100  # problems per page

PROGRESS_EVERY = 0.5  # seconds between progress writes to status.json
INTERRUPTED = "interrupted by a restart"
INTERNAL = "The solve stopped on an internal error, so nothing was written. The details are in the server log."
INDEXED = ("created", "title", "files", "state", "error", "previous", "stored_bytes")


class QuotaExceeded(Exception):
    """The upload would go over a quota; the message says what to do."""


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
    """Every run under one folder; checks uploads in child processes and solves in threads."""

    def __init__(self, root: Path, limits: work.Limits | None = None):
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self.limits = limits or work.Limits()
        self.check_seconds: float = work.CHECK_SECONDS
        self.check_job = work.check  # what the child process runs (a module-level function)
        self._lock = threading.RLock()  # guards every status and index write (read-modify-write)
        self._stops: dict[str, threading.Event] = {}
        self._checks = ThreadPoolExecutor(max_workers=CHECKERS, thread_name_prefix="check")
        self._live: set[Any] = set()  # reading processes under way
        self._closing = threading.Event()
        self._index = self._load_index()
        self._recover()

    def close(self) -> None:
        """The server is stopping: cut reads short (a restart checks those runs again), queue no more."""
        self._closing.set()
        for process in list(self._live):
            with contextlib.suppress(Exception):
                process.kill()
        self._checks.shutdown(wait=False, cancel_futures=True)

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

    def input_names(self, run_id: str) -> list[str]:
        """The inputs' names as uploaded, in the order of ``inputs``."""
        return [f["original"] for f in self.status(run_id)["files"] if f.get("accepted")]

    def outputs(self, run_id: str, status: dict[str, Any] | None = None) -> Path | None:
        """The folder of the last successful solve, or None."""
        status = status if status is not None else self.status(run_id)
        name = status.get("outputs")
        if name is None and status.get("state") == "done":
            name = "outputs"  # a run kept by an older version
        return self.folder(run_id) / name if name else None

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
            if any(key in INDEXED for key in changes):
                self._index_put(run_id, status)
            return status

    def merge(self, run_id: str, key: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
        """``status[key] = change(status[key])`` under the lock: a read-modify-write of one part."""
        with self._lock:
            return self.update(run_id, **{key: change(dict(self.status(run_id).get(key) or {}))})

    def runs(self) -> list[dict[str, Any]]:
        """Every run as the index has it, most recent first."""
        with self._lock:
            found = [{"id": run_id, **entry} for run_id, entry in self._index.items()]
        return sorted(found, key=lambda r: (r.get("created", ""), r["id"]), reverse=True)

    def problems(self, run_id: str, page: int) -> list[dict[str, Any]]:
        """One page (from 1) of the run's problems, errors first."""
        path = self.folder(run_id) / "problems.jsonl"
        if not path.is_file():
            return []
        start = (max(page, 1) - 1) * PAGE_SIZE
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in itertools.islice(f, start, start + PAGE_SIZE)]

    # ------------------------------------------------------------ the index

    def _load_index(self) -> dict[str, dict[str, Any]]:
        try:
            index = json.loads((self.root / "index.json").read_text(encoding="utf-8"))
            if isinstance(index, dict):
                return {k: v for k, v in index.items() if (self.root / k / "status.json").is_file()}
        except (OSError, ValueError):
            pass
        return self._rebuild_index()

    def _rebuild_index(self) -> dict[str, dict[str, Any]]:
        """From every status (once, when index.json is missing or damaged)."""
        index: dict[str, dict[str, Any]] = {}
        for path in self.root.iterdir():
            if RUN_ID.fullmatch(path.name) and (path / "status.json").is_file():
                with contextlib.suppress(UnknownRun):
                    index[path.name] = index_entry(self.status(path.name))
        write_json(self.root / "index.json", index)
        return index

    def _index_put(self, run_id: str, status: dict[str, Any] | None) -> None:
        with self._lock:
            if status is None:
                self._index.pop(run_id, None)
            else:
                self._index[run_id] = index_entry(status)
            write_json(self.root / "index.json", self._index)

    def _recover(self) -> None:
        """After a restart: solves that were going failed; checks that were going start again."""
        for run in self.runs():
            if run.get("state") == "running":
                self.update(run["id"], state="failed", error=INTERRUPTED, finished=now_text())
                sweep_outputs(self.root / run["id"], self.status(run["id"]).get("outputs"))
            elif run.get("state") == "checking":
                self._checks.submit(self._check, run["id"])

    # ------------------------------------------------------------ upload and check

    def create(self, files: Iterable[tuple[str, IO[bytes]]], previous: dict[str, Any] | None = None) -> str:
        """Store the uploaded files in a new run and queue their check; return its id at once.

        ``previous``: for a re-solve, ``{"label": ..., "original": ..., "stream": ...}``
        or ``{"label": ..., "original": ..., "copy": path}``. Raises QuotaExceeded.
        """
        self._check_quota()
        run_id = new_run_id()
        folder = self.root / run_id
        (folder / "inputs").mkdir(parents=True)
        try:
            uploads = self._store(folder / "inputs", files)
            kept = self._store_previous(folder, previous) if previous else None
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        stored = sum(u.size for u in uploads) + (kept["size"] if kept else 0)
        status: dict[str, Any] = {"state": "checking", "created": now_text(), "title": "",
                                  "files": [{**asdict(u), "accepted": None} for u in uploads],
                                  "previous": kept, "summary": [], "errors": 0, "warnings": 0,
                                  "stored_bytes": stored, "attempt": 0, "outputs": None}
        with self._lock:
            write_json(folder / "status.json", status)
            self._index_put(run_id, status)
        self._checks.submit(self._check, run_id)
        return run_id

    def _check_quota(self) -> None:
        runs = self.runs()
        if len(runs) >= MAX_RUNS:
            raise QuotaExceeded(f"{len(runs)} runs are kept, the most this page keeps ({MAX_RUNS}). "
                                "Delete old runs (the Delete button on a run's page) to make room.")
        if sum(r.get("stored_bytes") or 0 for r in runs) >= MAX_STORED:
            raise QuotaExceeded(f"The runs kept hold {work.size_text(MAX_STORED)} of workbooks, the most this page "
                                "keeps. Delete old runs (the Delete button on a run's page) to make room.")

    def _store(self, inputs: Path, files: Iterable[tuple[str, IO[bytes]]]) -> list[Upload]:
        uploads: list[Upload] = []
        taken: set[str] = set()
        for original, stream in files:
            stored = safe_name(original, taken)
            path = inputs / stored
            with path.open("wb") as out:
                shutil.copyfileobj(stream, out, 1024 * 1024)
            uploads.append(Upload(Path(original.replace("\\", "/")).name, stored, path.stat().st_size))
        return uploads

    def _store_previous(self, folder: Path, previous: dict[str, Any]) -> dict[str, Any]:
        """The previous schedule, copied into the run: later re-runs of its own run cannot change it."""
        target = folder / "previous" / "schedule.xlsx"
        target.parent.mkdir()
        if "copy" in previous:
            shutil.copyfile(previous["copy"], target)
            calendars = Path(previous["copy"]).parent / "calendars"
            if calendars.is_dir():  # their UIDs and sequence numbers carry over into the changed calendars
                shutil.copytree(calendars, target.parent / "calendars", symlinks=True)
        else:
            with target.open("wb") as out:
                shutil.copyfileobj(previous["stream"], out, 1024 * 1024)
        return {"label": previous["label"], "original": previous["original"], "size": target.stat().st_size}

    def _check(self, run_id: str) -> None:
        """Read the run's inputs in a child process and record what was found."""
        try:
            status = self.status(run_id)
            folder = self.folder(run_id)
            previous = status.get("previous")
            prev = {"original": previous["original"], "path": str(folder / "previous" / "schedule.xlsx")} \
                if previous else None
            files = [dict(f) for f in status["files"]]
            try:
                result = work.in_child(self.check_job, str(folder / "inputs"), files, prev, self.limits,
                                       timeout=self.check_seconds, live=self._live)
            except work.ChildFailed as err:
                if self._closing.is_set():
                    return  # still "checking": the next start checks it again
                log.error("reading the workbooks of run %s failed: %s", run_id, err)
                why = unreadable(err, self.check_seconds)
                result = {"state": "invalid", "problems": [work.problem_dict(Problem(why), {})]}
            problems = result.pop("problems")
            write_problems(folder / "problems.jsonl", problems)
            errors = sum(1 for p in problems if not p["warning"])
            self.update(run_id, **result, errors=errors, warnings=len(problems) - errors)
        except UnknownRun:  # deleted meanwhile
            return
        except Exception:  # noqa: BLE001 - a thread of the pool: log it, never lose it
            log.exception("checking run %s failed", run_id)
            with contextlib.suppress(UnknownRun):
                self.update(run_id, state="invalid", errors=1)
                write_problems(self.folder(run_id) / "problems.jsonl",
                               [work.problem_dict(Problem(unreadable(None, 0)), {})])

    def delete(self, run_id: str) -> str | None:
        """Remove a run and its files; why not when it cannot be removed now."""
        with self._lock:
            state = self.status(run_id).get("state")
            if state in ("running", "checking"):
                return "This run is still going; stop it first."
            folder = self.folder(run_id)
            os.replace(folder / "status.json", folder / ".deleted")  # gone for every page from here on
            self._index_put(run_id, None)
        shutil.rmtree(folder, ignore_errors=True)
        return None

    # ------------------------------------------------------------ solve

    def start(self, run_id: str, time_limit: float) -> str | None:
        """Start the solve in a thread; return why not when it cannot start."""
        with self._lock:
            status = self.status(run_id)
            if status["state"] in ("running", "checking"):
                return "This run is already going; wait for it to finish."
            if status["state"] == "invalid":
                return "The workbooks have errors; fix them and upload them again."
            attempt = int(status.get("attempt") or 0) + 1
            self.update(run_id, state="running", time_limit=time_limit, started=now_text(), started_at=time.time(),
                        finished=None, progress=None, lines=[], exit_code=None, reasons=[], error=None,
                        attempt=attempt)
            stop = self._stops[run_id] = threading.Event()
        thread = threading.Thread(target=self._work, args=(run_id, time_limit, attempt, stop),
                                  name=f"solve-{run_id}", daemon=True)  # a stopped server ends the solve
        thread.start()
        return None

    def stop(self, run_id: str) -> bool:
        """Ask a running solve to stop and keep the best schedule found so far."""
        stop = self._stops.get(run_id)
        if stop is None or self.status(run_id)["state"] != "running":
            return False
        stop.set()
        return True

    def _work(self, run_id: str, time_limit: float, attempt: int, stop: threading.Event) -> None:
        from scheduler.engine.solve import SolveError, SolveOptions
        from scheduler.run import run_solve

        progress = ProgressWriter(self, run_id)
        folder = self.folder(run_id)
        out = folder / f"outputs-{attempt}"
        try:
            event = work.in_child(work.read_for_solve, [str(p) for p in self.inputs(run_id)],
                                  self.input_names(run_id), live=self._live)
            previous = folder / "previous" / "schedule.xlsx"
            options = SolveOptions(time_limit=time_limit, workers=WORKERS, seed=SEED)
            outcome = run_solve(event, options, out, stop=stop, progress=progress, keep_best_on_interrupt=True,
                                previous=str(previous) if previous.is_file() else None)
            if outcome.exit_code == 0:
                self._finish(run_id, "done", progress=progress.latest, lines=outcome.lines + french_line(event),
                             exit_code=0,
                             outputs=out.name, agendas=agenda_choices(event, out / "agendas"),
                             outputs_finished=now_text())
            else:
                self._finish(run_id, "failed", progress=progress.latest, lines=outcome.lines,
                             exit_code=outcome.exit_code)
        except SolveError as err:
            self._finish(run_id, "failed", reasons=[str(r) for r in err.reasons])
        except InputError as err:  # the inputs were read fine at upload; only a changed reader gets here
            self._finish(run_id, "failed", reasons=[p.render() for p in err.problems if not p.warning])
        except Exception:  # noqa: BLE001 - the organizer gets a message; the log gets the traceback
            log.exception("run %s failed", run_id)
            self._finish(run_id, "failed", error=INTERNAL)
        finally:
            self._stops.pop(run_id, None)
            with contextlib.suppress(UnknownRun):
                sweep_outputs(folder, self.status(run_id).get("outputs"))

    def _finish(self, run_id: str, state: str, **changes: Any) -> None:
        self.update(run_id, state=state, finished=now_text(), **changes)


def index_entry(status: dict[str, Any]) -> dict[str, Any]:
    entry = {key: status.get(key) for key in INDEXED}
    entry["files"] = [f["original"] for f in status.get("files", [])]
    entry["previous"] = (status.get("previous") or {}).get("label")
    return entry


def sweep_outputs(folder: Path, keep: str | None) -> None:
    """Remove every outputs folder of the run but ``keep`` (and what a write left behind)."""
    for path in folder.iterdir():
        name = path.name.lstrip(".")
        if not name.startswith("outputs") or path.name == keep:
            continue
        if keep and name.startswith(f"{keep}."):  # the store of a linked output folder (io/output.py)
            continue
        if path.is_symlink() or path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)


def write_problems(path: Path, problems: list[dict[str, Any]]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".problems-", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for p in problems:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def unreadable(err: Exception | None, seconds: float) -> str:
    if err is not None and "longer than" in str(err):
        return (f"reading the workbooks took longer than {seconds:g} s, so it was stopped; a workbook may "
                "be damaged: open it in Excel, save it again and upload it again")
    return "the workbooks could not be read because of an internal error; the details are in the server log"

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


def agenda_choices(event: Any, folder: Path) -> list[dict[str, str]]:
    """The per-attendee agenda PDFs, labelled with the attendee's name when it can be told
    from the file name (the documents name them by attendee-ID slug), sorted by label."""
    if not folder.is_dir():
        return []
    labels: dict[str, str] = {}
    try:
        from scheduler.documents.common import file_names, language_of

        for key, stem in file_names(event.attendees).items():
            a = event.attendee[key]
            label = f"{a.name} ({a.organization})" if a.organization else a.name
            labels[f"{stem}.pdf"] = f"{label} [FR]" if language_of(a) == "fr" else label
    except Exception:  # noqa: BLE001 - names are a nicety; file names still work
        log.warning("agenda file names could not be matched to attendees", exc_info=True)
    choices = [{"file": p.name, "label": labels.get(p.name, p.name)} for p in folder.glob("*.pdf")]
    return sorted(choices, key=lambda c: (c["label"].casefold(), c["file"]))


def french_line(event: Any, shown: int = 25) -> list[str]:
    """'3 attendees got French agendas and calendars: ...' (none: no line)."""
    from scheduler.documents.common import french_agendas

    names = [a.name for a, _ in french_agendas(event)]
    if not names:
        return []
    more = f" and {len(names) - shown} more (see report.html)" if len(names) > shown else ""
    return [f"{len(names)} attendee{'s' * (len(names) != 1)} got French agendas and calendars: "
            f"{', '.join(names[:shown])}{more}."]


def now_text() -> str:
    # Milliseconds: the run list sorts on it, and two uploads often come within one second.
    return datetime.now().isoformat(timespec="milliseconds")
