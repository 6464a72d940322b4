"""First fit, the sessions' baseline: what a placement without search gets.

The solver starts from it, and the tests check that the solver does better."""

from __future__ import annotations

from collections import defaultdict

from scheduler.model import Event, Period
from scheduler.rules import fixed_meeting_times
from scheduler.schedule import SessionPlacement

from .options import session_options, usable_periods


def naive_placement(event: Event) -> tuple[SessionPlacement, ...]:
    """Sessions in input order, each in the earliest period and the first
    listed room that fits and is free (pins, speakers and capacity respected,
    clashes and tracks ignored). A session first fit cannot place is left
    out, so the result may be shorter."""
    periods = usable_periods(event)
    # By room and by speaker, so that a check looks only at that room's or
    # speaker's periods (a list of every placement made 500 sessions take 4 s).
    taken: dict[str, list[Period]] = defaultdict(list)
    talking: dict[str, list[Period]] = defaultdict(list)
    placed: list[SessionPlacement] = []
    by_period = {p.index: p for p in periods}
    fixed = fixed_meeting_times(event)
    for session in event.sessions:
        options = session_options(event, session, periods, fixed)
        if isinstance(options, str):
            continue
        for p, r in options:
            period = by_period[p]
            room_busy = any(period.interval.overlaps(q.interval) for q in taken[r])
            speaker_busy = any(period.interval.overlaps(q.interval) for sp in session.speakers for q in talking[sp])
            if not room_busy and not speaker_busy:
                taken[r].append(period)
                for sp in session.speakers:
                    talking[sp].append(period)
                placed.append(SessionPlacement(session.key, p, event.room[r].name))
                break
    return tuple(placed)
