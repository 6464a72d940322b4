"""The output folder is replaced whole on success and left alone on failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scheduler.io import output
from scheduler.io.output import staged_output


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous_run(tmp_path: Path) -> Path:
    out = tmp_path / "seus-cp-2017"
    (out / "agendas").mkdir(parents=True)
    (out / "schedule.xlsx").write_text("old schedule")
    (out / "agendas" / "A001.pdf").write_text("old agenda of a departed attendee")
    (out / "notes.txt").write_text("the organizer's own notes")
    return out


def write_run(staging: Path) -> None:
    (staging / "agendas").mkdir()
    (staging / "agendas" / "A002.pdf").write_text("new agenda")
    (staging / "schedule.xlsx").write_text("new schedule")
    (staging / "agendas.pdf").write_text("new agendas")


def test_success_replaces_produced_files_and_keeps_others(previous_run: Path) -> None:
    with staged_output(previous_run) as staging:
        assert staging.parent == previous_run.parent and staging != previous_run
        write_run(staging)
        assert (previous_run / "schedule.xlsx").read_text() == "old schedule"  # nothing moves before the end
    assert snapshot(previous_run) == {
        "agendas.pdf": "new agendas",
        "agendas/A002.pdf": "new agenda",  # the old agendas/ folder is replaced whole
        "notes.txt": "the organizer's own notes",
        "schedule.xlsx": "new schedule",
    }
    assert sorted(p.name for p in previous_run.parent.iterdir()) == ["seus-cp-2017"]  # no staging left


def test_failure_leaves_the_folder_as_it_was(previous_run: Path) -> None:
    before = snapshot(previous_run)
    with pytest.raises(RuntimeError, match="solver crashed"), staged_output(previous_run) as staging:
        write_run(staging)
        raise RuntimeError("solver crashed")
    assert snapshot(previous_run) == before
    assert sorted(p.name for p in previous_run.parent.iterdir()) == ["seus-cp-2017"]


def test_a_new_output_folder_is_created(tmp_path: Path) -> None:
    out = tmp_path / "outputs" / "new-event"
    with staged_output(out) as staging:
        (staging / "schedule.xlsx").write_text("first")
    assert snapshot(out) == {"schedule.xlsx": "first"}


def test_a_move_that_fails_half_way_is_undone(previous_run: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """E.g. schedule.xlsx held open in Excel on Windows cannot be replaced."""
    before = snapshot(previous_run)
    real_replace = os.replace

    def locked_schedule(source: str | Path, dest: str | Path) -> None:
        if Path(source) == previous_run / "schedule.xlsx":
            raise PermissionError("schedule.xlsx is open in another program")
        real_replace(source, dest)

    monkeypatch.setattr(output.os, "replace", locked_schedule)
    # Entries move in name order, so agendas/ and agendas.pdf are in place before schedule.xlsx fails.
    with pytest.raises(PermissionError), staged_output(previous_run) as staging:
        write_run(staging)
    assert snapshot(previous_run) == before
    assert sorted(p.name for p in previous_run.parent.iterdir()) == ["seus-cp-2017"]
