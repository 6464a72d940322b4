"""The flattened event: free slots, weights, requests never met, tables per slot."""

from __future__ import annotations

from support.phase_events import DAY, event

from scheduler import build
from scheduler.engine.instance import SCALE
from scheduler.engine.instance import build as build_instance
from scheduler.model import Settings, Unavailability


def test_four_slots_and_every_one_free_without_other_commitments() -> None:
    inst = build_instance(event("AB", [("A", "B")]), ())
    assert [f"{s.start:%H:%M}" for s in inst.event.slots] == ["09:00", "09:25", "09:50", "10:15"]
    assert inst.free["a"] == inst.free["b"] == {0, 1, 2, 3}
    assert inst.common(0) == (0, 1, 2, 3)


def test_an_unavailable_half_hour_takes_the_slots_it_touches() -> None:
    away = Unavailability("a", build.at(DAY, "9:00"), build.at(DAY, "9:30"))
    inst = build_instance(event("AB", [("A", "B")], unavailable=[away]), ())
    assert inst.free["a"] == {2, 3}  # 9:25-9:45 overlaps 9:00-9:30
    assert inst.common(0) == (2, 3)


def test_weights_follow_the_standard_score() -> None:
    # High 4 points; a mutual request (both asked) counts 1.5 times.
    inst = build_instance(event("ABC", [("A", "B", 1), ("B", "A", 1), ("A", "C", 3)]), ())
    weight = dict(zip(inst.ends, inst.weight, strict=True))
    assert weight["a", "b"] == 6 * SCALE
    assert weight["a", "c"] == 1 * SCALE


def test_a_never_request_is_kept_out_with_its_reason() -> None:
    inst = build_instance(event("ABC", [("A", "B", 0), ("A", "C")]), ())
    assert inst.ends == [("a", "c")]
    assert inst.never == {("a", "b"): "declined"}


def test_spare_tables_come_off_every_slot() -> None:
    settings = Settings(name="Test", spare_tables=1)
    inst = build_instance(event("AB", [("A", "B")], tables=3, settings=settings), ())
    assert inst.capacity == [2, 2, 2, 2]
