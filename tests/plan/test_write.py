"""A plan on disk: swapped in whole, never mixed with an earlier plan."""

from __future__ import annotations

from pathlib import Path

from scheduler.plan.scenarios import Scenario
from scheduler.plan.sweep import FAILED, ScenarioResult
from scheduler.plan.write import write_plan


def test_a_plan_where_nothing_could_be_scheduled_leaves_no_earlier_best_schedule(tiny, tmp_path: Path):
    out = tmp_path / "plans"
    (out / "best").mkdir(parents=True)
    (out / "best" / "schedule.xlsx").write_text("an earlier plan's best schedule")
    (out / "mine.txt").write_text("kept")
    failed = [ScenarioResult(Scenario(1, 30, 5, "0"), FAILED, "not a slot start")]
    write_plan(tiny, failed, out, "1 scenario")
    assert sorted(p.name for p in (out / "best").iterdir()) == ["NO-SCHEDULE.txt"]
    assert (out / "plan.xlsx").exists() and (out / "plan.html").exists()
    assert (out / "mine.txt").read_text() == "kept"
