"""The sessions' soft goals: each goal's value of a placement, by hand."""

from __future__ import annotations

from support.session_events import at, event, periods, person, room

from scheduler.engine.sessions.goals import goals
from scheduler.engine.sessions.model import hard_model
from scheduler.engine.sessions.options import all_options
from scheduler.model import Session


def test_goal_values_of_a_placement_counted_by_hand() -> None:
    # "a" lists s1 and s2; both are of track t; R1 seats 50, R2 seats 20.
    spans = periods((at(9), at(10)), (at(10), at(11)))
    ev = event(
        spans,
        (room("R1", 50), room("R2", 20)),
        (Session("s1", track="t", expected_audience=40), Session("s2", track="t", expected_audience=10)),
        (person("a", "s1", "s2"),),
    )
    options = all_options(ev)
    hm = hard_model(ev, options, ["s1", "s2"])
    found = {g.name: g for g in goals(ev, options, hm, None)}
    assert list(found) == ["clashes", "tracks", "rooms", "fit", "meetings"]
    together = frozenset({("s1", 0, "r1"), ("s2", 0, "r2")})
    one_room = frozenset({("s1", 0, "r1"), ("s2", 1, "r1")})
    assert (found["clashes"].value(together), found["clashes"].value(one_room)) == (1, 0)
    assert (found["tracks"].value(together), found["tracks"].value(one_room)) == (1, 0)
    assert (found["rooms"].value(together), found["rooms"].value(one_room)) == (1, 0)
    # The big audience in the big room fits better than the small one there.
    swapped = frozenset({("s1", 1, "r1"), ("s2", 0, "r2")})
    assert found["fit"].value(swapped) < found["fit"].value(one_room)
    assert found["meetings"].value(together) == 0  # no meeting time at all


def test_a_goal_with_nothing_to_choose_is_the_int_zero() -> None:
    ev = event(periods((at(9), at(10)),), (room("R", 50),), (Session("s1"),))
    options = all_options(ev)
    hm = hard_model(ev, options, ["s1"])
    found = {g.name: g for g in goals(ev, options, hm, None)}
    assert found["clashes"].cost == 0 and found["tracks"].cost == 0 and found["rooms"].cost == 0
