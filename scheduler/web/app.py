"""Routes of the organizer's web page; see ``scheduler/web/__init__.py`` for the why.

Pages: ``/`` (template, upload, run list) and ``/runs/<id>`` (the same page
with one run: its problems or summary, the optimize form, progress, results
and downloads). JSON: ``/runs/<id>/status``, polled once a second while a
run goes. Every bad upload ends in a page with a message, never a 500.
"""

from __future__ import annotations

import io
import logging
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    send_from_directory,
    url_for,
)
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .runs import (
    INTERRUPTED,
    TIME_LIMIT_DEFAULT,
    TIME_LIMIT_MAX,
    TIME_LIMIT_MIN,
    RunStore,
    UnknownRun,
    parse_time_limit,
)

log = logging.getLogger(__name__)

MAX_UPLOAD = 50 * 1024 * 1024  # bytes per request, all files together

# What a finished run offers, in page order: file name under outputs/ -> label.
DOWNLOADS = {
    "schedule.xlsx": "Schedule workbook (.xlsx)",
    "agendas.pdf": "All agendas, one attendee per page (PDF)",
    "calendars.zip": "Calendar files for every attendee (.zip)",
    "report.html": "Run report (HTML)",
    "tables.pdf": "Table sheets for the venue staff (PDF)",
    "rooms.pdf": "Room sheets for the venue staff (PDF)",
}
OPEN_IN_BROWSER = {"report.html"}

STATE_LABELS = {
    "uploaded": "ready to optimize",
    "invalid": "has errors",
    "running": "optimizing",
    "done": "done",
    "failed": "failed",
}

web = Blueprint("web", __name__)


def create_app(runs_dir: Path) -> Flask:
    """The app, keeping its runs under ``runs_dir`` (created if missing)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD
    app.extensions["scheduler.runs"] = RunStore(Path(runs_dir))
    app.register_blueprint(web)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(UnknownRun, unknown_run)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, internal_error)
    app.jinja_env.filters["when"] = when
    quiet_polls()
    return app


class _NoPolls(logging.Filter):
    """Drop the server's access-log lines of the once-a-second status polls."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "/status HTTP" not in record.getMessage()


def quiet_polls() -> None:
    server_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoPolls) for f in server_log.filters):
        server_log.addFilter(_NoPolls())


def store() -> RunStore:
    return current_app.extensions["scheduler.runs"]


# ---------------------------------------------------------------- guards and errors


@web.before_app_request
def same_origin_posts() -> Response | None:
    """Refuse POSTs sent by another web site (the page listens on loopback, but any
    page the organizer opens could post to it)."""
    origin = request.headers.get("Origin")
    if request.method == "POST" and origin and origin != "null" and urlsplit(origin).netloc != request.host:
        return page(message="This form was sent from another web site, so it was refused.", status=403)
    return None


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
    run = run_view(run_id) if run_id else None
    runs = [{**r, "label": run_label(r)} for r in store().runs()]
    html = render_template("page.html", run=run, runs=runs, message=message, max_upload_mb=MAX_UPLOAD // 2**20,
                           max_upload=MAX_UPLOAD, limit_min=TIME_LIMIT_MIN, limit_max=TIME_LIMIT_MAX,
                           runs_root=store().root)
    return html, status


def run_label(status: dict[str, Any]) -> str:
    label = STATE_LABELS.get(status.get("state", ""), status.get("state", "?"))
    return f"{label}: {INTERRUPTED}" if status.get("error") == INTERRUPTED else label


