"""The working timetable: parties free, tables per slot, home tables, the pause rule."""

from __future__ import annotations

import random
from typing import Any

from support.phase_events import DAY, DAY2, event, people

from scheduler import build as make
from scheduler.engine.instance import build
from scheduler.engine.timetable import Timetable
from scheduler.model import Room, Settings


def timetable(ids: str, asks: list[tuple], **options: Any) -> Timetable:
    return Timetable(build(event(ids, asks, **options), ()))


def request(table: Timetable, a: str, b: str) -> int:
    return table.inst.ends.index((a, b))


def test_a_party_meets_once_per_slot() -> None:
    table = timetable("ABC", [("A", "B"), ("A", "C")])
    table.place(request(table, "a", "b"), 0)
    assert not table.can_place(request(table, "a", "c"), 0)
    assert table.can_place(request(table, "a", "c"), 1)


def test_a_slot_holds_no_more_meetings_than_tables() -> None:
    table = timetable("ABCD", [("A", "B"), ("C", "D")], tables=1)
    table.place(request(table, "a", "b"), 0)
    assert not table.can_place(request(table, "c", "d"), 0)
    assert table.options(request(table, "c", "d")) == [1, 2, 3]


def test_a_host_holds_its_table_all_day_only_once_it_meets_there() -> None:
    # Two tables. Host H meets A at 9:00: H keeps one table the whole day, so
    # at 9:50 one table is left for everyone else.
    table = timetable("HABCDE", [("H", "A"), ("B", "C"), ("D", "E")], hosts="H", tables=2)
    assert table.holders[DAY] == 0
    table.place(request(table, "a", "h"), 0)
    assert table.holders[DAY] == 1
    table.place(request(table, "b", "c"), 2)
    assert not table.can_place(request(table, "d", "e"), 2)
    table.remove(request(table, "a", "h"))
    assert table.holders[DAY] == 0  # no meeting at home: no table held
    assert table.can_place(request(table, "d", "e"), 2)


def test_the_pause_rule_breaks_a_run_of_back_to_back_meetings() -> None:
    settings = Settings(name="T", max_consecutive_meetings=2)
    table = timetable("ABCD", [("A", "B"), ("A", "C"), ("A", "D")], settings=settings)
    table.place(request(table, "a", "b"), 0)
    table.place(request(table, "a", "c"), 1)
    assert not table.can_place(request(table, "a", "d"), 2)  # a third in a row
    assert table.can_place(request(table, "a", "d"), 3)


def test_the_score_counts_placed_requests_only() -> None:
    table = timetable("ABC", [("A", "B", 1), ("A", "C", 3)])
    assert table.score() == 0
    r = request(table, "a", "b")
    table.place(r, 0)
    assert table.score() == table.inst.weight[r]
    table.remove(r)
    assert table.score() == 0


def test_a_snapshot_holds_every_part_of_the_state_and_restores_it() -> None:
    table = timetable("ABCH", [("A", "H"), ("B", "C")], hosts="H", tables=2)
    # Every attribute but the instance is state: a new one must be copied too.
    assert set(vars(table)) - {"inst"} == set(Timetable._STATE)
    table.place(request(table, "a", "h"), 0)
    state = table.snapshot()
    table.remove(request(table, "a", "h"))
    table.place(request(table, "b", "c"), 1)
    table.restore(state)
    assert table.slot_of == {request(table, "a", "h"): 0}
    assert table.holders[DAY] == 1 and table.used == [0, 0, 0, 0]
    table.restore(state)  # a snapshot can be used again
    assert table.snapshot() == state


def test_the_options_of_a_request_are_the_slots_it_can_be_placed_in() -> None:
    # options() checks once what does not depend on the slot; it must agree
    # with can_place slot by slot on timetables where day caps, the pause
    # rule, hosts' tables and scarce tables all bind.
    settings = Settings(name="t", max_meetings_per_day=2, max_consecutive_meetings=1)
    ids = "ABCDEFGH"
    asks = [(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :]]
    long_days = make.event(  # 9:00-12:00: seven slots a day, so both limits bind
        blocks=[make.block(d, "9:00", "12:00") for d in (DAY, DAY2)],
        rooms=[Room("Hall", "Meetings", tables=2)],
        attendees=people(ids, "GH"),
        asks=asks,
        settings=settings,
    )
    for seed in range(20):
        rng = random.Random(seed)
        table = Timetable(build(long_days, ()))
        order = list(range(len(table.inst.ends)))
        rng.shuffle(order)
        for r in order:
            slots = [s for s in table.inst.common(r) if table.can_place(r, s)]
            if slots and rng.random() < 0.7:
                table.place(r, rng.choice(slots))
            for q in range(len(table.inst.ends)):
                assert table.options(q) == [s for s in table.inst.common(q) if table.can_place(q, s)]
