"""Plain words for periods, sessions, people and lists, in the sessions' reasons."""

from __future__ import annotations

from collections.abc import Sequence

from scheduler.model import Event, Period, Session
from scheduler.problems import join_words, rows_text


def when(period: Period) -> str:
    return f"{period.day.isoformat()} {period.start:%H:%M}–{period.end:%H:%M}"


def session_label(session: Session) -> str:
    return f"session {session.id}" + (f" ({session.title})" if session.title else "")


def sessions_text(event: Event, keys: Sequence[str]) -> str:
    if len(keys) == 1:
        return session_label(event.session[keys[0]])
    return "sessions " + join_words([event.session[k].id for k in keys])


def person(event: Event, key: str) -> str:
    a = event.attendee.get(key)
    if a is None:
        return key
    return f"{a.id} ({a.name})" if a.name else a.id




def both_or_all(items: Sequence[object]) -> str:
    return "both" if len(items) == 2 else "all"


def located(event: Event, keys: Sequence[str], text: str, most_rows: int = 12) -> str:
    """``text`` after the Sessions rows of these sessions ("ev.xlsx › Sessions
    › rows 2, 3: …"), or after their sheet when they are many; as it is when
    a session was not read from a workbook."""
    origins = [event.session[k].origin for k in keys]
    if not origins or not all(origins):
        return text
    sheets = ", ".join(sorted({o.rpartition(" › row ")[0] for o in origins}))
    where = rows_text(origins) if len(origins) <= most_rows else sheets
    return f"{where}: {text}"
