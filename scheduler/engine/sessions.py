"""Sector-track sessions into session rooms and Sessions periods (CP-SAT).

Each session gets one period (a Sessions block; it runs the whole block) and
one session room open that day, big enough for its expected audience, with
its speakers present and free. Soft goals, strictly in this order: no
attendee has two of their sessions at overlapping times; sessions of one
track not in parallel; a track keeps one room through a day; big audiences
in big rooms; sessions away from meeting time, weighted by meeting load.

The order is kept by solving in stages: each stage minimises one goal and
then holds it at the value found while the next goals are improved.
Periods may overlap each other and Meetings blocks, so "at the same time"
always means overlapping intervals, never "same period index".

A speaker counts as attending their own talk, for clashes as for
:func:`busy_intervals`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from ortools.sat.python import cp_model

from scheduler import rules
from scheduler.figures import session_figures
from scheduler.model import Event, Interval, Period, Room, Session, key_of
from scheduler.schedule import SessionPlacement

# CP-SAT deterministic time per second of time_limit: the calibration the
# meetings engine uses (solve.DETERMINISTIC_PER_SECOND), so that both limits
# mean about the same wall-clock seconds on the reference machine.
_DETERMINISTIC_PER_SECOND = 0.25
# Share of the remaining deterministic time given to each stage; clashes are
# the hard part, the later stages start from a good hint.
_STAGE_SHARE = {"clashes": 0.5, "tracks": 0.3, "rooms": 0.3, "fit": 0.5, "meetings": 1.0}
_STAGE_FLOOR = 0.1
# Scale of the room-fit cost of one session (squared share of empty seats).
_FIT_SCALE = 1000
# Meeting loads are floats; the objective needs integers.
_LOAD_SCALE = 10


class SessionPlacementError(Exception):
    """Sessions that cannot be placed, each with a plain reason."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("Sessions cannot be placed:\n" + "\n".join(f"- {r}" for r in self.reasons))


# --------------------------------------------------------------------------- helpers


def _attendance(event: Event) -> dict[str, frozenset[str]]:
    """Session key -> attendees there: those who list it and its speakers."""
    return {s.key: frozenset(event.audience.get(s.key, ())) | frozenset(s.speakers) for s in event.sessions}


def _when(period: Period) -> str:
    return f"{period.day.isoformat()} {period.start:%H:%M}–{period.end:%H:%M}"


def _session_label(session: Session) -> str:
    return f"session {session.id}" + (f" ({session.title})" if session.title else "")


def _person(event: Event, key: str) -> str:
    a = event.attendee.get(key)
    if a is None:
        return key
    return f"{a.id} ({a.name})" if a.name else a.id


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _usable_periods(event: Event) -> list[Period]:
    """Periods in time order, without those overlapping a Plenary or a Break
    (the contract: nothing is placed then)."""
    blocked = [b.interval for b in event.blocks if b.activity in ("Plenary", "Break")]
    usable = [p for p in event.periods if not any(p.interval.overlaps(b) for b in blocked)]
    return sorted(usable, key=lambda p: (p.start, p.end, p.index))


def _points(periods: Iterable[Period]) -> list[datetime]:
    """Period starts: two intervals overlap exactly when one contains the
    other's start, so these points see every overlap."""
    return sorted({p.start for p in periods})


def _holds(period: Period, point: datetime) -> bool:
    return period.start <= point < period.end


# --------------------------------------------------------------------------- what each session may use


@dataclass(frozen=True)
class _Options:
    """The feasible (period index, room key) pairs of each session, in a fixed order."""

    by_session: dict[str, list[tuple[int, str]]]
    period: dict[int, Period]


