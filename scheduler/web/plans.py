"""Capacity plans from the web page: the sweep of ``scheduler plan`` for an uploaded run.

A plan runs in a background thread of the server: the run's workbooks are
read in a child process (``work.in_child``, as for a solve), every scenario
is one Dask task on a LocalCluster (``scheduler.plan.sweep``, worker
processes on loopback), and plan.xlsx, plan.html and best/ go into the run's
``plan-<n>/`` folder, swapped in whole. The ``plan`` entry of the run's
status.json is its whole state: ``running`` -> ``done``, ``failed`` or
``stopped``, the scenarios done, one line per scenario, the recommendation.
One plan at a time on the whole server: a sweep already uses every core.
The routes go through the same guard (Host check, CSRF token) as every page.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, current_app, request, send_file, url_for

from scheduler.i18n import N_
from scheduler.plan.options import parse_list

from . import language, work
from .guard import REPORT_POLICY
from .runs import RunStore, UnknownRun, now_text

if TYPE_CHECKING:  # Dask loads only when a plan runs, not with every page
    from scheduler.plan.sweep import Cluster

log = logging.getLogger(__name__)

SCENARIO_SECONDS_MIN, SCENARIO_SECONDS_MAX, SCENARIO_SECONDS_DEFAULT = 5, 600, 30
MAX_SCENARIOS = 24
FIELDS = ("tables", "meeting_minutes", "buffer_minutes", "spare_tables")
# What a finished plan offers: name in the URL -> (path under plan-<n>/, label).
PLAN_FILES = {
    "plan.html": ("plan.html", N_("The plan: recommendation and charts (HTML)")),
    "plan.xlsx": ("plan.xlsx", N_("Every scenario (.xlsx)")),
    "best-schedule.xlsx": ("best/schedule.xlsx", N_("The best scenario's schedule (.xlsx)")),
    "best-report.html": ("best/report.html", N_("The best scenario's report (HTML)")),
}
STATE_LABELS = {"done": N_("done"), "failed": N_("failed"), "stopped": N_("stopped")}
INLINE = {"plan.html", "best-report.html"}
INTERNAL = "The plan stopped on an internal error; the details are in the server log."

plan_web = Blueprint("plan", __name__)


@dataclass(frozen=True)
class PlanForm:
    tables: tuple[int, ...] = ()
    meeting_minutes: tuple[int, ...] = ()
    buffer_minutes: tuple[int, ...] = ()
    spare_tables: tuple[str, ...] = ()
    seconds: float = SCENARIO_SECONDS_DEFAULT

    @property
    def count(self) -> int:
        return len(list(itertools.product(*(getattr(self, f) or (None,) for f in FIELDS))))


def parse_form(form: Any) -> PlanForm:
    """The form's values; ValueError with a message the page shows."""
    found: dict[str, Any] = {}
    for name, kind, label in (("tables", int, "Tables"), ("meeting_minutes", int, "Meeting minutes"),
                              ("buffer_minutes", int, "Buffer minutes"),
                              ("spare_tables", str, "Spare tables")):  # fmt: skip
        text = (form.get(name) or "").strip()
        try:
            found[name] = parse_list(text, kind) if text else ()
        except ValueError as err:
            raise ValueError(f"{label}: {err}") from None
    try:
        seconds = float(form.get("seconds") or SCENARIO_SECONDS_DEFAULT)
    except ValueError:
        raise ValueError(f"The time per scenario must be a number of seconds (found: {form.get('seconds')})") from None
    if not SCENARIO_SECONDS_MIN <= seconds <= SCENARIO_SECONDS_MAX:
        raise ValueError(f"The time per scenario must be between {SCENARIO_SECONDS_MIN} and "
                         f"{SCENARIO_SECONDS_MAX} seconds (found: {form.get('seconds')})")  # fmt: skip
    plan = PlanForm(**found, seconds=seconds)
    if plan.count > MAX_SCENARIOS:
        raise ValueError(f"These values make {plan.count} scenarios; the page runs at most {MAX_SCENARIOS} at "
                         "once (the command line `scheduler plan` has no such limit).")  # fmt: skip
    return plan


