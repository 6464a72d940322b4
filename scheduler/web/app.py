"""Routes of the organizer's web page; see ``scheduler/web/__init__.py`` for the why.

Pages: ``/`` (template, upload, run list) and ``/runs/<id>`` (the same page
with one run: its problems or summary, the optimize form, progress, results
and downloads). JSON: ``/runs/<id>/status``, polled once a second while a
run goes. Every bad upload ends in a page with a message, never a 500.
``guard.py`` refuses foreign hosts and cross-site requests before any route.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from scheduler.i18n import N_

from . import guard, language, plans
from .runs import (
    INTERRUPTED,
    PAGE_SIZE,
    TIME_LIMIT_DEFAULT,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    QuotaExceeded,
    RunStore,
    UnknownRun,
    parse_time_limit,
)

log = logging.getLogger(__name__)

MAX_UPLOAD = 50 * 1024 * 1024  # bytes per request, all files together

# What a finished run offers, in page order: file name -> label. A name ending in .zip is
# the folder of that name zipped on the fly.
DOWNLOADS = {
    "schedule.xlsx": "Schedule workbook (.xlsx)",
    "agendas.pdf": "All agendas, one attendee per page (PDF)",
    "calendars.zip": "Calendar files for every attendee (.zip)",
    "report.html": "Run report (HTML)",
    "tables.pdf": "Table sheets for the venue staff (PDF)",
    "rooms.pdf": "Room sheets for the venue staff (PDF)",
}
# What a re-solve adds: what changed, and only the changed agendas and calendars to send again.
CHANGE_DOWNLOADS = {
    "changes.xlsx": "What changed, attendee by attendee (.xlsx)",
    "agendas-changed.pdf": "Only the agendas that changed, to reprint (PDF)",
    "calendars-changed.zip": "Only the calendar files that changed, to send again (.zip)",
}
OPEN_IN_BROWSER = {"report.html"}

STATE_LABELS = {
    "checking": N_("checking the workbooks"),
    "uploaded": N_("ready to optimize"),
    "invalid": N_("has errors"),
    "running": N_("optimizing"),
    "done": N_("done"),
    "failed": N_("failed"),
}

web = Blueprint("web", __name__)


def create_app(runs_dir: Path, host: str = "127.0.0.1", port: int | None = None) -> Flask:
    """The app, keeping its runs under ``runs_dir`` (created if missing), answering
    only at ``host``:``port`` (any port when None, as for the test client)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    app.extensions["scheduler.runs"] = RunStore(Path(runs_dir))
    guard.install(app, Path(runs_dir), host, port)
    app.register_blueprint(web)
    app.extensions["scheduler.planner"] = plans.Planner(app.extensions["scheduler.runs"])
    app.register_blueprint(plans.plan_web)  # capacity plans: scenario sweeps on Dask
    app.register_error_handler(guard.Refused, refused)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(UnknownRun, unknown_run)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, internal_error)
    app.jinja_env.filters["when"] = when
    language.install(app)  # the page in the browser's language
    return app


def store() -> RunStore:
    return current_app.extensions["scheduler.runs"]


# ---------------------------------------------------------------- errors


def refused(err: guard.Refused) -> tuple[str, int]:
    """A short page with the reason and nothing else: no run list for a foreign Host."""
    return render_template("refused.html", message=err.message), err.status


def too_large(_: Exception) -> tuple[str, int]:
    limit = MAX_UPLOAD // 2**20
    return page(message=f"The upload is larger than {limit} MB, so it was refused. Workbooks are rarely this "
                        "big: remove pictures or unused sheets, or upload the files a few at a time.", status=413)


def unknown_run(_: Exception) -> tuple[str, int]:
    return page(message="There is no such run. Pick one from the list below.", status=404)


def http_error(err: HTTPException) -> tuple[str, int]:
    return page(message=f"{err.name}: {err.description}", status=err.code or 500)


def internal_error(err: Exception) -> tuple[str, int]:
    log.exception("internal error on %s %s", request.method, request.path, exc_info=err)
    return page(message="Something went wrong on the server; the details are in its log. "
                        "Please try again, and report it if it happens again.", status=500)


# ---------------------------------------------------------------- pages


@web.get("/")
def index() -> tuple[str, int]:
    return page()


@web.get("/runs/<run_id>")
def run_page(run_id: str) -> tuple[str, int]:
    return page(run_id)