def _session_options(event: Event, session: Session, periods: list[Period]) -> list[tuple[int, str]] | str:
    """The (period, room) pairs the session may use, or why there are none."""
    label = _session_label(session)
    audience = rules.expected_audience(event, session.key)
    all_rooms = [r for r in event.rooms if r.use == "Sessions"]
    if not event.periods:
        return f"{label}: the Schedule has no Sessions block to put it in"
    if not periods:
        return f"{label}: every Sessions block overlaps a Plenary or a Break"
    if not all_rooms:
        return f"{label}: the Rooms sheet has no room with Use = Sessions"

    periods = _pinned_periods(session, periods)
    if isinstance(periods, str):
        return f"{label}: {periods}"
    rooms = _fitting_rooms(event, session, all_rooms, audience)
    if isinstance(rooms, str):
        return f"{label}: {rooms}"
    periods = _speaker_periods(event, session, periods)
    if isinstance(periods, str):
        return f"{label}: {periods}"
    options = [(p.index, r.key) for p in periods for r in rooms if rules.session_room_open(r, p.day)]
    if not options:
        days = _join(sorted({p.day.isoformat() for p in periods}))
        names = _join([r.name for r in rooms])
        if session.pin_room:
            return f"{label}: pinned room {names} is not open on {days}"
        return f"{label}: no session room with at least {audience} seats ({names}) is open on {days}"
    return options


def _pinned_periods(session: Session, periods: list[Period]) -> list[Period] | str:
    kept = [p for p in periods if not rules.broken_time_pins(session, p)]
    if kept:
        return kept
    if session.pin_start is not None:
        return f"pinned to start at {session.pin_start:%Y-%m-%d %H:%M}, but no usable Sessions block starts then"
    assert session.pin_day is not None  # only a pin removes every period
    return f"pinned to {session.pin_day.isoformat()}, but there is no usable Sessions block that day"


def _fitting_rooms(event: Event, session: Session, rooms: list[Room], audience: int) -> list[Room] | str:
    pinned = event.room.get(session.pin_room) if session.pin_room is not None else None
    if session.pin_room is not None and pinned is None:
        return f"pinned room {session.pin_room} does not exist"
    if pinned is not None and pinned.use != "Sessions":
        return f"pinned room {pinned.name} is a {pinned.use} room, not a session room"
    kept = [r for r in rooms if rules.room_pin_kept(event, session, r)]
    fitting = [r for r in kept if rules.room_fits(r, audience)]
    if fitting:
        return fitting
    if pinned is not None:
        return f"pinned room {pinned.name} has {_seats(pinned)}, expected audience is {audience}"
    biggest = max(rooms, key=rules.seats)
    return (
        f"too large for every session room: expected audience {audience} > biggest room "
        f"{rules.seats(biggest)} ({biggest.name})"
    )


def _seats(room: Room) -> str:
    return "no Capacity" if room.capacity is None else f"{room.capacity} seats"


def _speaker_periods(event: Event, session: Session, periods: list[Period]) -> list[Period] | str:
    unknown = [s for s in session.speakers if s not in event.attendee]
    if unknown:
        return f"speaker {_join(unknown)} is not in Attendees"
    free = {s: [p for p in periods if rules.speaker_free(event, s, p.interval)] for s in session.speakers}
    for speaker, ok in free.items():
        if not ok:
            there = event.presence(speaker)
            return (
                f"speaker {_person(event, speaker)} is not present and free at any period it may use "
                f"(present {there.start:%Y-%m-%d %H:%M} to {there.end:%Y-%m-%d %H:%M}; "
                f"periods: {_join([_when(p) for p in periods])})"
            )
    kept = [p for p in periods if all(p in ok for ok in free.values())]
    if kept:
        return kept
    speakers = list(free)
    for i, a in enumerate(speakers):
        for b in speakers[i + 1 :]:
            if not set(free[a]) & set(free[b]):
                return (
                    f"speakers {_person(event, a)} and {_person(event, b)} share no period where both "
                    "are present and free"
                )
    return f"speakers {_join([_person(event, s) for s in speakers])} share no period where all are present and free"


