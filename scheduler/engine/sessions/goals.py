"""The soft goals of the sessions, strictly in this order: no attendee has
two of their sessions at overlapping times; sessions of one track not in
parallel; a track keeps one room through a day; big audiences in big rooms;
sessions away from meeting time, weighted by meeting load."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from ortools.sat.python import cp_model

from scheduler import rules
from scheduler.figures import session_figures
from scheduler.model import Event, Period
from scheduler.schedule import SessionPlacement

from .model import HardModel, Triple, holds, points
from .options import Options

# Scale of the room-fit cost of one session (squared share of empty seats).
FIT_SCALE = 1000
# Meeting loads are floats; the objective needs integers.
LOAD_SCALE = 10

Chosen = frozenset[Triple]


@dataclass(frozen=True)
class Goal:
    name: str
    cost: cp_model.LinearExprT  # the int 0 when there is nothing to choose
    value: Callable[[Chosen], int]  # the goal's value for a placement, computed directly
    lower: int  # no placement does better


def total(terms: Sequence[cp_model.LinearExprT]) -> cp_model.LinearExprT:
    """The sum of ``terms``; the int 0 when there are none (a goal with nothing to choose)."""
    return cp_model.LinearExpr.sum(terms) if terms else 0


def attendance(event: Event) -> dict[str, frozenset[str]]:
    """Session key -> attendees there: those who list it and its speakers
    (a speaker counts as attending their own talk)."""
    return event.attending


def as_placements(event: Event, chosen: Chosen) -> tuple[SessionPlacement, ...]:
    where = {s: (p, r) for s, p, r in chosen}
    return tuple(
        SessionPlacement(s.key, where[s.key][0], event.room[where[s.key][1]].name)
        for s in event.sessions
        if s.key in where
    )


def goals(event: Event, options: Options, hm: HardModel, load: Mapping[str, float] | None) -> list[Goal]:
    overlap = _overlap_indicators(event, options, hm)

    def figure(name: str) -> Callable[[Chosen], int]:
        return lambda chosen: int(getattr(session_figures(event, as_placements(event, chosen)), name))

    found = [
        Goal("clashes", _clash_cost(event, overlap), figure("clashes"), 0),
        Goal("tracks", _track_cost(event, overlap), figure("same_track_overlaps"), 0),
        Goal("rooms", _room_change_cost(event, options, hm), figure("track_room_changes"), 0),
    ]
    for name, coefficients in (
        ("fit", _fit_coefficients(event, hm)),
        ("meetings", _meeting_coefficients(event, options, hm, load)),
    ):
        found.append(_weighted_goal(name, coefficients, hm, options))
    return found


def _in_use(options: Options, hm: HardModel) -> dict[tuple[str, datetime], list[cp_model.IntVar]]:
    """(session, time point) -> its period literals whose period holds that point."""
    moments = points(options.period[p] for (_, p) in hm.at)
    here: dict[tuple[str, datetime], list[cp_model.IntVar]] = {}
    for (s, p), v in hm.at.items():
        for point in moments:
            if holds(options.period[p], point):
                here.setdefault((s, point), []).append(v)
    return here


def _overlap_indicators(event: Event, options: Options, hm: HardModel) -> dict[tuple[str, str], cp_model.IntVar]:
    """A boolean per session pair that could clash (shared attendee or same
    track), forced to 1 when the two end up at overlapping times."""
    people = attendance(event)
    keys = [s.key for s in event.sessions]
    here = _in_use(options, hm)
    moments = {s: {k for (t, k) in here if t == s} for s in keys}
    overlap: dict[tuple[str, str], cp_model.IntVar] = {}
    for i, s in enumerate(keys):
        for t in keys[i + 1 :]:
            track = event.session[s].track
            related = people[s] & people[t] or (track is not None and track == event.session[t].track)
            common = sorted(moments[s] & moments[t])
            if not related or not common:
                continue  # unrelated, or never at the same time
            o = hm.model.new_bool_var(f"overlap[{s},{t}]")
            for point in common:
                hm.model.add(o >= sum(here[s, point]) + sum(here[t, point]) - 1)
            overlap[s, t] = o
    hm.overlap = overlap
    return overlap


def _clash_cost(event: Event, overlap: dict[tuple[str, str], cp_model.IntVar]) -> cp_model.LinearExprT:
    people = attendance(event)
    return total([len(people[s] & people[t]) * o for (s, t), o in overlap.items()])


def _track_cost(event: Event, overlap: dict[tuple[str, str], cp_model.IntVar]) -> cp_model.LinearExprT:
    same = [
        o
        for (s, t), o in overlap.items()
        if event.session[s].track is not None and event.session[s].track == event.session[t].track
    ]
    return total(same)


def _room_change_cost(event: Event, options: Options, hm: HardModel) -> cp_model.LinearExprT:
    """Per track and day: rooms used minus one (when the track meets that day)."""
    tracks: dict[str, set[str]] = {}
    for session in event.sessions:
        if session.track is not None:
            tracks.setdefault(session.track, set()).add(session.key)
    terms: list[cp_model.LinearExprT] = []
    for track, members in tracks.items():
        if len(members) < 2:
            continue
        by_day: dict[date, list[Triple]] = {}
        for s, p, r in hm.x:
            if s in members:
                by_day.setdefault(options.period[p].day, []).append((s, p, r))
        for day, here in sorted(by_day.items()):
            terms.append(_rooms_used_minus_one(hm, f"{track},{day}", here))
    return total(terms)


def _rooms_used_minus_one(hm: HardModel, name: str, here: list[Triple]) -> cp_model.LinearExprT:
    """Rooms that these placements use, minus one if any is chosen. Both sides
    are tied exactly to the placement (not only bounded), so the value is the
    true count even in a solution that is not optimal."""
    met = hm.model.new_bool_var(f"meets[{name}]")
    hm.model.add_max_equality(met, [hm.x[t] for t in here])
    uses = []
    for room in dict.fromkeys(r for _, _, r in here):
        used = hm.model.new_bool_var(f"uses[{name},{room}]")
        hm.model.add_max_equality(used, [hm.x[t] for t in here if t[2] == room])
        uses.append(used)
    hm.model.add(sum(uses) >= met)  # obvious, but it lifts the LP bound to zero
    return sum(uses) - met


def _fit_coefficients(event: Event, hm: HardModel) -> dict[Triple, int]:
    """Rooms with the headroom the event asks for (Session room headroom: 15%
    more seats than the expected audience by default) before any without it;
    among them, the least distance to the ideal size, squared: convex, so big
    audiences go to big rooms rather than leaving a big room to a small
    session."""
    biggest = max((rules.seats(r) for r in event.rooms if r.use == "Sessions"), default=1) or 1
    factor = 1 + event.settings.session_room_headroom / 100
    coefficients = {}
    for s, p, r in hm.x:
        ideal = rules.expected_audience(event, s) * factor
        capacity = rules.seats(event.room[r])
        off = (capacity - ideal) / biggest
        coefficients[s, p, r] = round(FIT_SCALE * off * off) + (FIT_SCALE if capacity < ideal else 0)
    return coefficients


def _meeting_slots_lost(event: Event, period: Period) -> float:
    """How many meeting slots the period takes from someone who is in it."""
    if event.slots:
        return float(sum(1 for slot in event.slots if slot.interval.overlaps(period.interval)))
    length = event.settings.meeting_minutes + event.settings.buffer_minutes
    minutes = 0.0
    for b in event.blocks:
        if b.activity == "Meetings" and b.interval.overlaps(period.interval):
            minutes += (min(b.end, period.end) - max(b.start, period.start)).total_seconds() / 60
    return minutes / length if length > 0 else 0.0


def _meeting_coefficients(
    event: Event, options: Options, hm: HardModel, load: Mapping[str, float] | None
) -> dict[Triple, int]:
    """Meeting slots the session's people lose, weighted by their meeting load
    (1 each when no load is given)."""
    weight = {
        s: sum(1.0 if load is None else float(load.get(a, 0.0)) for a in sorted(people))
        for s, people in attendance(event).items()
    }
    lost = {p: _meeting_slots_lost(event, period) for p, period in options.period.items()}
    return {(s, p, r): round(LOAD_SCALE * weight[s] * lost[p]) for s, p, r in hm.x}


def _weighted_goal(name: str, coefficients: dict[Triple, int], hm: HardModel, options: Options) -> Goal:
    """A goal that is a sum of one weight per chosen (session, period, room)."""
    cost = total([c * hm.x[t] for t, c in coefficients.items() if c])
    lower = sum(min(coefficients[s, p, r] for p, r in opts) for s, opts in options.by_session.items())
    return Goal(name, cost, lambda chosen: sum(coefficients[t] for t in chosen), lower)