def page(run_id: str | None = None, message: str | None = None, status: int = 200) -> tuple[str, int]:
    run = run_view(run_id, problem_page=page_number()) if run_id else None
    runs = [{**r, "label": run_label(r)} for r in store().runs()]
    finished = [r for r in runs if r.get("state") == "done"]
    html = render_template("page.html", run=run, runs=runs, finished=finished, message=message,
                           previous_choice=request.args.get("previous", ""), max_upload_mb=MAX_UPLOAD // 2**20,
                           max_upload=MAX_UPLOAD, limit_min=TIME_LIMIT_MIN, limit_max=TIME_LIMIT_MAX,
                           runs_root=store().root)
    return html, status


def page_number() -> int:
    text = request.args.get("page", "1")
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1


def run_label(status: dict[str, Any]) -> str:
    state = status.get("state", "")
    label = language.page_words().gettext(STATE_LABELS[state]) if state in STATE_LABELS else state or "?"
    return f"{label}: {INTERRUPTED}" if status.get("error") == INTERRUPTED else label


def run_view(run_id: str, problem_page: int = 1) -> dict[str, Any]:
    """Everything the page and the status poll show about one run."""
    s = store().status(run_id)
    state = s.get("state", "failed")
    started_at = s.get("started_at")
    out = store().outputs(run_id, s)
    count = (s.get("errors") or 0) + (s.get("warnings") or 0)
    return {
        "id": run_id,
        "state": state,
        "label": run_label(s),
        "title": s.get("title", ""),
        "created": s.get("created", ""),
        "files": s.get("files", []),
        "previous": s.get("previous"),
        "errors": s.get("errors") or 0,
        "warnings": s.get("warnings") or 0,
        "problems": store().problems(run_id, problem_page) if count else [],
        "pages": {"current": problem_page, "last": max(1, -(-count // PAGE_SIZE)), "size": PAGE_SIZE},
        "summary": s.get("summary", []),
        "time_limit": s.get("time_limit") or TIME_LIMIT_DEFAULT,
        "progress": s.get("progress"),
        "running_for": round(time.time() - started_at, 1) if state == "running" and started_at else None,
        "lines": s.get("lines", []),
        "exit_code": s.get("exit_code"),
        "reasons": s.get("reasons", []),
        "error": s.get("error"),
        "can_start": state not in ("running", "invalid", "checking"),
        "has_outputs": out is not None,
        "outputs_finished": s.get("outputs_finished") or s.get("finished"),
        "downloads": downloads(run_id, out, bool(s.get("previous"))),
        "agendas": [{**a, "url": url_for("web.agenda", run_id=run_id, file=a["file"])}
                    for a in s.get("agendas", []) if out is not None],
        "plan": plans.view(run_id, s),
        "urls": {
            "status": url_for("web.run_status", run_id=run_id),
            "start": url_for("web.start", run_id=run_id),
            "stop": url_for("web.stop", run_id=run_id),
            "delete": url_for("web.delete", run_id=run_id),
            "agenda": url_for("web.agenda", run_id=run_id),
            "resolve": url_for("web.index", previous=run_id, _anchor="resolve"),
        },
    }


def downloads(run_id: str, out: Path | None, resolved: bool) -> list[dict[str, Any]]:
    offered = {**DOWNLOADS, **CHANGE_DOWNLOADS} if resolved else DOWNLOADS
    found = []
    for name, label in offered.items():
        available = out is not None and inside(out.parent, out / name.removesuffix(".zip")) is not None
        found.append({"name": name, "label": label, "available": available,
                      "url": url_for("web.download", run_id=run_id, name=name),
                      "inline": name in OPEN_IN_BROWSER})
    return found


# ---------------------------------------------------------------- actions


@web.get("/template.xlsx")
def template() -> Response:
    """A fresh blank template; written to a temporary file, since the writer wants a path."""
    from scheduler.io.template import write_template

    with tempfile.TemporaryDirectory() as tmp:
        data = write_template(Path(tmp) / "scheduler-template.xlsx").read_bytes()
    return send_file(io.BytesIO(data), as_attachment=True, download_name="scheduler-template.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@web.post("/upload")
def upload() -> Any:
    """Store the workbooks (and, for a re-solve, the previous schedule) in a new run; its
    check goes on in the background while the run's page shows it."""
    files = [f for f in request.files.getlist("workbooks") if f and f.filename]
    if not files:
        return page(message="Choose one or more .xlsx workbooks to upload.", status=400)
    try:
        previous = previous_schedule()
        run_id = store().create(((f.filename or "", f.stream) for f in files), previous)
    except (QuotaExceeded, ValueError) as err:
        return page(message=str(err), status=400)
    return redirect(url_for("web.run_page", run_id=run_id), 303)


def previous_schedule() -> dict[str, Any] | None:
    """The schedule a re-solve starts from: a finished run's, or an uploaded (edited) one."""
    chosen = request.form.get("previous_run", "")
    sent = request.files.get("previous_schedule")
    if chosen and sent and sent.filename:
        raise ValueError("Choose either a finished run or an edited schedule.xlsx as the previous schedule, "
                         "not both.")
    if sent and sent.filename:
        return {"label": f"{sent.filename} (uploaded)", "original": sent.filename, "stream": sent.stream}
    if not chosen:
        return None
    try:
        status = store().status(chosen)
        out = store().outputs(chosen, status)
    except UnknownRun:
        out = None
    schedule = inside(out.parent, out / "schedule.xlsx") if out is not None else None
    if schedule is None:
        raise ValueError("The run chosen as the previous schedule has no schedule (it may have been deleted); "
                         "choose another one.")
    title = status.get("title") or chosen
    return {"label": f"the schedule of {title}, run {chosen}", "original": "schedule.xlsx", "copy": schedule}


@web.get("/runs/<run_id>/status")
def run_status(run_id: str) -> Response:
    view = run_view(run_id)
    for bulky in ("problems", "summary", "files"):
        view.pop(bulky)
    return jsonify(view)


@web.post("/runs/<run_id>/start")
def start(run_id: str) -> Any:
    try:
        refused_because = store().start(run_id, parse_time_limit(request.form.get("time_limit")))
    except ValueError as err:
        refused_because = str(err)
    return answer(run_id, refused_because)


@web.post("/runs/<run_id>/stop")
def stop(run_id: str) -> Any:
    stopped = store().stop(run_id)
    return answer(run_id, None if stopped else "This run is not going, so there is nothing to stop.")


@web.post("/runs/<run_id>/delete")
def delete(run_id: str) -> Any:
    if plans.planner().running(run_id):
        return answer(run_id, "A plan of this run is going; stop it first.")
    why_not = store().delete(run_id)
    if why_not:
        return answer(run_id, why_not)
    return redirect(url_for("web.index"), 303)


def answer(run_id: str, refused_because: str | None) -> Any:
    """JSON for the page's script (it asks for JSON), a redirect or a page with the message otherwise."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=refused_because is None, error=refused_because), 400 if refused_because else 200
    if refused_because:
        return page(run_id, message=refused_because, status=400)
    return redirect(url_for("web.run_page", run_id=run_id), 303)


# ---------------------------------------------------------------- downloads


def inside(root: Path, path: Path) -> Path | None:
    """``path`` with every link resolved, when it exists and stays inside ``root`` (resolved too);
    else None. Links inside a run folder are followed only as far as the run folder itself."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return real if real.is_relative_to(root.resolve()) else None


def outputs_or_404(run_id: str) -> Path:
    out = store().outputs(run_id)
    if out is None:
        abort(404)
    return out


@web.get("/runs/<run_id>/files/<name>")
def download(run_id: str, name: str) -> Response:
    if name not in DOWNLOADS and name not in CHANGE_DOWNLOADS:
        abort(404)
    out = outputs_or_404(run_id)
    if name.endswith(".zip"):
        return send_folder(out, name.removesuffix(".zip"))
    path = inside(out.parent, out / name)
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, as_attachment=name not in OPEN_IN_BROWSER, download_name=name)


def send_folder(out: Path, folder: str) -> Response:
    """A folder of the outputs zipped on the fly, into a temporary file (thousands of
    attendees make a zip too big to hold in memory comfortably). Only files whose real
    path is inside the run folder go in."""
    base = inside(out.parent, out / folder)
    if base is None or not base.is_dir():
        abort(404)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it once the response is sent
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(base.rglob("*")):
            real = inside(out.parent, path)
            if real is not None and real.is_file() and not path.is_symlink():
                archive.write(real, Path(folder) / path.relative_to(base))
    spool.seek(0)
    return send_file(spool, as_attachment=True, download_name=f"{folder}.zip", mimetype="application/zip")


@web.get("/runs/<run_id>/agenda")
def agenda(run_id: str) -> Response:
    """One attendee's agenda PDF, opened in the browser."""
    name = request.args.get("file", "")
    out = outputs_or_404(run_id)
    if not name.casefold().endswith(".pdf") or "/" in name or "\\" in name:
        abort(404)
    path = inside(out.parent, out / "agendas" / name)
    if path is None or not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/pdf")


def when(text: str) -> str:
    """ISO time as `2017-06-04 09:30` for people."""
    return text.replace("T", " ")[:16] if text else ""