def _all_options(event: Event) -> _Options:
    """Options of every session; raises SessionPlacementError for those with none."""
    periods = _usable_periods(event)
    found: dict[str, list[tuple[int, str]]] = {}
    reasons: list[str] = []
    for session in event.sessions:
        options = _session_options(event, session, periods)
        if isinstance(options, str):
            reasons.append(options)
        else:
            found[session.key] = options
    if reasons:
        raise SessionPlacementError(reasons)
    options = _Options(found, {p.index: p for p in event.periods})
    too_many = _count_check(event, options)
    if too_many:
        raise SessionPlacementError(too_many)
    return options


def check_sessions(event: Event) -> list[str]:
    """Why some session cannot be placed at all (no usable period, room or free
    speaker; more sessions than room-periods), as place_sessions would refuse;
    cheap, without the model. ``scheduler validate`` runs it."""
    try:
        _all_options(event)
    except SessionPlacementError as err:
        return err.reasons
    return []


# --------------------------------------------------------------------------- the hard model


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[str, int, str], cp_model.IntVar]  # (session, period, room)
    at: dict[tuple[str, int], cp_model.IntVar]  # (session, period)
    wanted: dict[str, cp_model.IntVar]  # enforcement literal per session (diagnosis only)
    # Session pairs that may clash -> "at overlapping times"; only bounded from
    # below, so a solution may leave one at 1 needlessly (see _hint).
    overlap: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)


def _hard_model(event: Event, options: _Options, keys: Sequence[str], diagnose: bool = False) -> _Model:
    """One period and room per session, no double-booked room or speaker.

    With ``diagnose`` each session's "placed exactly once" is enforced by an
    assumption literal, so CP-SAT can name a set of sessions that cannot all
    be placed."""
    model = cp_model.CpModel()
    x: dict[tuple[str, int, str], cp_model.IntVar] = {}
    at: dict[tuple[str, int], cp_model.IntVar] = {}
    wanted: dict[str, cp_model.IntVar] = {}
    for s in keys:
        for p, r in options.by_session[s]:
            x[s, p, r] = model.new_bool_var(f"x[{s},{p},{r}]")
        for p in dict.fromkeys(p for p, _ in options.by_session[s]):
            at[s, p] = model.new_bool_var(f"at[{s},{p}]")
            model.add(at[s, p] == sum(x[s, p, r] for q, r in options.by_session[s] if q == p))
        mine = [x[s, p, r] for p, r in options.by_session[s]]
        if diagnose:
            wanted[s] = model.new_bool_var(f"want[{s}]")
            model.add(sum(mine) == 1).only_enforce_if(wanted[s])
            model.add_at_most_one(mine)
        else:
            model.add_exactly_one(mine)
    used = [options.period[p] for (_, p) in at]
    points = _points(used)
    _no_double_rooms(model, x, options, points)
    _no_double_speakers(model, event, at, keys, options, points)
    if diagnose:
        model.add_assumptions(list(wanted.values()))
    return _Model(model, x, at, wanted)


def _no_double_rooms(model: cp_model.CpModel, x: dict, options: _Options, points: list[datetime]) -> None:
    # A room holds one session at any time point, overlapping periods included.
    by_room: dict[str, list[tuple[str, int, str]]] = {}
    for s, p, r in x:
        by_room.setdefault(r, []).append((s, p, r))
    for triples in by_room.values():
        for point in points:
            now = [x[t] for t in triples if _holds(options.period[t[1]], point)]
            if len(now) > 1:
                model.add_at_most_one(now)


def _no_double_speakers(
    model: cp_model.CpModel,
    event: Event,
    at: dict,
    keys: Sequence[str],
    options: _Options,
    points: list[datetime],
) -> None:
    # A speaker gives one talk at any time point.
    talks: dict[str, list[str]] = {}
    for s in keys:
        for speaker in event.session[s].speakers:
            talks.setdefault(speaker, []).append(s)
    periods_of: dict[str, list[tuple[int, cp_model.IntVar]]] = {}
    for (s, p), v in at.items():
        periods_of.setdefault(s, []).append((p, v))
    for sessions in talks.values():
        if len(sessions) < 2:
            continue
        for point in points:
            now = [v for s in sessions for p, v in periods_of[s] if _holds(options.period[p], point)]
            if len(now) > 1:
                model.add_at_most_one(now)


