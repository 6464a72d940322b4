"""Every tuning value of the meetings engine, in one frozen object.

The engine's phases read their numbers from here, never from literals, so a
test or a benchmark can change one value and see what it does:

    options = SolveOptions(time_limit=60, params=EngineParams(lns=LnsParams(start_size=20)))

The defaults are the values the engine tests (exact optima of small events)
and the benchmarks were run with; changing them changes results, not rules:
every schedule the engine returns keeps the contract whatever they are.
Grouped by phase, after PyVRP's ``SolveParams``. The session phase
(``sessions/model.py``) keeps its own calibration for now.
"""

from __future__ import annotations

from dataclasses import dataclass


def _check(group: object, *, shares: tuple[str, ...] = (), positive: tuple[str, ...] = ()) -> None:
    """Refuse values that would break the time limit or stall a phase, naming the field."""
    for name in shares:
        value = getattr(group, name)
        if not 0 < value <= 1:
            raise ValueError(f"{type(group).__name__}.{name} is a share of the time limit: {value} is not in (0, 1]")
    for name in positive:
        value = getattr(group, name)
        if value <= 0:
            raise ValueError(f"{type(group).__name__}.{name} must be above 0, not {value}")


@dataclass(frozen=True)
class StageShares:
    """When each phase of ``solve`` must end, as shares of ``SolveOptions.time_limit``
    counted from the start of the run, and the seconds kept back for the
    phases after it. The phases end in this order, so each keeps the limit."""

    sessions_end: float = 0.5
    """The session placement must end by this share, even with an explicit
    ``session_time_limit``, leaving the meetings at least the rest."""
    sessions_share: float = 0.15
    """Default session time limit (``session_time_limit=None``), within
    ``sessions_min_seconds`` and ``sessions_max_seconds``."""
    sessions_min_seconds: float = 1.0
    """Floor of the default session time limit: below it the session model
    rarely proves its first placement."""
    sessions_max_seconds: float = 30.0
    """Ceiling of the default session time limit: sessions are a small model
    whatever the event's size; the meetings need the time."""
    sessions_overrun: float = 2.0
    """The session phase's wall-clock deadline, in session time limits (its
    limit is counted in deterministic time, which a loaded machine stretches)."""
    bound_share: float = 0.35
    """The LP bound may use up to this share of the time limit... (a quarter
    was too little for 1,500 attendees with 25% hosts at 60 s: HiGHS needs
    15-20 s there, and without the LP the construction has no guide and the
    bound is the weak capacity bound; when the LP ends sooner nothing is lost)."""
    bound_end: float = 0.6
    """...and must end by this share, leaving the rest to construction and search."""
    construct_end: float = 0.8
    """The constructive phase stops placing by this share; what it placed is a
    valid timetable."""
    search_share: float = 0.45
    """The search's work is planned for this share of the time limit (less
    the session phase's limit when sessions are placed in the run), counted
    in CP-SAT deterministic units (``EngineParams.deterministic_per_second``),
    so that two runs do the same work whatever the earlier phases' wall time.
    The rest covers the LP, the construction and the comfort pass."""
    improve_end: float = 0.85
    """The large-neighbourhood search ends by this share, less ``improve_reserve``,
    its planned work done or not (then the run may not repeat)."""
    improve_reserve: float = 0.5
    """Seconds kept back from the search for the tables phase and writing."""
    compact_end: float = 0.9
    """The greedy comfort passes stop by this share."""
    comfort_share: float = 0.15
    """The exact comfort pass may use up to this share of the time limit...
    (0.08 left 400 attendees with 10% hosts at 1.64-1.67 idle slots per
    attendee-day, above the first-come-first-served peer's 1.60; 0.15 gave
    1.53. The search ends by its work budget well before ``improve_end``
    on most events, so the time was there.)"""
    comfort_end: float = 0.93
    """...and must end by this share, less ``comfort_reserve``."""
    comfort_reserve: float = 0.3
    """Seconds kept back from the exact comfort pass for the tables phase."""
    late_bound_end: float = 0.95
    """When the LP's simplex did not finish, a first-order solver (PDLP) may
    use the time left until this share for a tighter bound: the schedule is
    complete by then and stays as it is. The rest is for the tables phase."""
    late_bound_min_seconds: float = 1.0
    """Below this many seconds left, PDLP is not started: it would end far
    from the LP's optimum, with a bound no tighter than the capacity bound."""

    def __post_init__(self) -> None:
        ends = ("bound_end", "construct_end", "improve_end", "compact_end", "comfort_end", "late_bound_end")
        _check(self, shares=("sessions_end", "sessions_share", "bound_share", "search_share", "comfort_share", *ends))
        _check(self, positive=("sessions_min_seconds", "sessions_max_seconds", "sessions_overrun", "late_bound_min_seconds"))
        for earlier, later in zip(ends, ends[1:], strict=False):
            if getattr(self, earlier) > getattr(self, later):
                raise ValueError(f"StageShares.{earlier} must not come after {later}: the phases run in that order")
        if self.sessions_min_seconds > self.sessions_max_seconds:
            raise ValueError("StageShares.sessions_min_seconds is above sessions_max_seconds")


