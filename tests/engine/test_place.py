"""The greedy construction: priorities first, comfort next, room by ejection."""

from __future__ import annotations

import threading

from support.phase_events import DAY, DAY2, event

from scheduler import build
from scheduler.engine.instance import build as build_instance
from scheduler.engine.place import construct, eject_and_place, fill, place_one
from scheduler.engine.timetable import Timetable
from scheduler.model import Unavailability


def test_with_one_free_slot_the_high_request_gets_it() -> None:
    # A is there only at 9:00; B (High) and C (Low) both want A.
    away = Unavailability("a", build.at(DAY, "9:25"), build.at(DAY, "10:40"))
    inst = build_instance(event("ABC", [("A", "C", 3), ("A", "B", 1)], unavailable=[away]), ())
    table = Timetable(inst)
    construct(inst, table, share=[0.0] * len(inst.ends))
    assert [inst.ends[r] for r in table.slot_of] == [("a", "b")]


def test_everything_fits_when_there_is_room() -> None:
    inst = build_instance(event("ABCD", [("A", "B"), ("A", "C"), ("B", "D"), ("C", "D")]), ())
    table = Timetable(inst)
    construct(inst, table, share=[0.0] * len(inst.ends))
    assert len(table.slot_of) == 4


def test_a_meeting_goes_next_to_the_party_s_other_meeting() -> None:
    inst = build_instance(event("ABC", [("A", "B"), ("A", "C")]), ())
    table = Timetable(inst)
    table.place(inst.ends.index(("a", "b")), 2)
    assert place_one(table, inst.ends.index(("a", "c")))
    assert table.slot_of[inst.ends.index(("a", "c"))] in (1, 3)


def test_ejection_moves_a_meeting_to_make_room() -> None:
    # C is free only at 9:00, where A already meets B; A-B can move.
    away = Unavailability("c", build.at(DAY, "9:25"), build.at(DAY, "10:40"))
    inst = build_instance(event("ABC", [("A", "B"), ("A", "C")], unavailable=[away]), ())
    table = Timetable(inst)
    ab, ac = inst.ends.index(("a", "b")), inst.ends.index(("a", "c"))
    table.place(ab, 0)
    assert not place_one(table, ac)
    assert eject_and_place(table, ac)
    assert table.slot_of[ac] == 0 and table.slot_of[ab] != 0


def test_a_host_fills_the_day_it_holds_a_table_before_taking_another() -> None:
    # Host A meets B on day 2 (its table is held that day); C meets D on day 1.
    # A-C is as comfortable on either day for the two of them together, but
    # on day 1 it would make A hold a second table for the whole day.
    inst = build_instance(
        event("ABCD", [("A", "B"), ("A", "C"), ("C", "D")], hosts="A", days=(DAY, DAY2)), ()
    )
    table = Timetable(inst)
    table.place(inst.ends.index(("a", "b")), 5)
    table.place(inst.ends.index(("c", "d")), 1)
    ac = inst.ends.index(("a", "c"))
    assert place_one(table, ac)
    assert inst.day_of[table.slot_of[ac]] == DAY2
    assert table.holders[DAY] == 0


def _one_table_host_event():
    # One table, four slots. Host H asks A and B (Low); C-D and E-F (High)
    # need the same table. Reserving H's table for the day costs the two
    # heavier meetings: the pass without that reservation is the better one.
    asks = [("H", "A", 3), ("H", "B", 3), ("C", "D", 1), ("E", "F", 1)]
    return build_instance(event("HABCDEF", asks, hosts="H", tables=1), ())


def _constructed(reserve_at: tuple[float, ...]) -> Timetable:
    inst = _one_table_host_event()
    table = Timetable(inst)
    construct(inst, table, share=[0.0] * len(inst.ends), homes={("h", DAY): 0.5}, reserve_at=reserve_at)
    return table


def test_each_pass_reserves_the_hosts_the_lp_gives_at_least_its_value() -> None:
    reserving, not_reserving = _constructed((0.4,)), _constructed((0.6,))
    assert {r for r in reserving.slot_of} == {r for r in range(2)}  # H-A and H-B at H's table
    assert not_reserving.score() > reserving.score()


def test_construction_keeps_the_best_of_its_passes_whatever_their_order() -> None:
    best = _constructed((0.6,))
    for reserve_at in [(0.4, 0.6), (0.6, 0.4)]:
        table = _constructed(reserve_at)
        assert table.score() == best.score()
        assert table.slot_of == best.slot_of
        assert table.at_home == best.at_home and table.holders == best.holders and table.used == best.used


def test_ctrl_c_ends_the_construction_after_the_pass_it_is_in() -> None:
    inst = _one_table_host_event()
    table = Timetable(inst)
    stop = threading.Event()
    stop.set()
    construct(inst, table, [0.0] * len(inst.ends), homes={("h", DAY): 0.5}, reserve_at=(0.4, 0.6), stop=stop)
    # Only the first pass ran: it reserves H's table, which the second would not.
    assert table.slot_of == _constructed((0.4,)).slot_of != _constructed((0.6,)).slot_of


def test_fill_places_what_fits_after_a_step_made_room() -> None:
    # One table, four slots, five requests: the fifth fits once a slot frees.
    inst = build_instance(event("ABCDEFGHJK", [("A", "B"), ("C", "D"), ("E", "F"), ("G", "H"), ("J", "K")],
                                tables=1), ())
    table = Timetable(inst)
    construct(inst, table, share=[0.0] * len(inst.ends))
    assert len(table.slot_of) == 4
    table.remove(next(iter(table.slot_of)))  # a step that moved a meeting off the timetable
    assert fill(table, share=[0.0] * len(inst.ends))
    assert len(table.slot_of) == 4


def test_the_solve_fills_what_its_search_left_room_for(monkeypatch) -> None:
    from scheduler.engine import repair
    from scheduler.engine.solve import SolveOptions, solve

    def search_that_drops_a_meeting(inst, table, **_):  # the search leaves a slot free and ends
        table.remove(max(table.slot_of))
        return repair.LnsStats()

    monkeypatch.setattr(repair, "improve", search_that_drops_a_meeting)
    ev = event("ABCDEFGH", [("A", "B"), ("C", "D"), ("E", "F"), ("G", "H")], tables=1)
    schedule = solve(ev, SolveOptions(time_limit=2, workers=1))
    assert len(schedule.meetings) == 4 and not schedule.unscheduled