# --------------------------------------------------------------------------- soft goals


def _in_use(options: _Options, hm: _Model) -> dict[tuple[str, datetime], list[cp_model.IntVar]]:
    """(session, time point) -> its period literals whose period holds that point."""
    points = _points(options.period[p] for (_, p) in hm.at)
    here: dict[tuple[str, datetime], list[cp_model.IntVar]] = {}
    for (s, p), v in hm.at.items():
        for point in points:
            if _holds(options.period[p], point):
                here.setdefault((s, point), []).append(v)
    return here


def _overlap_indicators(
    event: Event, options: _Options, hm: _Model
) -> dict[tuple[str, str], cp_model.IntVar]:
    """A boolean per session pair that could clash (shared attendee or same
    track), forced to 1 when the two end up at overlapping times."""
    attendance = _attendance(event)
    keys = [s.key for s in event.sessions]
    here = _in_use(options, hm)
    points = {s: {k for (t, k) in here if t == s} for s in keys}
    overlap: dict[tuple[str, str], cp_model.IntVar] = {}
    for i, s in enumerate(keys):
        for t in keys[i + 1 :]:
            track = event.session[s].track
            related = attendance[s] & attendance[t] or (track is not None and track == event.session[t].track)
            common = sorted(points[s] & points[t])
            if not related or not common:
                continue  # unrelated, or never at the same time
            o = hm.model.new_bool_var(f"overlap[{s},{t}]")
            for point in common:
                hm.model.add(o >= sum(here[s, point]) + sum(here[t, point]) - 1)
            overlap[s, t] = o
    hm.overlap = overlap
    return overlap


def _clash_cost(event: Event, overlap: dict) -> cp_model.LinearExpr:
    attendance = _attendance(event)
    return sum(len(attendance[s] & attendance[t]) * o for (s, t), o in overlap.items())


def _track_cost(event: Event, overlap: dict) -> cp_model.LinearExpr:
    same = [
        o
        for (s, t), o in overlap.items()
        if event.session[s].track is not None and event.session[s].track == event.session[t].track
    ]
    return sum(same)


def _room_change_cost(event: Event, options: _Options, hm: _Model) -> cp_model.LinearExpr:
    """Per track and day: rooms used minus one (when the track meets that day)."""
    tracks: dict[str, set[str]] = {}
    for s in event.sessions:
        if s.track is not None:
            tracks.setdefault(s.track, set()).add(s.key)
    terms: list[cp_model.LinearExprT] = []
    for track, members in tracks.items():
        if len(members) < 2:
            continue
        by_day: dict[date, list[tuple[str, int, str]]] = {}
        for s, p, r in hm.x:
            if s in members:
                by_day.setdefault(options.period[p].day, []).append((s, p, r))
        for day, here in sorted(by_day.items()):
            terms.append(_rooms_used_minus_one(hm, f"{track},{day}", here))
    return sum(terms)


def _rooms_used_minus_one(hm: _Model, name: str, here: list[tuple[str, int, str]]) -> cp_model.LinearExprT:
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


def _fit_coefficients(event: Event, hm: _Model) -> dict[tuple[str, int, str], int]:
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
        coefficients[s, p, r] = round(_FIT_SCALE * off * off) + (_FIT_SCALE if capacity < ideal else 0)
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
    event: Event, options: _Options, hm: _Model, load: Mapping[str, float] | None
) -> dict[tuple[str, int, str], int]:
    """Meeting slots the session's people lose, weighted by their meeting load
    (1 each when no load is given)."""
    attendance = _attendance(event)
    weight = {
        s: sum(1.0 if load is None else float(load.get(a, 0.0)) for a in sorted(people))
        for s, people in attendance.items()
    }
    lost = {p: _meeting_slots_lost(event, period) for p, period in options.period.items()}
    return {(s, p, r): round(_LOAD_SCALE * weight[s] * lost[p]) for s, p, r in hm.x}


# --------------------------------------------------------------------------- the goals, in order


