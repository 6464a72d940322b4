"""The first-come-first-served peer of the benchmark keeps every rule of the
contract on its own (it shares no engine code), and takes a host's table
only on a day the host meets."""

from __future__ import annotations

from support.phase_events import DAY, DAY2, event
from support.shapes import small_event

from scheduler.engine.baseline import first_come_first_served
from scheduler.engine.solve import SolveOptions, preflight, sessions_for
from scheduler.schedule import SolveStatus
from scheduler.verify import verify


def test_every_fcfs_schedule_keeps_the_rules() -> None:
    # Random small events with hosts, teams, caps, pauses, fixed meetings and
    # sessions; only those the engine accepts (the peer books fixed meetings
    # as given, as the benchmark's valid events allow).
    checked = 0
    for seed in range(16):
        ev = small_event(seed)
        if preflight(ev):
            continue
        schedule = first_come_first_served(ev, sessions_for(ev, SolveOptions(time_limit=2, workers=1)))
        assert verify(ev, schedule, check_lost=False) == [], seed
        assert schedule.figures.status == SolveStatus.FCFS
        checked += 1
    assert checked >= 8


def test_a_host_holds_a_table_only_on_the_day_it_meets() -> None:
    # Host A is asked by B only; B is away on day 1 (no slot there).
    ev = event("AB", [("A", "B")], hosts="A", days=(DAY, DAY2))
    schedule = first_come_first_served(ev, ())
    assert len(schedule.meetings) == 1
    day = ev.slots[schedule.meetings[0].slot].start.date()
    assert [(h, d) for h, d, _, _ in schedule.home_tables] == [("a", day.isoformat())]


def test_requests_are_booked_in_the_order_given_into_the_earliest_free_slot() -> None:
    # One table: A-B (listed first) takes 9:00, A-C then the next slot.
    ev = event("ABC", [("A", "B"), ("A", "C")], tables=1)
    schedule = first_come_first_served(ev, ())
    slot = {m.pair: m.slot for m in schedule.meetings}
    assert slot == {("a", "b"): 0, ("a", "c"): 1}