@dataclass(frozen=True)
class ConstructParams:
    """The constructive phase (``place.py``)."""

    reserve_at: tuple[float, ...] = (0.4, 0.6)
    """One greedy pass per value, each from the same start, and the best
    timetable is kept (the first on ties): in a pass, the hosts the LP gives
    at least this much of a table on a day keep one reserved that day. Which
    value is best depends on the event, and the search rarely undoes the
    construction's choice of host-days (measured at 400 attendees, 10 s:
    without reservations 25% hosts ended at 5,709 instead of 5,880). Passes
    at 0.3-0.9 at 400 and 1,500 attendees: 0.4 was best for 25% hosts (400)
    and scarce tables (5,664.5 against 5,656.5 at 0.5), 0.6 for 10% hosts with
    scarce tables (400: 5,545.5 against 5,515.5) and for 10% and 25% hosts
    at 1,500; 0.5, the single value before, was never more than 6.5 points
    above the better of the two. Values that reserve the same host-days
    share one pass, so an event with few hosts pays for one."""

    def __post_init__(self) -> None:
        if not self.reserve_at or any(not 0 < v <= 1 for v in self.reserve_at):
            raise ValueError("ConstructParams.reserve_at needs at least one value, each in (0, 1]")


@dataclass(frozen=True)
class LnsParams:
    """The large-neighbourhood search (``repair.py``): how many parties each
    CP-SAT sub-model frees and how much work each may do."""

    start_size: int = 30
    """Parties in a neighbourhood at the first round."""
    min_size: int = 12
    """Neighbourhoods never shrink below this many parties..."""
    max_size: int = 120
    """...nor grow above this many."""
    size_step: int = 5
    """After a round whose sub-models were all solved to optimality the size
    grows by this much (there is room for more), else it shrinks by as much."""
    max_choices: int = 50_000
    """Most (request, slot) choices one sub-model holds: a neighbourhood stops
    growing there. Building a sub-model costs about 13 µs a choice in Python,
    outside any solver's time limit; with 861 slots a day (5-minute meetings
    all day) two sub-models of 30 parties held 488,000 and took 6.5 s, so
    ``--time-limit 5`` ran 7.8 s. At the benchmark's shapes a sub-model holds
    far fewer, and this never binds."""
    min_step_work: float = 0.05
    """Least deterministic time (CP-SAT units) one sub-model may use..."""
    max_step_work: float = 0.5
    """...and the most: the remaining budget is shared among a round's
    sub-models within these two."""
    min_steps: int = 20
    """A short search is spread over at least this many sub-models (counted
    over all lanes): one sub-model's work is also at most the whole budget
    over this. A few long solves that end unproven gain less than many short
    ones (measured at 400 attendees with a 10 s limit, two seeds each: up
    to 8 points more on the sample and on 10% and 25% hosts, never less);
    from 10 units of budget (1,500 attendees at 60 s has about 12) the cap
    is ``max_step_work`` again."""
    asked_sample: int = 4
    """Unmet requests of each party taken into its neighbourhood at random
    (besides everyone it already meets)."""

    def most_step_work(self, budget: float) -> float:
        """The most work one sub-model may do in a search of ``budget``."""
        return max(self.min_step_work, min(self.max_step_work, budget / self.min_steps))

    def __post_init__(self) -> None:
        _check(self, positive=("start_size", "min_size", "max_size", "min_step_work", "max_step_work", "min_steps"))
        if not self.min_size <= self.start_size <= self.max_size:
            raise ValueError("LnsParams.start_size must lie between min_size and max_size")
        if self.min_step_work > self.max_step_work:
            raise ValueError("LnsParams.min_step_work is above max_step_work")
        if self.size_step < 0 or self.asked_sample < 0:
            raise ValueError("LnsParams.size_step and asked_sample cannot be negative")