_Chosen = frozenset[tuple[str, int, str]]


@dataclass(frozen=True)
class _Goal:
    name: str
    cost: cp_model.LinearExprT
    value: Callable[[_Chosen], int]  # the goal's value for a placement, computed directly
    lower: int  # no placement does better


def _goals(event: Event, options: _Options, hm: _Model, load: Mapping[str, float] | None) -> list[_Goal]:
    overlap = _overlap_indicators(event, options, hm)

    def figure(name: str) -> Callable[[_Chosen], int]:
        return lambda chosen: int(getattr(session_figures(event, _as_placements(event, chosen)), name))

    goals = [
        _Goal("clashes", _clash_cost(event, overlap), figure("clashes"), 0),
        _Goal("tracks", _track_cost(event, overlap), figure("same_track_overlaps"), 0),
        _Goal("rooms", _room_change_cost(event, options, hm), figure("track_room_changes"), 0),
    ]
    for name, coefficients in (
        ("fit", _fit_coefficients(event, hm)),
        ("meetings", _meeting_coefficients(event, options, hm, load)),
    ):
        goals.append(_weighted_goal(name, coefficients, hm, options))
    return goals


def _weighted_goal(name: str, coefficients: dict, hm: _Model, options: _Options) -> _Goal:
    """A goal that is a sum of one weight per chosen (session, period, room)."""
    cost = sum(c * hm.x[t] for t, c in coefficients.items() if c)
    lower = sum(min(coefficients[s, p, r] for p, r in opts) for s, opts in options.by_session.items())
    return _Goal(name, cost, lambda chosen: sum(coefficients[t] for t in chosen), lower)


def _as_placements(event: Event, chosen: _Chosen) -> tuple[SessionPlacement, ...]:
    where = {s: (p, r) for s, p, r in chosen}
    return tuple(
        SessionPlacement(s.key, where[s.key][0], event.room[where[s.key][1]].name)
        for s in event.sessions
        if s.key in where
    )


# --------------------------------------------------------------------------- solving


def _parameters(solver: cp_model.CpSolver, budget: float, seed: int, workers: int, deadline: float | None = None) -> None:
    """``budget`` is deterministic time; ``deadline`` (time.monotonic()) the wall clock it must keep."""
    params = solver.parameters
    params.random_seed = seed
    params.num_workers = max(1, workers)
    # The room and speaker at-most-one rows in the LP prove "too many sessions"
    # at once; without them one worker can search for ever.
    params.linearization_level = 2
    # Interleaved search is deterministic for any number of workers, and even
    # with one worker it runs the large-neighbourhood moves that a plain
    # single-worker search lacks (far fewer clashes within the same time).
    params.interleave_search = True
    params.max_deterministic_time = max(0.05, budget)
    # A wall-clock guard only for a machine far slower or busier than the
    # calibration; the deterministic limit decides normally.
    params.max_time_in_seconds = 30.0 + 20 * budget / _DETERMINISTIC_PER_SECOND
    if deadline is not None:
        # The solve's time limit is a promise: on a busy machine the clock, not the work, ends a stage.
        params.max_time_in_seconds = max(0.05, min(params.max_time_in_seconds, deadline - time.monotonic()))


def place_sessions(
    event: Event,
    time_limit: float = 10.0,
    seed: int = 0,
    workers: int = 1,
    meeting_load: Mapping[str, float] | None = None,
    deadline: float | None = None,
) -> tuple[SessionPlacement, ...]:
    """Place every session; raises SessionPlacementError with plain reasons when it cannot.

    ``deadline`` (time.monotonic()): a wall clock the search keeps once it
    has a placement (``solve`` gives twice ``time_limit``, so that on a
    machine up to twice slower than the calibration the work budget, not the
    clock, ends it and the placement stays repeatable).

    ``time_limit`` (seconds) becomes a CP-SAT deterministic-time budget, so
    that the same inputs, seed and workers give the same placement whatever
    the machine's load; wall-clock time follows it only roughly."""
    if not event.sessions:
        return ()
    options = _all_options(event)
    hm = _hard_model(event, options, [s.key for s in event.sessions])
    goals = _goals(event, options, hm, meeting_load)
    budget = time_limit * _DETERMINISTIC_PER_SECOND
    chosen = _solve_in_stages(event, options, hm, goals, budget, seed, workers, deadline)
    return _as_placements(event, chosen)


