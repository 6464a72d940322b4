"""Sector-track sessions into session rooms and Sessions periods (CP-SAT).

Each session gets one period (a Sessions block; it runs the whole block) and
one session room open that day, big enough for its expected audience, with
its speakers present and free: the session rules of ``scheduler.rules``,
which ``verify`` checks too. Soft goals, strictly in this order: no attendee
has two of their sessions at overlapping times; sessions of one track not in
parallel; a track keeps one room through a day; big audiences in big rooms;
sessions away from meeting time, weighted by meeting load.

The order is kept by solving in stages: each stage minimises one goal and
then holds it at the value found while the next goals are improved.
Periods may overlap each other and Meetings blocks, so "at the same time"
always means overlapping intervals, never "same period index".

The modules, in the order a placement goes through them: ``options`` (what
each session may use, and the checks before solving), ``model`` (the hard
model and the solver's settings), ``goals`` (the soft goals), ``solve`` (the
stages), ``explanation`` (why sessions cannot be placed); ``first_fit`` is
the baseline; ``words`` writes periods, sessions and people in the reasons.
"""

from .options import SessionPlacementError, check_sessions
from .solve import place_sessions, sessions_infeasible

__all__ = ["SessionPlacementError", "check_sessions", "place_sessions", "sessions_infeasible"]