def run_view(run_id: str) -> dict[str, Any]:
    """Everything the page and the status poll show about one run."""
    s = store().status(run_id)
    state = s.get("state", "failed")
    started_at = s.get("started_at")
    return {
        "id": run_id,
        "state": state,
        "label": run_label(s),
        "title": s.get("title", ""),
        "created": s.get("created", ""),
        "files": s.get("files", []),
        "problems": s.get("problems", []),
        "summary": s.get("summary", []),
        "warnings": s.get("warnings", []),
        "time_limit": s.get("time_limit") or TIME_LIMIT_DEFAULT,
        "progress": s.get("progress"),
        "running_for": round(time.time() - started_at, 1) if state == "running" and started_at else None,
        "lines": s.get("lines", []),
        "exit_code": s.get("exit_code"),
        "reasons": s.get("reasons", []),
        "error": s.get("error"),
        "can_start": state not in ("running", "invalid"),
        "downloads": downloads(run_id, state),
        "agendas": [{**a, "url": url_for("web.agenda", run_id=run_id, file=a["file"])}
                    for a in s.get("agendas", []) if state == "done"],
        "urls": {
            "status": url_for("web.run_status", run_id=run_id),
            "start": url_for("web.start", run_id=run_id),
            "stop": url_for("web.stop", run_id=run_id),
            "agenda": url_for("web.agenda", run_id=run_id),
        },
    }


def downloads(run_id: str, state: str) -> list[dict[str, Any]]:
    out = store().outputs(run_id)
    found = []
    for name, label in DOWNLOADS.items():
        path = out / ("calendars" if name == "calendars.zip" else name)
        exists = path.is_dir() if name == "calendars.zip" else path.is_file()
        found.append({"name": name, "label": label, "available": state == "done" and exists,
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
    files = [f for f in request.files.getlist("workbooks") if f and f.filename]
    if not files:
        return page(message="Choose one or more .xlsx workbooks to upload.", status=400)
    run_id = store().create((f.filename or "", f.stream) for f in files)
    return redirect(url_for("web.run_page", run_id=run_id), 303)


@web.get("/runs/<run_id>/status")
def run_status(run_id: str) -> Response:
    view = run_view(run_id)
    for bulky in ("problems", "summary", "warnings", "files"):
        view.pop(bulky)
    return jsonify(view)


@web.post("/runs/<run_id>/start")
def start(run_id: str) -> Any:
    try:
        refused = store().start(run_id, parse_time_limit(request.form.get("time_limit")))
    except ValueError as err:
        refused = str(err)
    return answer(run_id, refused)


@web.post("/runs/<run_id>/stop")
def stop(run_id: str) -> Any:
    stopped = store().stop(run_id)
    return answer(run_id, None if stopped else "This run is not going, so there is nothing to stop.")


def answer(run_id: str, refused: str | None) -> Any:
    """JSON for the page's script (it asks for JSON), a redirect or a page with the message otherwise."""
    if request.accept_mimetypes.best == "application/json":
        return jsonify(ok=refused is None, error=refused), 400 if refused else 200
    if refused:
        return page(run_id, message=refused, status=400)
    return redirect(url_for("web.run_page", run_id=run_id), 303)


@web.get("/runs/<run_id>/files/<name>")
def download(run_id: str, name: str) -> Response:
    if name not in DOWNLOADS or store().status(run_id).get("state") != "done":
        abort(404)
    out = store().outputs(run_id)
    if name == "calendars.zip":
        return send_calendars(out / "calendars")
    return send_from_directory(out, name, as_attachment=name not in OPEN_IN_BROWSER)


def send_calendars(folder: Path) -> Response:
    """The calendars/ folder zipped on the fly, into a temporary file (thousands of
    attendees make a zip too big to hold in memory comfortably)."""
    if not folder.is_dir():
        abort(404)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it once the response is sent
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.is_symlink():
                archive.write(path, Path("calendars") / path.relative_to(folder))
    spool.seek(0)
    return send_file(spool, as_attachment=True, download_name="calendars.zip", mimetype="application/zip")


@web.get("/runs/<run_id>/agenda")
def agenda(run_id: str) -> Response:
    """One attendee's agenda PDF, opened in the browser."""
    name = request.args.get("file", "")
    if not name.casefold().endswith(".pdf") or store().status(run_id).get("state") != "done":
        abort(404)
    return send_from_directory(store().outputs(run_id) / "agendas", name, mimetype="application/pdf")


def when(text: str) -> str:
    """ISO time as `2017-06-04 09:30` for people."""
    return text.replace("T", " ")[:16] if text else ""
