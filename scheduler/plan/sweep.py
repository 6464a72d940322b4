"""Solving every scenario as one Dask task.

A sweep is independent solves, so it runs on Dask rather than a pool of our
own: the same code uses a ``LocalCluster`` on this machine or an existing
scheduler (``--cluster tcp://HOST:PORT``) whose workers may sit on other
machines. Tasks receive the parsed Event itself (scattered once per worker),
never a file path, so workers need the ``scheduler`` package but no shared
disk. Each task returns a :class:`ScenarioResult`, a failed scenario
included: one bad scenario is a row with its reason, not a crashed sweep.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from distributed.diagnostics.plugin import WorkerPlugin

from ..comfort import comfort
from ..engine.solve import SolveError, SolveOptions, solve
from ..model import Event
from ..schedule import Schedule
from ..verify import verify
from .scenarios import Scenario, notes, tables_per_day, variant

FAILED = "FAILED"
CANCELLED = "CANCELLED"
# Each worker of a LocalCluster offers one unit of this resource, so it runs
# one solve at a time with all its threads (CP-SAT workers) for that solve.
RESOURCE = "solve"


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    status: str  # the engine's (OPTIMAL, FEASIBLE, ...), FAILED or CANCELLED
    reason: str = ""  # why the scenario failed, in plain words
    notes: str = ""  # what the scenario changed beyond its values
    tables_per_day: str = ""
    slots: int = 0
    meetings: int = 0
    score: float = 0.0
    bound: float = 0.0
    met: tuple[int, int, int] = (0, 0, 0)  # High, Medium, Low requests met
    requests: tuple[int, int, int] = (0, 0, 0)  # High, Medium, Low requests that count
    attendees_met: float = 0.0  # share of attendees with at least one meeting
    idle_slots: int = 0
    seconds: float = 0.0
    schedule: Schedule | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return self.status not in (FAILED, CANCELLED)

    @property
    def gap(self) -> float:
        return max(0.0, (self.bound - self.score) / self.bound) if self.bound > 0 else 0.0


def solve_scenario(
    event: Event, scenario: Scenario, options: SolveOptions, cancel: str | None = None
) -> ScenarioResult:
    """The Dask task: solve one variant of ``event``; never raises.

    ``cancel`` names a Dask Event that the client sets on Ctrl-C: the solve
    then stops at its next step instead of running to its time limit."""
    started = time.monotonic()
    try:
        local = variant(event, scenario)
        with _stop_on(cancel) as stop:
            schedule = solve(local, options, stop=stop)
    except SolveError as err:
        return _failed(scenario, "; ".join(err.reasons), started)
    except Exception as err:  # noqa: BLE001 - a row with the reason, not a crashed sweep
        return _failed(scenario, f"internal error: {type(err).__name__}: {err}", started)
    problems = verify(local, schedule)
    if problems:
        return _failed(
            scenario, f"internal error: the schedule breaks a rule: {problems[0].render()}", started
        )
    result = measure(local, scenario, schedule, time.monotonic() - started)
    return replace(result, notes="; ".join(notes(event, local)))


def measure(event: Event, scenario: Scenario, schedule: Schedule, seconds: float) -> ScenarioResult:
    """The row figures of one solved scenario."""
    met = {m.pair for m in schedule.meetings}
    counted = [q for q in event.requests if q.priority in (1, 2, 3) and not q.excluded]
    wanted = Counter(q.priority for q in counted)
    got = Counter(q.priority for q in counted if q.pair in met)
    people = {k for m in schedule.meetings for side in (m.a, m.b) for k in _members(event, side)}
    f = schedule.figures
    return ScenarioResult(
        scenario=scenario,
        status=f.status.value if f.status else "",
        tables_per_day=tables_per_day(event),
        slots=len(event.slots),
        meetings=len(schedule.meetings),
        score=f.score,
        bound=f.bound,
        met=(got[1], got[2], got[3]),
        requests=(wanted[1], wanted[2], wanted[3]),
        attendees_met=len(people) / len(event.attendees) if event.attendees else 0.0,
        idle_slots=comfort(event, schedule).idle_slots,
        seconds=round(seconds, 2),
        schedule=schedule,
    )


def _members(event: Event, side: str) -> tuple[str, ...]:
    party = event.party.get(side)
    return party.members if party else (side,)


def _failed(scenario: Scenario, reason: str, started: float) -> ScenarioResult:
    return ScenarioResult(scenario, FAILED, reason, seconds=round(time.monotonic() - started, 2))


@contextmanager
def _stop_on(cancel: str | None) -> Iterator[threading.Event]:
    """A stop flag for the engine, set when the Dask Event ``cancel`` is set."""
    stop = threading.Event()
    if cancel is None:
        yield stop
        return
    from distributed import Event as DaskEvent
    from distributed import get_client

    # The worker's client is found from the task's thread only, so it is looked up here.
    flag = DaskEvent(cancel, client=get_client())
    finished = threading.Event()

    def watch() -> None:
        # Short looks rather than a long flag.wait(): a wait still pending at
        # the scheduler when the cluster closes is logged there as an error.
        while not finished.wait(0.5):
            try:
                if flag.is_set():
                    stop.set()
                    return
            except Exception:  # noqa: BLE001 - scheduler gone: the worker is closing anyway
                return

    watcher = threading.Thread(target=watch, name="plan-cancel", daemon=True)
    watcher.start()
    try:
        yield stop
    finally:
        finished.set()
        watcher.join(timeout=5)


# ---------------------------------------------------------------- the sweep


class ClusterError(Exception):
    """The Dask scheduler given with --cluster cannot be used."""


@dataclass(frozen=True)
class Cluster:
    """Where to run: an existing scheduler's address, or a LocalCluster."""

    address: str | None = None
    workers_per_solve: int = 1
    local_workers: int | None = None  # default: the machine's cores / workers_per_solve
    processes: bool = True  # False: worker threads in this process (tests)
    connect_seconds: float = 10.0  # how long to try reaching ``address``


