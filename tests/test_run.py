"""One solve from input to files: interrupted runs write nothing unless asked."""

from __future__ import annotations

import shutil
import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from scheduler import build
from scheduler.engine.solve import SolveOptions
from scheduler.model import Attendee, Room
from scheduler.problems import InputError
from scheduler.run import default_out, run_solve

DAY = date(2017, 6, 5)


def tiny():
    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}") for x in "ABCD"]
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:10")],
        rooms=[Room("Canadian Room", "Meetings", tables=2)],
        attendees=people,
        asks=[("A", "B"), ("C", "D"), ("A", "C")],
    )


def stopped() -> threading.Event:
    stop = threading.Event()
    stop.set()
    return stop


def test_an_interrupted_run_writes_nothing(tmp_path: Path):
    out = tmp_path / "out"
    outcome = run_solve(tiny(), SolveOptions(time_limit=5, workers=1), out, stop=stopped(), documents=False)
    assert outcome.exit_code == 130
    assert not out.exists()


def test_keep_best_on_interrupt_writes_a_verified_schedule(tmp_path: Path):
    out = tmp_path / "out"
    outcome = run_solve(
        tiny(),
        SolveOptions(time_limit=5, workers=1),
        out,
        stop=stopped(),
        keep_best_on_interrupt=True,
        documents=False,
    )
    assert outcome.exit_code == 0
    assert (out / "schedule.xlsx").exists()
    assert outcome.schedule is not None and len(outcome.schedule.meetings) == 3


# ---------------------------------------------------------------- the output folder before solving


def never_solve(*_args, **_kwargs):
    raise AssertionError("the check must come before any solving")


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc, where nobody can create files")
def test_an_unwritable_parent_is_a_plain_message_before_solving(monkeypatch) -> None:
    import scheduler.run

    monkeypatch.setattr(scheduler.run, "solve", never_solve)
    with pytest.raises(InputError, match="cannot write in /proc "):
        run_solve(tiny(), SolveOptions(time_limit=5, workers=1), Path("/proc/outputs/test-event"))


def test_an_output_folder_that_is_a_file_is_refused(tmp_path: Path, monkeypatch) -> None:
    import scheduler.run

    monkeypatch.setattr(scheduler.run, "solve", never_solve)
    (tmp_path / "out").write_text("not a folder")
    with pytest.raises(InputError, match="is a file"):
        run_solve(tiny(), SolveOptions(time_limit=5, workers=1), tmp_path / "out")


def test_a_full_disk_is_a_plain_message_before_solving(tmp_path: Path, monkeypatch) -> None:
    import scheduler.run

    monkeypatch.setattr(scheduler.run, "solve", never_solve)
    monkeypatch.setattr(scheduler.run.shutil, "disk_usage", lambda _p: shutil._ntuple_diskusage(10**9, 10**9, 1000))
    with pytest.raises(InputError, match=r"only 1 kB free .* 4 attendees need about 5 MB"):
        run_solve(tiny(), SolveOptions(time_limit=5, workers=1), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_write_that_fails_half_way_is_a_plain_message(tmp_path: Path, monkeypatch) -> None:
    import scheduler.run

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "out" / "agendas.pdf"))

    monkeypatch.setattr(scheduler.run, "write_outputs", disk_full)
    outcome = run_solve(tiny(), SolveOptions(time_limit=5, workers=1), tmp_path / "out", documents=False)
    assert outcome.exit_code == 2
    assert "No space left on device" in outcome.lines[0] and "left as it was" in outcome.lines[0]


def test_event_names_in_other_scripts_get_their_own_folders() -> None:
    names = ["Выставка 2024", "展览会 2024", "معرض 2024", "2024"]
    events = [replace(tiny(), settings=replace(tiny().settings, name=n)) for n in names]
    folders = [default_out(e, None).name for e in events]
    assert len(set(folders)) == len(folders), folders
    assert folders[0] == "vystavka-2024"
    assert folders[3] == "event-2024-2017-06-05"  # no letters at all: the dates tell it apart


def test_a_re_solve_without_o_takes_the_next_free_folder(tmp_path: Path) -> None:
    event = tiny()
    root = tmp_path / "outputs"
    (root / "test-event").mkdir(parents=True)
    assert default_out(event, None, root) == root / "test-event"
    assert default_out(event, "x.xlsx", root) == root / "test-event-2"
    (root / "test-event-2").mkdir()
    assert default_out(event, "x.xlsx", root) == root / "test-event-3"
