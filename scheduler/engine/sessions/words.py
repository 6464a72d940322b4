"""Plain words for periods, sessions, people and lists, in the sessions' reasons."""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.model import Event, Period, Session


def when(period: Period) -> str:
    return f"{period.day.isoformat()} {period.start:%H:%M}–{period.end:%H:%M}"


def session_label(session: Session) -> str:
    return f"session {session.id}" + (f" ({session.title})" if session.title else "")


def sessions_text(event: Event, keys: Sequence[str]) -> str:
    if len(keys) == 1:
        return session_label(event.session[keys[0]])
    return "sessions " + join([event.session[k].id for k in keys])


def person(event: Event, key: str) -> str:
    a = event.attendee.get(key)
    if a is None:
        return key
    return f"{a.id} ({a.name})" if a.name else a.id


def join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def both_or_all(items: Sequence[object]) -> str:
    return "both" if len(items) == 2 else "all"
