"""Scenarios are variants of the parsed event: tables spread over the rooms,
slots re-cut as the reader cuts them, spare tables as the workbook writes them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from scheduler import build
from scheduler.model import FixedMeeting, Room
from scheduler.plan.scenarios import (
    Scenario,
    ScenarioValueError,
    notes,
    peak_tables,
    scenarios,
    spread_tables,
    tables_per_day,
    variant,
)

DAY1, DAY2 = date(2017, 6, 4), date(2017, 6, 5)


def two_days(tiny):
    """The tiny event over two days, with a third room open on the second day only."""
    rooms = (
        Room("Canadian Room", "Meetings", tables=36),
        Room("Concert Hall", "Meetings", tables=24),
        Room("Imperial Room", "Meetings", tables=16, dates=frozenset({DAY2})),
        Room("Library", "Sessions", capacity=60),
    )
    blocks = (build.block(DAY1, "9:00", "10:15"), build.block(DAY2, "9:00", "10:15"))
    return replace(tiny, rooms=rooms, blocks=blocks, slots=build.cut_slots(blocks, 20, 5))


def test_tables_are_spread_in_proportion_and_the_busiest_day_gets_exactly_the_number(tiny):
    event = two_days(tiny)
    rooms = {r.name: r.tables for r in spread_tables(event, 38)}
    assert rooms == {"Canadian Room": 18, "Concert Hall": 12, "Imperial Room": 8, "Library": 0}
    for total in range(1, 120):
        changed = replace(event, rooms=spread_tables(event, total))
        assert peak_tables(changed) == total
    assert tables_per_day(replace(event, rooms=spread_tables(event, 38))) == "30–38"


def test_meeting_and_buffer_minutes_re_cut_the_slots(tiny):
    [long] = scenarios(tiny, meeting_minutes=[30], buffer_minutes=[5])
    starts = [s.start.time().isoformat("minutes") for s in variant(tiny, long).slots]
    assert starts == ["09:00", "09:35"]
    [short] = scenarios(tiny, meeting_minutes=[15], buffer_minutes=[0])
    assert len(variant(tiny, short).slots) == 5
    assert variant(tiny, short).settings.meeting_minutes == 15
    assert tiny.settings.meeting_minutes == 20 and len(tiny.slots) == 3  # the original is left alone


def test_spare_tables_as_a_number_or_a_share(tiny):
    by_share, by_count = scenarios(tiny, spare=["10 %", "2"])
    assert (by_share.spare, by_count.spare) == ("10%", "2")
    assert variant(tiny, by_share).settings.spare_tables_percent == 10.0
    assert variant(tiny, by_share).settings.spare_tables == 0
    assert variant(tiny, by_count).settings.spare_tables == 2
    assert variant(tiny, by_count).settings.spare_tables_percent == 0.0


def test_the_cross_product_in_order_without_repeats_and_the_event_values_by_default(tiny):
    found = scenarios(tiny, tables=[1, 2, 2], meeting_minutes=[20, 30])
    assert [(s.tables, s.meeting_minutes) for s in found] == [(1, 20), (1, 30), (2, 20), (2, 30)]
    assert {(s.buffer_minutes, s.spare) for s in found} == {(5, "0")}
    assert scenarios(tiny) == [Scenario(3, 20, 5, "0")]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tables": [0]}, "tables must be at least 1"),
        ({"meeting_minutes": [3]}, "meeting minutes must be at least 5"),
        ({"buffer_minutes": [-5]}, "buffer minutes must not be negative"),
        ({"spare": ["lots"]}, "spare tables 'lots': not a whole number"),
        ({"spare": ["120%"]}, "between 0% and 100%"),
    ],
)
def test_values_that_cannot_be_used_say_why(tiny, kwargs, message):
    with pytest.raises(ScenarioValueError, match=message):
        scenarios(tiny, **kwargs)


def test_a_fixed_meeting_on_a_table_the_scenario_lacks_keeps_its_room_and_time(tiny):
    pinned = FixedMeeting("A", "D", datetime(2017, 6, 5, 9, 0), room="hall", table=3, origin="row 2")
    event = replace(tiny, fixed=(pinned,))
    fewer = variant(event, Scenario(2, 20, 5, "0"))
    assert fewer.fixed == (replace(pinned, table=None),)
    assert notes(event, fewer) == [
        "1 fixed meeting(s) pinned to tables this scenario lacks (Hall T3) keep their room only"
    ]
    assert variant(event, Scenario(3, 20, 5, "0")).fixed == (pinned,)


def test_a_fixed_meeting_no_longer_at_a_slot_start_moves_to_the_slot_running_then(tiny):
    at = [datetime(2017, 6, 5, 9, 25), datetime(2017, 6, 5, 9, 40), datetime(2017, 6, 5, 10, 20)]
    event = replace(tiny, fixed=tuple(FixedMeeting("A", x, t) for x, t in zip("DEF", at, strict=True)))
    longer = variant(event, Scenario(3, 30, 5, "0"))  # slots 9:00-9:30 and 9:35-10:05
    assert [f.start.strftime("%H:%M") for f in longer.fixed] == ["09:00", "09:35", "09:35"]
    assert notes(event, longer) == [
        "3 fixed meeting(s) moved to a slot start (Mon 09:25 → 09:00, Mon 09:40 → 09:35, Mon 10:20 → 09:35)"
    ]
