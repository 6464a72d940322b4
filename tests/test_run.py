"""One solve from input to files: interrupted runs write nothing unless asked."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from scheduler import build
from scheduler.engine.solve import SolveOptions
from scheduler.model import Attendee, Room
from scheduler.run import run_solve

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
