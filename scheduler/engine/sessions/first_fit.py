"""First fit, the sessions' baseline: what a placement without search gets.

The solver starts from it, and the tests check that the solver does better."""

from __future__ import annotations

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
    taken: list[tuple[str, Period]] = []  # (room key, period)
    talking: list[tuple[str, Period]] = []  # (speaker, period)
    placed: list[SessionPlacement] = []
    by_period = {p.index: p for p in periods}
    fixed = fixed_meeting_times(event)
    for session in event.sessions:
        options = session_options(event, session, periods, fixed)
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
