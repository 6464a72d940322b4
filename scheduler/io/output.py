"""The output folder, switched from one run to the next in one atomic step.

``outputs/<event>`` is a symbolic link into a hidden store beside it,
``outputs/.<event>.runs/``, which holds one folder per run. A run writes a
staging folder in the store; when everything is written (and flushed) the
staging folder is renamed to a run folder, a new link is made under a
temporary name and renamed over ``outputs/<event>``. That rename is the one
atomic step: a reader (a person, ``scheduler send``, the web page) sees
either the old run's folder or the new one, never a mix, whenever the writer
dies. The next run removes whatever a crash left behind (staging folders, run
folders no link points to) and the run folder the link no longer points to.

Each run folder holds only that run's files: the documents a run did not
write are not carried over. Files the organizer put there themselves (any
name a run does not produce, e.g. ``notes.txt`` or the sent-mail log) are
carried into the new folder, so switching loses nothing of theirs.

An ``outputs/<event>`` that is a plain folder (written by an older version,
or made by hand) is moved into the store and replaced by the link; a crash
between those two renames leaves no ``outputs/<event>`` for a moment, and the
next run puts the old folder back before it starts.

``crash_point`` marks each step; the tests replace it to kill the writer
there (see tests/io/test_output.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from scheduler.problems import InputError, Problem

# Everything a run can produce; any other name in the folder is the organizer's and is carried over.
PRODUCED = frozenset({
    "schedule.xlsx", "changes.xlsx", "agendas.pdf", "agendas-changed.pdf", "agendas", "calendars",
    "calendars-changed", "tables.pdf", "rooms.pdf", "report.html", "mailing.csv",
    "calendar-history.json",
})


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()  # read once, at import: os.umask cannot be read without setting it


def crash_point(step: str) -> None:
    """Called between the steps of a switch; does nothing (the crash tests replace it)."""


def store_of(target: Path) -> Path:
    return target.parent / f".{target.name}.runs"


def refuse_enclosing(target: Path) -> None:
    """An output folder is replaced as a whole, by a folder written beside it:
    it cannot be the current folder or one holding it (``-o .``, ``-o ..``)."""
    folder, here = target.absolute(), Path.cwd()
    with contextlib.suppress(OSError):
        folder, here = target.resolve(), here.resolve()
    if folder == here or folder in here.parents or folder.parent == folder:
        raise InputError([Problem(f"the output folder {target} is the current folder or holds it, and an output "
                                  "folder is replaced as a whole; choose a new folder with -o, such as "
                                  "outputs/my-event")])


@contextmanager
def staged_output(out_dir: str | Path, carry: Iterable[str] = ()) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it becomes ``out_dir`` in one rename.

    ``carry``: names the run did not write but that belong with its files
    (``scheduler agendas`` keeps the hand-edited schedule.xlsx beside the
    documents made from it). On an exception ``out_dir`` is untouched and the
    staging folder is removed.
    """
    target = Path(out_dir)
    refuse_enclosing(target)
    store = store_of(target)
    store.mkdir(parents=True, exist_ok=True)
    with _locked(store):
        recover(target)
        staging = Path(tempfile.mkdtemp(prefix="staging-", dir=store))
        staging.chmod(0o777 & ~_UMASK)  # mkdtemp makes it private; the outputs are shared like any folder
        try:
            crash_point("staging made")
            yield staging
            crash_point("files written")
            _carry_over(target, staging, set(carry))
            crash_point("carried over")
            _flush(staging)
            final = store / f"run-{time.strftime('%Y%m%d-%H%M%S')}-{staging.name.removeprefix('staging-')}"
            os.rename(staging, final)
            crash_point("run folder named")
            _switch(target, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        crash_point("switched")
        recover(target)


def current(out_dir: str | Path) -> Path | None:
    """The folder ``out_dir`` shows now (a run folder, or a plain folder), or None."""
    target = Path(out_dir)
    return target.resolve() if target.is_dir() else None


def recover(target: Path) -> None:
    """Put the store in order after a crash: the old plain folder back if the
    switch stopped half-way, and every folder the link does not show removed."""
    for old in target.parent.glob(f".{target.name}.staging-*"):  # left by versions before the store
        shutil.rmtree(old, ignore_errors=True)
    store = store_of(target)
    if not store.is_dir():
        return
    legacy = sorted(store.glob("legacy-*"))
    if legacy and not (target.exists() or target.is_symlink()):
        os.rename(legacy[-1], target)  # the crash came between moving it away and linking
        legacy.pop()
    shown = target.resolve() if target.is_symlink() else None
    for entry in store.iterdir():
        if entry.name == ".lock" or (shown is not None and entry.resolve() == shown):
            continue
        if shown is None and entry.name.startswith("legacy-"):
            continue  # a plain folder stands there again: keep the moved one rather than risk it
        if entry.is_symlink() or entry.is_file():
            entry.unlink()
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _switch(target: Path, final: Path) -> None:
    store = final.parent
    link = store / f"link-{final.name}"
    os.symlink(os.path.relpath(final, target.parent), link, target_is_directory=True)
    crash_point("link made")
    if target.exists() and not target.is_symlink():
        os.rename(target, store / f"legacy-{time.time_ns()}")  # a plain folder: cannot be replaced atomically
        crash_point("plain folder moved")
    os.replace(link, target)  # the atomic step


def _carry_over(target: Path, staging: Path, carry: set[str]) -> None:
    """Hard-link (or copy) the organizer's own files from the folder shown now."""
    old = current(target)
    if old is None:
        return
    for entry in old.iterdir():
        keep = entry.name in carry or entry.name not in PRODUCED
        if not keep or (staging / entry.name).exists():
            continue
        if entry.is_dir():
            shutil.copytree(entry, staging / entry.name, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, staging / entry.name)


def _link_or_copy(source: str | Path, dest: str | Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def _flush(folder: Path) -> None:
    """Make the files durable before the rename that publishes them (a power cut
    after the rename must not leave empty files behind a valid link)."""
    for path in folder.rglob("*"):
        if path.is_file():
            with contextlib.suppress(OSError), path.open("rb") as f:
                os.fsync(f.fileno())


@contextmanager
def _locked(store: Path) -> Iterator[None]:
    """One writer per output folder at a time (the cleanup would remove another's staging)."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one writer is assumed
        yield
        return
    with (store / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
