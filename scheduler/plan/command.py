"""The body of ``scheduler plan``: read, sweep with progress lines, write.

Kept out of cli.py, which only declares the options; exit codes as there:
2 bad input or an unreachable cluster, 130 interrupted (nothing written).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

from ..engine.solve import SolveOptions
from .report import recommendation
from .scenarios import ScenarioValueError, scenarios
from .sweep import Cluster, ClusterError, ScenarioResult, sweep
from .write import write_plan


@dataclass(frozen=True)
class PlanRequest:
    files: tuple[str, ...]
    out: Path
    tables: tuple[int, ...]
    meeting_minutes: tuple[int, ...]
    buffer_minutes: tuple[int, ...]
    spare: tuple[str, ...]
    options: SolveOptions
    cluster: Cluster
    documents: bool = True
    quiet: bool = False


def run_plan(request: PlanRequest, stop: threading.Event, echo: Callable[[str], None]) -> int:
    """Exit status of the whole command."""
    from ..io.read import read_event

    event = read_event(request.files).event
    try:
        wanted = scenarios(
            event, request.tables, request.meeting_minutes, request.buffer_minutes, request.spare
        )
    except ScenarioValueError as err:
        raise click.UsageError(str(err)) from None
    where = request.cluster.address or "a local Dask cluster"
    echo(f"Solving {len(wanted)} scenarios on {where}, {request.options.time_limit:g} s each...")
    try:
        results = sweep(event, wanted, request.options, request.cluster, on_result=_progress(echo), stop=stop)
    except ClusterError as err:
        echo(f"error: {err}; start one with `dask scheduler` and `dask worker`, or leave out --cluster")
        return 2
    if stop.is_set():
        done = sum(r.status != "CANCELLED" for r in results)
        echo(f"Interrupted: {done} of {len(results)} scenarios finished; nothing written.")
        return 130
    subtitle = f"{len(results)} scenarios, {request.options.time_limit:g} s each, seed {request.options.seed}"
    write_plan(event, results, request.out, subtitle, documents=request.documents)
    for line in recommendation(results):
        click.echo(line)
    click.echo(f"Wrote plan.xlsx, plan.html and best/ (the best scenario's outputs) to {request.out}")
    return 0


def _progress(echo: Callable[[str], None]) -> Callable[[ScenarioResult, int, int], None]:
    def show(r: ScenarioResult, done: int, total: int) -> None:
        head = f"[{done}/{total}] {r.scenario.label}:"
        if r.ok:
            echo(f"{head} score {r.score:,.1f}, bound {r.bound:,.1f} (gap {r.gap:.2%}), "
                 f"{r.meetings} meetings, {r.seconds:.1f} s")  # fmt: skip
        else:
            echo(f"{head} {r.status}: {r.reason}")

    return show
