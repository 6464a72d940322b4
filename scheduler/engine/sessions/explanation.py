"""Why the sessions cannot all be placed: the smallest sets of sessions that
cannot be placed together, each in plain words."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.model import Event
from scheduler.problems import join_words

from .. import cpsat
from .model import hard_model, parameters
from .options import Options, listing, room_periods, room_seats, too_many
from .words import both_or_all, located, person, sessions_text, when


def explain_infeasible(event: Event, options: Options) -> list[str]:
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


def _feasible(event: Event, options: Options, keys: Sequence[str]) -> tuple[bool, list[str]]:
    """Can these sessions all be placed? If not, a set of them that cannot."""
    hm = hard_model(event, options, keys, diagnose=True)
    solver = cp_model.CpSolver()
    parameters(solver, 2.0, 0, 1)
    status = cpsat.solve(solver, hm.model)
    if status != cp_model.INFEASIBLE:
        return True, []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    culprits = [s for s in keys if hm.wanted[s].index in core]
    return False, culprits or list(keys)


def _minimal_conflict(event: Event, options: Options, keys: list[str]) -> list[str]:
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


def _describe_conflict(event: Event, options: Options, core: list[str]) -> str:
    return located(event, core, _conflict_text(event, options, core))


def _conflict_text(event: Event, options: Options, core: list[str]) -> str:
    names = sessions_text(event, core)
    usable = room_periods(options, core)
    seats = sum(room_seats(ps) for ps in usable.values())
    listed = listing(event, usable)
    if seats < len(core):
        return too_many(names, len(core), seats, usable, listed)
    shared = _shared_speakers(event, core)
    if shared:
        talks = "; ".join(f"{person(event, sp)} speaks at {join_words(ss)}" for sp, ss in shared)
        periods = sorted(
            {options.period[p] for s in core for p, _ in options.by_session[s]}, key=lambda p: p.start
        )
        return (
            f"{names} cannot {both_or_all(core)} be placed: speakers cannot be in two places at once ({talks}), "
            f"and the periods open to these sessions do not allow them at different times "
            f"({', '.join(when(p) for p in periods)})"
        )
    return f"{names} cannot {both_or_all(core)} be placed together: they can only use these rooms and periods ({listed})"


def _shared_speakers(event: Event, core: Sequence[str]) -> list[tuple[str, list[str]]]:
    talks: dict[str, list[str]] = {}
    for s in core:
        for sp in event.session[s].speakers:
            talks.setdefault(sp, []).append(event.session[s].id)
    return [(sp, ss) for sp, ss in talks.items() if len(ss) > 1]
