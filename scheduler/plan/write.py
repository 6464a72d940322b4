"""A finished sweep on disk: plan.xlsx, plan.html and the best scenario's
full outputs in best/, swapped in whole like every run's folder."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..io.output import staged_output
from ..model import Event
from ..run import write_outputs
from .report import best_of, write_html, write_xlsx
from .scenarios import variant
from .sweep import ScenarioResult


def write_plan(
    event: Event, results: Sequence[ScenarioResult], out: Path, subtitle: str, *, documents: bool = True
) -> list[Path]:
    """Write the plan into ``out``; returns the files written (under ``out``)."""
    with staged_output(out) as tmp:
        written = [
            write_xlsx(results, tmp / "plan.xlsx"),
            write_html(results, tmp / "plan.html", event.settings.name, subtitle),
        ]
        best = best_of(results)
        if best is None or best.schedule is None:
            # best/ is replaced whole, so an earlier plan's best schedule cannot pass for this one's.
            (tmp / "best").mkdir()
            note = tmp / "best" / "NO-SCHEDULE.txt"
            note.write_text("No scenario of this plan could be scheduled: see plan.xlsx.\n", encoding="utf-8")
            written.append(note)
        else:
            # The same variant the worker solved: variant() is deterministic.
            written += write_outputs(
                variant(event, best.scenario), best.schedule, tmp / "best", documents=documents
            )
    return [out / p.relative_to(tmp) for p in written]