def _solve_in_stages(
    event: Event,
    options: _Options,
    hm: _Model,
    goals: list[_Goal],
    budget: float,
    seed: int,
    workers: int,
    deadline: float | None = None,
) -> _Chosen:
    """Minimise each goal in turn, holding the earlier ones at the values found.
    ``budget`` is deterministic time for all stages together."""
    remaining = budget
    chosen = _first_fit_hint(event, hm)
    for goal in goals:
        if isinstance(goal.cost, int):  # nothing to choose in this goal
            continue
        if chosen is not None and goal.value(chosen) <= goal.lower:
            hm.model.add(goal.cost <= goal.lower)  # already as good as it gets
            continue
        hm.model.minimize(goal.cost)
        solver = cp_model.CpSolver()
        # A floor, so that a stage that overran (interleaved search checks the
        # limit only between batches) does not starve the later ones.
        share = max(remaining * _STAGE_SHARE[goal.name], _STAGE_FLOOR * budget)
        _parameters(solver, share, seed, workers, deadline if chosen is not None else None)
        status = solver.solve(hm.model)
        remaining = max(0.0, remaining - solver.deterministic_time)
        if status == cp_model.INFEASIBLE:
            raise SessionPlacementError(_explain_infeasible(event, options))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            chosen = frozenset(t for t, v in hm.x.items() if solver.value(v))
            _hint(hm, options, solver.response_proto.solution, chosen)
        if chosen is not None:
            # The true value, not the objective: helper booleans may be loose.
            hm.model.add(goal.cost <= goal.value(chosen))
    if chosen is None:
        chosen = _feasible_only(event, options, hm, max(remaining, 0.25), seed, workers)
    return chosen


def _first_fit_hint(event: Event, hm: _Model) -> _Chosen | None:
    """Start from first fit when it places every session: the search then
    never ends worse than the baseline, even when cut short."""
    first = naive_placement(event)
    if len(first) < len(event.sessions):
        return None
    chosen = frozenset((pl.session, pl.period, event.room[key_of(pl.room)].key) for pl in first)
    for t, v in hm.x.items():
        hm.model.add_hint(v, t in chosen)
    return chosen if all(t in hm.x for t in chosen) else None


def _hint(hm: _Model, options: _Options, values: Sequence[int], chosen: _Chosen) -> None:
    """Start the next stage from this solution, helper variables included and
    the overlap booleans set to their true values, so that the next stage's
    CP-SAT finds it again at once."""
    values = list(values)
    when = {s: options.period[p].interval for s, p, _ in chosen}
    for (s, t), o in hm.overlap.items():
        values[o.index] = int(when[s].overlaps(when[t]))
    hm.model.clear_hints()
    hm.model.proto.solution_hint.vars.extend(range(len(values)))
    hm.model.proto.solution_hint.values.extend(values)


def _feasible_only(
    event: Event, options: _Options, hm: _Model, budget: float, seed: int, workers: int
) -> _Chosen:
    """Any placement at all (no goal stage ran, or none found one in time)."""
    hm.model.clear_objective()
    solver = cp_model.CpSolver()
    _parameters(solver, budget, seed, workers)
    status = solver.solve(hm.model)
    if status == cp_model.INFEASIBLE:
        raise SessionPlacementError(_explain_infeasible(event, options))
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SessionPlacementError(
            ["no placement of the sessions was found within the time limit; allow more time for sessions"]
        )
    return frozenset(t for t, v in hm.x.items() if solver.value(v))


# --------------------------------------------------------------------------- explaining infeasibility


