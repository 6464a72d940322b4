"""What each session may use: the (period, room) pairs that keep every
session rule of ``rules``, or a plain reason why a session has none; and the
quick count of sessions against room-periods, before any model is built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scheduler import rules
from scheduler.model import Event, Period, Room, Session
from scheduler.problems import join_words
from scheduler.rules import FixedTimes

from .words import both_or_all, located, person, session_label, sessions_text, when

Option = tuple[int, str]  # (period index, room key)


class SessionPlacementError(Exception):
    """Sessions that cannot be placed, each with a plain reason."""

    def __init__(self, reasons: list[str]):
        self.reasons = list(reasons)
        super().__init__("Sessions cannot be placed:\n" + "\n".join(f"- {r}" for r in self.reasons))


@dataclass(frozen=True)
class Options:
    """The feasible (period index, room key) pairs of each session, in a fixed order."""

    by_session: dict[str, list[Option]]
    period: dict[int, Period]


def usable_periods(event: Event) -> list[Period]:
    """Periods in time order, without those overlapping a Plenary or a Break
    (the contract: nothing is placed then)."""
    usable = [p for p in event.periods if rules.period_clear(event, p)]
    return sorted(usable, key=lambda p: (p.start, p.end, p.index))


def session_options(
    event: Event, session: Session, periods: list[Period], fixed: FixedTimes | None = None
) -> list[Option] | str:
    """The (period, room) pairs the session may use, or why there are none
    (after the session's row, when it was read from a workbook).
    ``fixed``: :func:`scheduler.rules.fixed_meeting_times` of the event, when
    the caller asks for many sessions (it costs a pass over the fixed meetings)."""
    label = (f"{session.origin}: " if session.origin else "") + session_label(session)
    audience = rules.expected_audience(event, session.key)
    all_rooms = [r for r in event.rooms if r.use == "Sessions"]
    if not event.periods:
        return f"{label}: the Schedule has no Sessions block to put it in"
    if not periods:
        return f"{label}: every Sessions block overlaps a Plenary or a Break"
    if not all_rooms:
        return f"{label}: the Rooms sheet has no room with Use = Sessions"

    pinned = _pinned_periods(session, periods)
    if isinstance(pinned, str):
        return f"{label}: {pinned}"
    rooms = _fitting_rooms(event, session, all_rooms, audience)
    if isinstance(rooms, str):
        return f"{label}: {rooms}"
    free = _speaker_periods(event, session, pinned)
    if isinstance(free, str):
        return f"{label}: {free}"
    options = [(p.index, r.key) for p in free for r in rooms if rules.session_room_open(r, p.day)]
    if not options:
        days = join_words(sorted({p.day.isoformat() for p in free}))
        names = join_words([r.name for r in rooms])
        if session.pin_room:
            return f"{label}: pinned room {names} is not open on {days}"
        return f"{label}: no session room with at least {audience} seats ({names}) is open on {days}"
    # Last, so that its reason is given only when it alone leaves nothing.
    usable = {p for p, _ in options}
    clear = _clear_of_fixed(event, session, [p for p in free if p.index in usable], fixed)
    if isinstance(clear, str):
        return f"{label}: {clear}"
    return [o for o in options if o[0] in clear]


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
        return f"speaker {join_words(unknown)} is not in Attendees"
    free = {s: [p for p in periods if rules.speaker_free(event, s, p.interval)] for s in session.speakers}
    for speaker, ok in free.items():
        if not ok:
            there = event.presence(speaker)
            return (
                f"speaker {person(event, speaker)} is not present and free at any period it may use "
                f"(present {there.start:%Y-%m-%d %H:%M} to {there.end:%Y-%m-%d %H:%M}; "
                f"periods: {join_words([when(p) for p in periods])})"
            )
    kept = [p for p in periods if all(p in ok for ok in free.values())]
    if kept:
        return kept
    speakers = list(free)
    for i, a in enumerate(speakers):
        for b in speakers[i + 1 :]:
            if not set(free[a]) & set(free[b]):
                return (
                    f"speakers {person(event, a)} and {person(event, b)} share no period where both "
                    "are present and free"
                )
    return f"speakers {join_words([person(event, s) for s in speakers])} share no period where all are present and free"


def _clear_of_fixed(
    event: Event, session: Session, periods: list[Period], fixed: FixedTimes | None
) -> set[int] | str:
    """The indices of the periods that run over no fixed meeting of the
    session's attendees and speakers (or of their team-mates): anyone in the
    session is not free for meetings then."""
    clashes = rules.fixed_meetings_of(event, session, rules.fixed_meeting_times(event) if fixed is None else fixed)
    kept = {p.index for p in periods if not any(c.interval.overlaps(p.interval) for c in clashes)}
    if kept:
        return kept
    hit = [c for c in clashes if any(c.interval.overlaps(p.interval) for p in periods)]
    shown = "; ".join(rules.clash_text(event, c) for c in hit[:3])
    more = f"; and {len(hit) - 3} more" if len(hit) > 3 else ""
    spans = [when(p) for p in periods[:3]] + ([f"{len(periods) - 3} more"] if len(periods) > 3 else [])
    pinned = "it is pinned to" if session.pin_day or session.pin_start else "the periods it may use are"
    return (
        f"{pinned} {join_words(spans)}, and {'each' if len(periods) > 1 else 'it'} runs over a fixed meeting of "
        f"someone in it: {shown}{more}. "
        "Move the fixed meeting, or take the session off that person's Sessions (or Speakers)"
    )


def all_options(event: Event) -> Options:
    """Options of every session; raises SessionPlacementError for those with none."""
    periods = usable_periods(event)
    found: dict[str, list[Option]] = {}
    reasons: list[str] = []
    fixed = rules.fixed_meeting_times(event)
    for session in event.sessions:
        options = session_options(event, session, periods, fixed)
        if isinstance(options, str):
            reasons.append(options)
        else:
            found[session.key] = options
    if reasons:
        raise SessionPlacementError(reasons)
    result = Options(found, {p.index: p for p in event.periods})
    too_many = count_check(event, result)
    if too_many:
        raise SessionPlacementError(too_many)
    return result


def check_sessions(event: Event) -> list[str]:
    """Why some session cannot be placed at all (no usable period, room or free
    speaker; more sessions than room-periods), as place_sessions would refuse;
    cheap, without the model. ``scheduler validate`` runs it."""
    try:
        all_options(event)
    except SessionPlacementError as err:
        return err.reasons
    return []


# --------------------------------------------------------------------------- counting room-periods


def room_periods(options: Options, core: list[str]) -> dict[str, list[Period]]:
    """Room key -> the periods these sessions may use it in, in time order."""
    used: dict[str, set[int]] = {}
    for s in core:
        for p, r in options.by_session[s]:
            used.setdefault(r, set()).add(p)
    return {
        r: sorted((options.period[p] for p in ps), key=lambda p: (p.start, p.end)) for r, ps in used.items()
    }


def room_seats(periods: list[Period]) -> int:
    """Most sessions one room can hold in these periods (overlaps excluded)."""
    count, free_from = 0, None
    for p in sorted(periods, key=lambda p: p.end):
        if free_from is None or p.start >= free_from:
            count, free_from = count + 1, p.end
    return count


def listing(event: Event, usable: dict[str, list[Period]]) -> str:
    """Room-periods grouped by period: "2017-06-05 09:00–10:30 in A, B"."""
    rooms_at: dict[Period, list[str]] = {}
    for r, ps in usable.items():
        for p in ps:
            rooms_at.setdefault(p, []).append(event.room[r].name)
    ordered = sorted(rooms_at, key=lambda p: (p.start, p.end))
    return "; ".join(f"{when(p)} in {', '.join(rooms_at[p])}" for p in ordered)


def too_many(names: str, sessions: int, seats: int, usable: dict[str, list[Period]], listed: str) -> str:
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
        f"{names} cannot {both_or_all(range(sessions))} be placed: more sessions ({sessions}) than room-periods "
        f"they can use{where} ({seats}: {listed}{note})"
    )


def count_check(event: Event, options: Options) -> list[str]:
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
        usable = room_periods(options, group)
        seats = sum(room_seats(ps) for ps in usable.values())
        if seats < len(group):
            names = f"the {len(group)} sessions" if group is keys else sessions_text(event, group)
            text = too_many(names, len(group), seats, usable, listing(event, usable)) + _kept_off(event, group, options)
            return [located(event, group, text)]
    return []


def _kept_off(event: Event, keys: list[str], options: Options, most: int = 3) -> str:
    """The periods these sessions could use but for the fixed meetings of
    people in them, and those meetings: often the cause a count hides."""
    periods, times = usable_periods(event), rules.fixed_meeting_times(event)
    found: list[str] = []
    for key in keys:
        session = event.session[key]
        unfixed = session_options(event, session, periods, {})
        kept = {p for p, _ in options.by_session[key]}
        off = sorted({p for p, _ in unfixed if p not in kept} if isinstance(unfixed, list) else set())
        for p in off:
            clashes = [c for c in rules.fixed_meetings_of(event, session, times)
                       if c.interval.overlaps(options.period[p].interval)]
            found += [f"{session.id} not at {when(options.period[p])}: {rules.clash_text(event, c)}"
                      for c in clashes[:1]]
    if not found:
        return ""
    more = f"; and {len(found) - most} more" if len(found) > most else ""
    return f". Fixed meetings keep them off other periods: {'; '.join(found[:most])}{more}"
