"""Write the small instances kept under tests/engine/instances with their exact optima.

    PYTHONPATH=tests .venv/bin/python -m support.make_instances

Each is a random shape (tests/support/shapes.py) written as a contract workbook;
optima.json maps file name -> the exact optimum (tests/support/exact.py) for the
session placement the engine chooses (one session, one room, one period: unique).
"""

from __future__ import annotations

import json
from pathlib import Path

from scheduler.engine.solve import SolveError, SolveOptions, sessions_for, solve
from scheduler.io.read import read_event

from .event_book import event_book
from .exact import optimum
from .shapes import small_event
from .workbooks import write_book

HERE = Path(__file__).resolve().parents[1] / "engine" / "instances"
CHOSEN = {"hosts-none": 0.0, "hosts-10": 0.1, "hosts-25": 0.25, "hosts-40": 0.4, "hosts-all": 1.0}


def main() -> None:
    optima = {}
    for k, (name, hosts) in enumerate(CHOSEN.items()):
        for seed in range(100 * k, 100 * k + 100):  # the first seed whose fixed meetings can all be held
            path = write_book(HERE / f"{name}.xlsx", event_book(small_event(seed, attendees=9, hosts=hosts)))
            event = read_event([path]).event
            try:
                placements = sessions_for(event, SolveOptions(time_limit=2))
                solve(event, SolveOptions(time_limit=1), placements=placements)
            except SolveError:
                continue
            value = optimum(event, placements, seconds=120)
            if value:
                break
        optima[path.name] = value
        print(name, seed, value)
    (HERE / "optima.json").write_text(json.dumps(optima, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
