"""Sweeps on real Dask clusters: one started in this process, and a scheduler
and worker started as separate processes (as on other machines)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from scheduler.engine.solve import SolveOptions
from scheduler.io.read import read_event
from scheduler.model import FixedMeeting
from scheduler.plan import sweep as sweep_mod
from scheduler.plan.scenarios import scenarios
from scheduler.plan.sweep import CANCELLED, FAILED, Cluster, connect, solve_scenario, sweep

SAMPLE = Path(__file__).resolve().parents[2] / "inputs" / "seus-cp-2017.xlsx"
FAST = SolveOptions(time_limit=1, seed=0)
IN_PROCESS = Cluster(local_workers=1, processes=False)  # one worker thread in this process: quick to start


def test_a_2x2_sweep_gives_every_scenario_its_hand_worked_best(tiny):
    seen = []
    found = scenarios(tiny, tables=[1, 2], meeting_minutes=[20, 30])
    results = sweep(
        tiny, found, FAST, IN_PROCESS, on_result=lambda r, done, total: seen.append((done, total))
    )
    assert [r.scenario for r in results] == found  # in scenario order, whatever order they finished in
    # T tables x S slots (3 of 20 minutes, 2 of 30) meet T x S of the nine requests, 4 points each.
    assert [(r.meetings, r.score) for r in results] == [(3, 12.0), (2, 8.0), (6, 24.0), (4, 16.0)]
    assert all(r.ok and r.bound == pytest.approx(r.score) for r in results)
    assert [r.met[0] for r in results] == [3, 2, 6, 4] and {r.requests for r in results} == {(9, 0, 0)}
    people = {k for m in results[2].schedule.meetings for k in m.pair}
    assert results[2].attendees_met == len(people) / 6
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_more_tables_never_give_a_lower_score(tiny):
    results = sweep(tiny, scenarios(tiny, tables=[1, 2, 3, 4, 5]), FAST, IN_PROCESS)
    scores = [r.score for r in results]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_a_failing_scenario_is_a_row_with_its_reason(tiny):
    # A meets D at 9:00 and E at 9:25: with 30-minute meetings both move to the 9:00 slot.
    fixed = (
        FixedMeeting("a", "d", datetime(2017, 6, 5, 9, 0), origin="tiny.xlsx › Fixed meetings › row 2"),
        FixedMeeting("a", "e", datetime(2017, 6, 5, 9, 25), origin="tiny.xlsx › Fixed meetings › row 3"),
    )
    event = replace(tiny, fixed=fixed)
    short, long = sweep(event, scenarios(event, meeting_minutes=[20, 30]), FAST, IN_PROCESS)
    assert short.ok and short.meetings == 9 and short.notes == ""
    assert long.status == FAILED and not long.ok
    assert "row 3" in long.reason and "row 2" in long.reason


def test_a_stop_cancels_the_scenarios_not_finished(tiny):
    stop = threading.Event()
    stop.set()  # Ctrl-C before any result came back
    results = sweep(tiny, scenarios(tiny, tables=[1, 2, 3]), FAST, IN_PROCESS, stop=stop)
    assert [(r.status, r.reason) for r in results] == [(CANCELLED, "cancelled")] * 3


def test_a_running_solve_stops_when_the_sweep_is_cancelled(tmp_path):
    """Without the cancel flag this solve would run for ten minutes."""
    from distributed import Event as DaskEvent

    from scheduler.example import write_example

    # 1,500 attendees: still placing sessions or in the LP when the flag comes.
    # (The 400 of the sample were not enough: on a fast machine the search
    # reached the bound, and so ended OPTIMAL, before the flag.)
    event = read_event(write_example(tmp_path / "big.xlsx", attendees=1500, seed=3)).event
    with connect(IN_PROCESS) as client:
        flag = DaskEvent("cancel-test", client=client)
        future = client.submit(
            solve_scenario,
            event,
            scenarios(event)[0],
            SolveOptions(time_limit=600, session_time_limit=1),
            "cancel-test",
        )
        while not client.processing().get(next(iter(client.scheduler_info()["workers"]))):
            time.sleep(0.05)
        time.sleep(2)  # into the search
        flag.set()
        result = future.result(timeout=120)
    assert result.status == "INTERRUPTED" and result.meetings > 0


# ---------------------------------------------------------------- separate processes


def _start(args: list[str], pattern: str, log: Path) -> tuple[subprocess.Popen, str]:
    """Start a dask command and wait for ``pattern`` in its log."""
    handle = log.open("w")
    proc = subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, cwd=log.parent)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text())
        if found:
            return proc, found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise AssertionError(f"{args[1:3]} did not start:\n{log.read_text()}")


@pytest.fixture
def dask_cluster(tmp_path: Path):
    """A Dask scheduler and one worker, each its own process, on loopback."""
    dask = str(Path(sys.executable).with_name("dask"))
    scheduler, address = _start(
        [dask, "scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0"],
        r"Scheduler at:\s+(tcp://127\.0\.0\.1:\d+)",
        tmp_path / "scheduler.log",
    )
    worker = None
    try:
        worker, _ = _start(
            [
                dask,
                "worker",
                address,
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--no-nanny",
            ],
            r"(Registered to)",
            tmp_path / "worker.log",
        )
        yield address
    finally:
        for proc in (worker, scheduler):
            if proc is not None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()


def test_a_sweep_runs_on_a_separately_started_scheduler_and_worker(
    tiny_book, dask_cluster, monkeypatch, tmp_path
):
    event = read_event([str(tiny_book)]).event
    tiny_book.unlink()  # the worker gets the parsed event, never the file
    monkeypatch.setattr("distributed.LocalCluster", _no_local_cluster)
    results = sweep(event, scenarios(event, tables=[1, 2]), FAST, Cluster(address=dask_cluster))
    assert [(r.status, r.meetings) for r in results] == [("OPTIMAL", 3), ("OPTIMAL", 6)]
    # The tasks ran in the worker's process, not in this one.
    from distributed import Client

    with Client(dask_cluster) as client:
        pids = client.run(os.getpid)
    assert pids and os.getpid() not in pids.values()


def test_an_unreachable_cluster_is_a_clear_error(tiny):
    with pytest.raises(
        sweep_mod.ClusterError, match=r"cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9"
    ):
        sweep(tiny, scenarios(tiny), FAST, Cluster(address="tcp://127.0.0.1:9", connect_seconds=1))


def _no_local_cluster(*_a, **_k):
    raise AssertionError("a LocalCluster was started although --cluster was given")
