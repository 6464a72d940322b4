"""Tiny events for the planning tests, small enough to know every answer.

Six attendees of six organizations; A, B and C each ask D, E and F (nine High
requests). One meeting block, 9:00-10:15: three 20-minute slots with a
5-minute buffer, two 30-minute ones. With T tables and S slots the best
schedule meets min(9, T x S) requests, 4 points each.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from support.workbooks import write_book

from scheduler import build
from scheduler.model import Attendee, Room

DAY = date(2017, 6, 5)
LEFT, RIGHT = "ABC", "DEF"


@pytest.fixture
def tiny():
    people = [Attendee(id=x, name=f"Person {x}", organization=f"Org {x}") for x in LEFT + RIGHT]
    return build.event(
        blocks=[build.block(DAY, "9:00", "10:15")],
        rooms=[Room("Hall", "Meetings", tables=3)],
        attendees=people,
        asks=[(a, b, 1) for a in LEFT for b in RIGHT],
    )


@pytest.fixture
def tiny_book(tmp_path: Path) -> Path:
    """The same event as a contract workbook."""
    book = {
        "Event": [
            ["Setting", "Value"],
            ["Name", "Tiny Expo"],
            ["Meeting minutes", 20],
            ["Buffer minutes", 5],
        ],
        "Schedule": [["Date", "Start", "End", "Activity"], [DAY, time(9), time(10, 15), "Meetings"]],
        "Rooms": [["Room", "Use", "Capacity", "Tables"], ["Hall", "Meetings", None, 3]],
        "Attendees": [["Attendee", "Name", "Organization"]]
        + [[x, f"Person {x}", f"Org {x}"] for x in LEFT + RIGHT],
        "Requests": [["From", "To", "Priority"]] + [[a, b, "High"] for a in LEFT for b in RIGHT],
    }
    return write_book(tmp_path / "tiny.xlsx", book)