def _feasible(event: Event, options: _Options, keys: Sequence[str]) -> tuple[bool, list[str]]:
    """Can these sessions all be placed? If not, a set of them that cannot."""
    hm = _hard_model(event, options, keys, diagnose=True)
    solver = cp_model.CpSolver()
    _parameters(solver, 2.0, 0, 1)
    status = solver.solve(hm.model)
    if status != cp_model.INFEASIBLE:
        return True, []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    culprits = [s for s in keys if hm.wanted[s].index in core]
    return False, culprits or list(keys)


def _minimal_conflict(event: Event, options: _Options, keys: list[str]) -> list[str]:
    """Shrink an infeasible set of sessions until every one of them matters."""
    core = list(keys)
    for s in list(core):
        if s not in core:
            continue  # already dropped with a smaller core
        rest = [k for k in core if k != s]
        ok, smaller = _feasible(event, options, rest)
        if not ok:
            core = [k for k in rest if k in smaller] if smaller else rest
    return core


def _explain_infeasible(event: Event, options: _Options) -> list[str]:
    """One plain reason per independent set of sessions that cannot all be placed."""
    pool = [s.key for s in event.sessions]
    reasons: list[str] = []
    while pool and len(reasons) < 10:
        ok, culprits = _feasible(event, options, pool)
        if ok:
            break
        core = _minimal_conflict(event, options, culprits)
        reasons.append(_describe_conflict(event, options, core))
        pool = [s for s in pool if s not in core]
    return reasons or ["the sessions cannot all be placed, though no single cause was found"]


def _room_periods(options: _Options, core: Sequence[str]) -> dict[str, list[Period]]:
    used: dict[str, set[int]] = {}
    for s in core:
        for p, r in options.by_session[s]:
            used.setdefault(r, set()).add(p)
    return {
        r: sorted((options.period[p] for p in ps), key=lambda p: (p.start, p.end)) for r, ps in used.items()
    }


def _room_seats(periods: list[Period]) -> int:
    """Most sessions one room can hold in these periods (overlaps excluded)."""
    count, free_from = 0, None
    for p in sorted(periods, key=lambda p: p.end):
        if free_from is None or p.start >= free_from:
            count, free_from = count + 1, p.end
    return count


def _sessions_text(event: Event, keys: Sequence[str]) -> str:
    if len(keys) == 1:
        return _session_label(event.session[keys[0]])
    return "sessions " + _join([event.session[k].id for k in keys])


def _listing(event: Event, usable: dict[str, list[Period]]) -> str:
    """Room-periods grouped by period: "2017-06-05 09:00–10:30 in A, B"."""
    rooms_at: dict[Period, list[str]] = {}
    for r, ps in usable.items():
        for p in ps:
            rooms_at.setdefault(p, []).append(event.room[r].name)
    ordered = sorted(rooms_at, key=lambda p: (p.start, p.end))
    return "; ".join(f"{_when(p)} in {', '.join(rooms_at[p])}" for p in ordered)


def _describe_conflict(event: Event, options: _Options, core: list[str]) -> str:
    names = _sessions_text(event, core)
    usable = _room_periods(options, core)
    seats = sum(_room_seats(ps) for ps in usable.values())
    listing = _listing(event, usable)
    if seats < len(core):
        return _too_many(names, len(core), seats, usable, listing)
    shared = _shared_speakers(event, core)
    if shared:
        talks = "; ".join(f"{_person(event, sp)} speaks at {_join(ss)}" for sp, ss in shared)
        periods = sorted(
            {options.period[p] for s in core for p, _ in options.by_session[s]}, key=lambda p: p.start
        )
        return (
            f"{names} cannot {_all(core)} be placed: speakers cannot be in two places at once ({talks}), and the "
            f"periods open to these sessions do not allow them at different times "
            f"({', '.join(_when(p) for p in periods)})"
        )
    return f"{names} cannot {_all(core)} be placed together: they can only use these rooms and periods ({listing})"


def _all(items: Sequence[object]) -> str:
    return "both" if len(items) == 2 else "all"


