"""Hand-made events for the document tests (used only under tests/documents).

Tests get the builders through the ``kit`` fixture (pytest's importlib mode
does not let test modules import this file).

``tiny``: two days, one meeting room with 3 tables, one session room, seven
attendees (accented names from Québec, a team of two, one who leaves after
day 1), a plenary, a lunch break, three meetings and one session.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from scheduler import build
from scheduler.model import (
    Attendee,
    Block,
    Event,
    Party,
    Period,
    Request,
    Room,
    Session,
    Settings,
    Slot,
    Track,
    key_of,
)
from scheduler.schedule import Figures, Meeting, Schedule, SessionPlacement, SolveStatus, Unscheduled

DAY1, DAY2 = date(2017, 6, 5), date(2017, 6, 6)


at = build.at
block = build.block


def grid(blocks: list[Block], minutes: int = 20, buffer: int = 5) -> tuple[tuple[Slot, ...], tuple[Period, ...]]:
    """Slots and periods cut from the blocks as the contract describes."""
    return build.cut_slots(blocks, minutes, buffer), build.cut_periods(blocks)


def person(id: str, name: str, org: str, title: str, delegation: str, **kw: object) -> Attendee:
    return Attendee(id=id, name=name, organization=org, title=title, delegation=delegation, **kw)


def parties_for(attendees: list[Attendee]) -> tuple[Party, ...]:
    teams = {a.team: a.team.title() for a in attendees if a.team}
    return build.make_parties(attendees, team_names=teams)


def tiny_blocks() -> list[Block]:
    return [
        block(DAY1, "8:30", "9:30", "Plenary", "Opening plenary"),
        block(DAY1, "9:30", "12:00", "Meetings"),
        block(DAY1, "12:00", "13:00", "Break", "Lunch"),
        block(DAY1, "13:00", "14:30", "Sessions", "Track sessions"),
        block(DAY1, "14:30", "17:00", "Meetings"),
        block(DAY2, "9:00", "12:00", "Meetings"),
        block(DAY2, "12:00", "13:00", "Break", "Lunch — on the terrace"),
    ]


def tiny_attendees() -> list[Attendee]:
    return [
        person("Q01", "Hélène Gagné", "Lévis Innovation", "Directrice générale", "Quebec",
               sectors=("Clean Technology",), languages=("French", "English")),
        person("G01", "John Smith", "Peach Motors", "CEO", "Georgia", sectors=("Automotive",),
               sessions=("s1",)),
        person("Q02", "Émilie Côté", "Montréal Export", "Conseillère", "Quebec", sessions=("s1",)),
        person("N01", "Bob Jones", "Carolina Tech & Co", "Vice President", "North Carolina"),
        person("T01", "Mary Brown", "Volunteer Energy", "Director", "Tennessee", team="tennessee team"),
        person("T02", "Sam Green", "Volunteer Energy", "Engineer", "Tennessee", team="tennessee team"),
        person("Q03", "François Lévesque", "Québec Métal", "Président", "Quebec",
               departs=at(DAY1, "23:59")),
    ]


def make_event(attendees: list[Attendee], blocks: list[Block], requests: list[Request],
               paper_size: str = "Letter") -> Event:
    slots, periods = grid(blocks)
    return Event(
        settings=Settings(name="SEUS-CP 2017", venue="Fairmont Royal York", paper_size=paper_size),
        blocks=tuple(blocks),
        slots=slots,
        periods=periods,
        rooms=(Room("Ballroom", "Meetings", tables=3), Room("Salon Québec", "Sessions", capacity=80)),
        tracks=(Track("Automotive", "Automotive"),),
        sessions=(Session("S1", "Electric vehicles in the Southeast", track="automotive", speakers=("g01",)),),
        attendees=tuple(attendees),
        parties=parties_for(attendees),
        requests=tuple(requests),
    )


def tiny_requests() -> list[Request]:
    return [
        Request("g01", "q01", 1, mutual=True, note="Battery supply chain", asked_by=("q01", "g01")),
        Request("q02", "team:tennessee team", 2, note="Hydro exports", asked_by=("q02",)),
        Request("g01", "n01", 3, asked_by=("n01",)),
        Request("n01", "q01", 2, asked_by=("q01",)),
    ]


def tiny_schedule(event: Event) -> Schedule:
    day2_first = next(s.index for s in event.slots if s.day == DAY2)
    return Schedule(
        meetings=(
            Meeting("g01", "q01", 0, "Ballroom", 1),
            Meeting("q02", "team:tennessee team", 1, "Ballroom", 2),
            Meeting("g01", "n01", day2_first, "Ballroom", 3),
        ),
        sessions=(SessionPlacement("s1", 0, "Salon Québec"),),
        unscheduled=(Unscheduled("n01", "q01", "no common free time"),),
        figures=Figures(score=9.0, bound=11.0, objective=9.2, status=SolveStatus.FEASIBLE, solve_seconds=1.5),
    )


@pytest.fixture
def tiny() -> tuple[Event, Schedule]:
    event = make_event(tiny_attendees(), tiny_blocks(), tiny_requests())
    return event, tiny_schedule(event)


def long_instance(meetings: int = 40) -> tuple[Event, Schedule]:
    """Hélène meets ``meetings`` different people over three long days."""
    days = [DAY1, DAY2, DAY2 + timedelta(days=1)]
    blocks = [block(d, "8:00", "18:00", "Meetings") for d in days]
    blocks.insert(1, block(DAY1, "18:00", "19:00", "Plenary", "Reception"))
    slots, _ = grid(blocks)
    assert len(slots) >= meetings
    others = [person(f"X{i:02d}", f"Guest Number {i}", f"Company {i}", "Buyer", "Ontario",
                     sectors=("ICT",)) for i in range(meetings)]
    attendees = tiny_attendees() + others
    requests = [Request("q01", key_of(o.id), 2, note=f"Topic {i}") for i, o in enumerate(others)]
    event = make_event(attendees, blocks, requests)
    schedule = Schedule(meetings=tuple(Meeting("q01", key_of(o.id), i, "Ballroom", 1 + i % 3)
                                       for i, o in enumerate(others)))
    return event, schedule


@pytest.fixture
def long_agenda() -> tuple[Event, Schedule]:
    return long_instance()


@pytest.fixture
def kit() -> SimpleNamespace:
    """The builders above, for tests that assemble their own event."""
    return SimpleNamespace(DAY1=DAY1, DAY2=DAY2, at=at, block=block, person=person, make_event=make_event,
                           tiny_attendees=tiny_attendees, tiny_blocks=tiny_blocks, tiny_requests=tiny_requests,
                           tiny_schedule=tiny_schedule)