@dataclass(frozen=True)
class ComfortParams:
    """The comfort phase (``compact.py``): closing idle gaps in attendees' days."""

    greedy_passes: int = 3
    """Greedy passes over every meeting before the exact pass (a pass that
    moves nothing ends them early)."""
    parties: int = 16
    """Parties per exact sub-model: small enough to solve exactly in a few ms."""
    steps_per_second: int = 6
    """Exact sub-models per second of comfort time and per worker (with two
    workers, two sub-models on different days are solved at once; measured
    at 400 attendees with 10% hosts: 18 steps, idle slots per attendee-day
    1.57, against 1.63 with the 9 steps of one lane): counted, not timed, so a
    run is repeatable when the count, not the wall clock, ends the pass (when
    the clock does, the Summary says the run may not repeat). Each sub-model
    does ``step_work`` of CP-SAT work, about 0.1 s: measured 12-15 sub-models
    a CPU second at 400 and 1,500 attendees and about 8 on SEUS 2017
    (``make bench ONLY=calibration``), so 6 leaves the count in charge on
    the 2-core reference machine (it was 30, which the clock always cut)."""
    step_work: float = 0.02
    """Deterministic time (CP-SAT units) of each exact sub-model."""
    worst_share: float = 0.25
    """Each exact step starts around a party-day drawn from this share of
    the party-days with the most idle slots."""

    def __post_init__(self) -> None:
        _check(self, shares=("worst_share",), positive=("parties", "step_work"))
        if self.greedy_passes < 0 or self.steps_per_second < 0:
            raise ValueError("ComfortParams.greedy_passes and steps_per_second cannot be negative")


@dataclass(frozen=True)
class EngineParams:
    """All tuning values of the meetings engine; ``SolveOptions.params``."""

    stages: StageShares = StageShares()
    """Shares of the time limit per phase."""
    construct: ConstructParams = ConstructParams()
    """The constructive phase."""
    lns: LnsParams = LnsParams()
    """The large-neighbourhood search."""
    comfort: ComfortParams = ComfortParams()
    """The comfort phase."""
    deterministic_per_second: float = 0.13
    """CP-SAT deterministic time units per wall-clock second and per worker
    on the 2-core reference machine, measured on the LNS sub-models (the
    deterministic time CP-SAT reports, over the wall time of the same
    solves) and kept low, so that the budget, not the wall clock, ends the
    search: counting the LNS budget in these units is what makes a run with
    the same seed and workers repeatable. ``make bench ONLY=calibration``
    re-measures it (benchmarks/results/calibration.md: about 0.25 a CPU
    second with one worker on SEUS 2017; less per wall second when other
    work loads the machine, and then the wall clock ends the search). At
    0.15 with the short steps of a 10 s search (``min_steps``), the wall
    clock ended 7 of 8 runs at 400 attendees with many hosts, caps or
    scarce tables (Python builds each sub-model); at 0.13, none of 8, at
    equal or better scores."""

    lp_columns_per_second: float = 10_000.0
    """The LP bound is tried only when it has at most this many variables
    (one per request and day it can meet) per second of its time share. It
    built and solved 7,000 in 0.7 s (400 attendees), 32,000 in 16 s (1,500
    with 25% hosts) and 92,000 in 25 s (5,000 with 10% hosts); at 10,000
    attendees with ``--time-limit 20`` (177,000 in 6 s) it never finished
    and its seconds were the constructive phase's loss."""

    lp_interior_point_columns: int = 50_000
    """From this many variables the LP is solved by HiGHS's interior point
    method, below it by its simplex. Seconds to solve (build excluded), simplex /
    interior point: 400 attendees 0.1 / 0.3 (1.7 / 1.3 with 25% hosts); 1,500
    with 10% hosts 1.9 / 5.4, with 25% hosts 9.6 / 10.6; 5,000 (87,000
    variables) sample 6.6 / 20.2, 10% hosts 18.3 / 28.9, with 25% hosts more
    than 600 / 74; 10,000 (177,000 variables) sample 22.3 / 60.7, 10% hosts
    more than 300 / 120. The simplex's time grows out of reach on large LPs
    with hosts (its iterations were five times slower with 25% hosts than with
    10% at 5,000), the interior point method's grows steadily: it costs the
    other large LPs up to three times the simplex's time and saves the LP,
    the construction's guide, where the simplex would not finish."""

    def __post_init__(self) -> None:
        if self.lp_columns_per_second <= 0:
            raise ValueError("EngineParams.lp_columns_per_second must be positive")
        if self.lp_interior_point_columns < 0:
            raise ValueError("EngineParams.lp_interior_point_columns cannot be negative")
        if self.deterministic_per_second < 0:  # 0: no search, the constructive timetable stands
            raise ValueError("EngineParams.deterministic_per_second cannot be negative")