def _too_many(names: str, sessions: int, seats: int, usable: dict[str, list[Period]], listing: str) -> str:
    days = {p.day for ps in usable.values() for p in ps}
    where = f" on {next(iter(days)).isoformat()}" if len(days) == 1 else ""
    periods = sorted({p for ps in usable.values() for p in ps}, key=lambda p: (p.start, p.end))
    overlapping = any(a.interval.overlaps(b.interval) for a, b in zip(periods, periods[1:], strict=False))
    note = (
        "; a room holds one session at a time, and overlapping periods are the same time"
        if overlapping
        else ""
    )
    return (
        f"{names} cannot {_all(range(sessions))} be placed: more sessions ({sessions}) than room-periods "
        f"they can use{where} ({seats}: {listing}{note})"
    )


def _count_check(event: Event, options: _Options) -> list[str]:
    """Quick pigeonhole checks before the model, for a short, exact reason:
    the sessions bound to one day against that day's room-periods, then all
    sessions against all room-periods."""
    keys = [s.key for s in event.sessions]
    by_day: dict[date, list[str]] = {}
    for s in keys:
        days = {options.period[p].day for p, _ in options.by_session[s]}
        if len(days) == 1:
            by_day.setdefault(days.pop(), []).append(s)
    groups = [by_day[d] for d in sorted(by_day)] + [keys]
    for group in groups:
        usable = _room_periods(options, group)
        seats = sum(_room_seats(ps) for ps in usable.values())
        if seats < len(group):
            names = f"the {len(group)} sessions" if group is keys else _sessions_text(event, group)
            return [_too_many(names, len(group), seats, usable, _listing(event, usable))]
    return []


def _shared_speakers(event: Event, core: Sequence[str]) -> list[tuple[str, list[str]]]:
    talks: dict[str, list[str]] = {}
    for s in core:
        for sp in event.session[s].speakers:
            talks.setdefault(sp, []).append(event.session[s].id)
    return [(sp, ss) for sp, ss in talks.items() if len(ss) > 1]


# --------------------------------------------------------------------------- baseline and figures


def naive_placement(event: Event) -> tuple[SessionPlacement, ...]:
    """First fit, the benchmark's baseline: sessions in input order, each in the
    earliest period and the first listed room that fits and is free (pins,
    speakers and capacity respected, clashes and tracks ignored). A session
    first fit cannot place is left out, so the result may be shorter."""
    periods = _usable_periods(event)
    taken: list[tuple[str, Period]] = []  # (room key, period)
    talking: list[tuple[str, Period]] = []  # (speaker, period)
    placed: list[SessionPlacement] = []
    by_period = {p.index: p for p in periods}
    for session in event.sessions:
        options = _session_options(event, session, periods)
        if isinstance(options, str):
            continue
        for p, r in options:
            period = by_period[p]
            room_busy = any(r == k and period.interval.overlaps(q.interval) for k, q in taken)
            speaker_busy = any(
                sp in session.speakers and period.interval.overlaps(q.interval) for sp, q in talking
            )
            if not room_busy and not speaker_busy:
                taken.append((r, period))
                talking.extend((sp, period) for sp in session.speakers)
                placed.append(SessionPlacement(session.key, p, event.room[r].name))
                break
    return tuple(placed)


def busy_intervals(event: Event, placements: Sequence[SessionPlacement]) -> dict[str, list[Interval]]:
    """Attendee key -> the times they are at sessions they list or speak at,
    sorted, overlapping spans merged (the rule itself is ``rules.session_busy``)."""
    spans: dict[str, list[Interval]] = {}
    for attendee, intervals in rules.session_busy(event, placements).items():
        if intervals:
            spans[attendee] = _merge(sorted(intervals, key=lambda i: (i.start, i.end)))
    return spans


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged = [intervals[0]]
    for i in intervals[1:]:
        last = merged[-1]
        if i.start < last.end:
            merged[-1] = Interval(last.start, max(last.end, i.end))
        else:
            merged.append(i)
    return merged


__all__ = [
    "SessionPlacementError",
    "busy_intervals",
    "naive_placement",
    "place_sessions",
]