class Planner:
    """Starts, stops and records the plans of a RunStore's runs."""

    def __init__(self, store: RunStore, cluster: Cluster | None = None):
        self.store = store
        self.cluster = cluster  # None: a LocalCluster sized to this computer
        self._lock = threading.Lock()
        self._running: str | None = None
        self._stop = threading.Event()

    def running(self, run_id: str | None = None) -> bool:
        return self._running is not None and (run_id is None or self._running == run_id)

    def start(self, run_id: str, plan: PlanForm) -> str | None:
        """Start the plan in a thread; why not when it cannot start."""
        with self._lock:
            status = self.store.status(run_id)  # UnknownRun: the page says so
            if status.get("state") in ("checking", "invalid"):
                return "The workbooks must be read without errors before a plan can run."
            if self._running is not None:
                return "A plan is already running on this server; wait for it or stop it first."
            attempt = int((status.get("plan") or {}).get("attempt") or 0) + 1
            self.store.update(run_id, plan={**_kept(status), "state": "running", "attempt": attempt,
                                            "started": now_text(), "done": 0, "total": plan.count,
                                            "seconds": plan.seconds, "lines": [], "recommendation": [],
                                            "error": None, "form": _form_text(plan)})  # fmt: skip
            self._running, self._stop = run_id, threading.Event()
        threading.Thread(target=self._work, args=(run_id, plan, attempt, self._stop), name=f"plan-{run_id}",
                         daemon=True).start()  # fmt: skip
        return None

    def stop(self, run_id: str) -> bool:
        if not self.running(run_id):
            return False
        self._stop.set()
        return True

    def outputs(self, run_id: str) -> Path | None:
        name = (self.store.status(run_id).get("plan") or {}).get("outputs")
        return self.store.folder(run_id) / name if name else None

    def _work(self, run_id: str, plan: PlanForm, attempt: int, stop: threading.Event) -> None:
        from scheduler.engine.solve import SolveOptions
        from scheduler.plan.report import recommendation
        from scheduler.plan.scenarios import ScenarioValueError, scenarios
        from scheduler.plan.sweep import Cluster, sweep
        from scheduler.plan.write import write_plan

        folder = self.store.folder(run_id)
        try:
            event = work.in_child(work.read_for_solve, [str(p) for p in self.store.inputs(run_id)],
                                  self.store.input_names(run_id))
            wanted = scenarios(event, plan.tables, plan.meeting_minutes, plan.buffer_minutes, plan.spare_tables)
            options = SolveOptions(time_limit=plan.seconds)
            results = sweep(event, wanted, options, self.cluster or Cluster(), stop=stop, on_result=self._progress(run_id))
            if stop.is_set():
                self._finish(run_id, "stopped", error="Stopped: nothing was written.")
                return
            name = f"plan-{attempt}"
            write_plan(event, results, folder / name, f"{len(results)} scenarios, {plan.seconds:g} s each")
            self._finish(run_id, "done", outputs=name, recommendation=recommendation(results))
            _remove_other_plans(folder, name)
        except ScenarioValueError as err:
            self._finish(run_id, "failed", error=f"{err}.")
        except UnknownRun:  # deleted meanwhile
            return
        except Exception:  # noqa: BLE001 - the organizer gets a message; the log gets the traceback
            log.exception("plan of run %s failed", run_id)
            self._finish(run_id, "failed", error=INTERNAL)
        finally:
            with self._lock:
                self._running = None

    def _progress(self, run_id: str):
        def show(r: Any, done: int, total: int) -> None:
            if r.ok:
                line = f"{r.scenario.label}: score {r.score:,.1f}, bound {r.bound:,.1f} (gap {r.gap:.2%}), " \
                       f"{r.meetings} meetings"  # fmt: skip
            else:
                line = f"{r.scenario.label}: {r.status}: {r.reason}"
            self.store.merge(run_id, "plan", lambda e: {**e, "done": done, "total": total,
                                                        "lines": [*e.get("lines", []), line]})  # fmt: skip

        return show

    def _finish(self, run_id: str, state: str, **changes: Any) -> None:
        with contextlib.suppress(UnknownRun):
            self.store.merge(run_id, "plan", lambda e: {**e, "state": state, "finished": now_text(), **changes})


def _kept(status: dict[str, Any]) -> dict[str, Any]:
    """What a new plan keeps of the last one: its finished outputs stay downloadable."""
    last = status.get("plan") or {}
    return {"outputs": last.get("outputs"), "outputs_finished": last.get("finished")} if last.get("outputs") else {}


def _form_text(plan: PlanForm) -> dict[str, str]:
    return {f: ",".join(map(str, getattr(plan, f))) for f in FIELDS}


def _remove_other_plans(folder: Path, keep: str) -> None:
    for path in folder.glob("plan-*"):
        if path.name != keep and path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)


def planner() -> Planner:
    return current_app.extensions["scheduler.planner"]


def view(run_id: str, status: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of the run's plan (no ``state`` before the first)."""
    entry = dict(status.get("plan") or {})
    if entry.get("state") == "running" and not planner().running(run_id):
        entry.update(state="failed", error="The plan was interrupted by a server restart.")
    words = language.page_words()
    files = []
    out = entry.get("outputs")
    for name, (path, label) in PLAN_FILES.items():
        if out and (planner().store.folder(run_id) / out / path).is_file():
            files.append({"label": words.gettext(label), "url": url_for("plan.plan_file", run_id=run_id, name=name),
                          "inline": name in INLINE})  # fmt: skip
    state = entry.get("state")
    return {
        **entry,
        "files": files,
        "form": entry.get("form") or {},
        "seconds": entry.get("seconds") or SCENARIO_SECONDS_DEFAULT,
        "running": state == "running",
        "label": words.gettext(STATE_LABELS[state]) if state in STATE_LABELS else state,
        "urls": {"start": url_for("plan.start_plan", run_id=run_id), "stop": url_for("plan.stop_plan", run_id=run_id)},
        "limits": {"min": SCENARIO_SECONDS_MIN, "max": SCENARIO_SECONDS_MAX, "scenarios": MAX_SCENARIOS},
    }


# ---------------------------------------------------------------- routes


@plan_web.post("/runs/<run_id>/plan")
def start_plan(run_id: str) -> Any:
    from .app import answer

    try:
        why_not = planner().start(run_id, parse_form(request.form))
    except ValueError as err:
        why_not = str(err)
    return answer(run_id, why_not)


@plan_web.post("/runs/<run_id>/plan/stop")
def stop_plan(run_id: str) -> Any:
    from .app import answer

    stopped = planner().stop(run_id)
    return answer(run_id, None if stopped else "No plan of this run is going, so there is nothing to stop.")


@plan_web.get("/runs/<run_id>/plan/<name>")
def plan_file(run_id: str, name: str) -> Response:
    from .app import inside

    if name not in PLAN_FILES:
        abort(404)
    out = planner().outputs(run_id)
    path = inside(out.parent, out / PLAN_FILES[name][0]) if out is not None else None
    if path is None or not path.is_file():
        abort(404)
    response = send_file(path, as_attachment=name not in INLINE, download_name=name)
    if name in INLINE:
        response.headers["Content-Security-Policy"] = REPORT_POLICY  # self-contained pages, no script
    return response