def sweep(
    event: Event,
    scenarios: Sequence[Scenario],
    options: SolveOptions,
    cluster: Cluster,
    *,
    on_result: Callable[[ScenarioResult, int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> list[ScenarioResult]:
    """Every scenario solved, in scenario order. When ``stop`` is set, the
    remaining tasks are cancelled and their rows say CANCELLED."""
    options = replace(options, workers=cluster.workers_per_solve)
    with connect(cluster) as client:
        return _run(client, event, scenarios, options, on_result, stop or threading.Event())


@contextmanager
def connect(cluster: Cluster) -> Iterator[object]:
    from distributed import Client, LocalCluster

    if cluster.address:
        try:
            client = Client(cluster.address, timeout=f"{cluster.connect_seconds}s")
        except (OSError, TimeoutError, ValueError) as err:
            raise ClusterError(f"cannot reach the Dask scheduler at {cluster.address}: {err}") from None
        with client:
            yield client
        return
    workers = cluster.local_workers or max(1, _cores() // max(1, cluster.workers_per_solve))
    # Worker processes talk to the scheduler on loopback only; worker threads in-process.
    where = {"host": "127.0.0.1"} if cluster.processes else {}
    local = LocalCluster(
        n_workers=workers,
        threads_per_worker=cluster.workers_per_solve,
        processes=cluster.processes,
        # Dask's HTTP endpoints (health, metrics) start anyway: on loopback, any free port.
        dashboard_address="127.0.0.1:0",
        worker_dashboard_address="127.0.0.1:0",
        **where,
        resources={RESOURCE: 1},
        silence_logs=logging.ERROR,
    )
    with local, Client(local) as client:
        if cluster.processes:
            client.register_plugin(_DetachFromTerminal())
        yield client


class _DetachFromTerminal(WorkerPlugin):
    """A Dask worker plugin for the worker processes of our LocalCluster: a
    new session, so a Ctrl-C at the terminal reaches only the client, which
    cancels the sweep cleanly. (CP-SAT catches SIGINT itself while it solves,
    and a worker process that got it died mid-solve.)"""

    name = "scheduler-detach-from-terminal"

    def setup(self, worker: object) -> None:
        with contextlib.suppress(OSError):  # already a session leader
            os.setsid()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run(
    client,
    event: Event,
    scenarios: Sequence[Scenario],
    options: SolveOptions,
    on_result: Callable[[ScenarioResult, int, int], None] | None,
    stop: threading.Event,
) -> list[ScenarioResult]:
    from distributed import Event as DaskEvent
    from distributed import as_completed

    run = uuid.uuid4().hex[:12]
    cancel = f"scheduler-plan-{run}"
    flag = DaskEvent(cancel, client=client)
    shipped = client.scatter(event, broadcast=True)
    resources = {RESOURCE: 1} if _offers_resource(client) else None
    position = {}
    for i, s in enumerate(scenarios):
        future = client.submit(
            solve_scenario,
            shipped,
            s,
            options,
            cancel,
            key=f"plan-{run}-{i}",
            resources=resources,
            pure=False,
        )
        position[future.key] = (i, future)
    results: dict[int, ScenarioResult] = {}
    pending = as_completed([f for _, f in position.values()], with_results=False)
    try:
        while not pending.is_empty() and not stop.is_set():
            for future in pending.next_batch(block=False):
                i, _ = position[future.key]
                results[i] = _result_of(future, scenarios[i])
                if on_result is not None:
                    on_result(results[i], len(results), len(scenarios))
            stop.wait(0.2)
    finally:
        if len(results) < len(scenarios):
            flag.set()  # running solves stop at their next step
            client.cancel([f for i, f in position.values() if i not in results])
    return [results.get(i, ScenarioResult(s, CANCELLED, "cancelled")) for i, s in enumerate(scenarios)]


def _result_of(future, scenario: Scenario) -> ScenarioResult:
    """The task's result, or a failed row when the task itself died (a worker
    lost, the package missing on a remote worker)."""
    try:
        return future.result()
    except Exception as err:  # noqa: BLE001
        return ScenarioResult(scenario, FAILED, f"the Dask task failed: {type(err).__name__}: {err}")


def _offers_resource(client) -> bool:
    """Workers started by us offer one solve each; a foreign cluster's workers
    may offer none, and a task asking for it would then wait for ever."""
    workers = client.scheduler_info().get("workers", {}).values()
    return any(RESOURCE in (w.get("resources") or {}) for w in workers)
