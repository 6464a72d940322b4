"""The output folder, written whole or not at all.

Everything a run produces is first written into a staging folder beside the
output folder (same file system, so moves are renames). Only when the run
succeeds are the files moved in; a failed run leaves the folder as it was.
The move itself is undone if it fails half-way (a file held open by Excel on
Windows cannot be replaced), so the folder never mixes two runs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_output(out_dir: str | Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success its contents replace those in ``out_dir``.

    Files in ``out_dir`` that this run did not produce are left alone; a
    subfolder the run produced (``agendas/``, ``calendars/``) replaces the old
    one whole. On an exception nothing in ``out_dir`` changes and the staging
    folder is removed.
    """
    target = Path(out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.staging-", dir=target.parent))
    try:
        yield staging
        target.mkdir(exist_ok=True)
        _move_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(staging: Path, target: Path) -> None:
    """Move every entry of ``staging`` into ``target``, replacing same-named ones.

    Old entries are first set aside in a backup folder; if any step fails,
    what was done is undone in reverse order and the error is raised.
    """
    backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-", dir=target.parent))
    done: list[tuple[Path, Path]] = []  # (from, to) renames, in order
    try:
        for entry in sorted(staging.iterdir()):
            old = target / entry.name
            if old.exists() or old.is_symlink():
                _rename(old, backup / entry.name, done)
            _rename(entry, old, done)
    except BaseException:
        _undo(done)
        if not any(backup.iterdir()):
            backup.rmdir()
        # else: an old file could not be put back; it stays in the backup folder rather than be lost.
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _undo(done: list[tuple[Path, Path]]) -> None:
    for source, dest in reversed(done):
        try:
            os.replace(dest, source)
        except OSError:
            continue


def _rename(source: Path, dest: Path, done: list[tuple[Path, Path]]) -> None:
    os.replace(source, dest)
    done.append((source, dest))
